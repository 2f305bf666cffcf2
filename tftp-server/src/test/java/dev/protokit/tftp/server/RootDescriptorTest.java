package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.tftp.client.TftpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The root's directory descriptor lives as long as the server, and no longer (issue #9). */
@EnabledOnOs(OS.LINUX)
class RootDescriptorTest {
    @TempDir
    Path root;

    @Test
    void shutdownClosesTheRootDescriptor() throws IOException {
        Path real = root.toRealPath();
        var fixture = ServerFixture.start(root, c -> c);
        try {
            byte[] content = Files.readAllBytes(fixture.file("f.bin", 3000));
            assertEquals(1, descriptorsOn(real), "the server holds the root open");
            var out = new ByteArrayOutputStream();
            TftpClient.builder(fixture.address()).timeout(Duration.ofSeconds(2)).build().get("f.bin", out);
            assertArrayEquals(content, out.toByteArray());
        } finally {
            fixture.close();
        }
        assertEquals(0, descriptorsOn(real), "closed by the shutdown");
    }

    /** How many of this process's descriptors are open on {@code dir} (from /proc/self/fd). */
    private static long descriptorsOn(Path dir) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(dir);
                } catch (IOException e) {
                    return false; // closed since the listing (the listing's own descriptor)
                }
            }).count();
        }
    }
}
