package dev.protokit.tftp.server;

import static dev.protokit.tftp.server.ServerFixture.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.tftp.client.TftpClient;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.tftp.TFTP;
import org.apache.commons.net.tftp.TFTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real clients against the server: commons-net (plain RFC 1350) and our TftpClient with options. */
class ClientInteropTest {
    @TempDir
    Path root;
    @TempDir
    Path local;
    ServerFixture fixture;

    @BeforeEach
    void start() throws IOException {
        fixture = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES).withMaxBlksize(8192));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private TFTPClient commonsNet() throws IOException {
        var client = new TFTPClient();
        client.setDefaultTimeout(Duration.ofSeconds(2));
        client.open();
        return client;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 511, 512, 513, 1024, 100_000})
    void commonsNetGetsEveryBoundarySize(int size) throws IOException {
        Path file = fixture.file("f" + size, size);
        var out = new ByteArrayOutputStream();
        var client = commonsNet();
        try {
            client.receiveFile("f" + size, TFTP.BINARY_MODE, out, InetAddress.getLoopbackAddress(), fixture.address().getPort());
        } finally {
            client.close();
        }
        assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 512, 70_000})
    void commonsNetPutsAFile(int size) throws IOException {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        var client = commonsNet();
        try {
            client.sendFile("up" + size, TFTP.BINARY_MODE, new ByteArrayInputStream(bytes),
                    InetAddress.getLoopbackAddress(), fixture.address().getPort());
        } finally {
            client.close();
        }
        assertEquals(sha256(bytes), sha256(root.resolve("up" + size)));
    }

    @Test
    void commonsNetNetasciiConvertsLineEnds() throws IOException {
        Files.writeString(root.resolve("text.txt"), "line one\nline two\n\nend\n");
        var out = new ByteArrayOutputStream();
        var client = commonsNet();
        try {
            client.receiveFile("text.txt", TFTP.ASCII_MODE, out, InetAddress.getLoopbackAddress(), fixture.address().getPort());
        } finally {
            client.close();
        }
        // Wire: CR LF per line (see WireBehaviourTest); commons-net turns it into the local separator.
        String sep = System.lineSeparator();
        assertEquals("line one" + sep + "line two" + sep + sep + "end" + sep, out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void ourClientGetsAndPutsWithEveryOption() throws IOException {
        Path file = fixture.file("big.bin", 3_000_001);
        TftpClient client = TftpClient.builder(fixture.address()).blockSize(1468).windowSize(16)
                .timeoutOption(2).transferSize(true).build();
        var got = client.get("big.bin", local.resolve("big.bin"));
        assertEquals(sha256(file), sha256(local.resolve("big.bin")));
        assertEquals(1468, got.options().blockSize());
        assertEquals(16, got.options().windowSize());
        assertEquals(3_000_001L, got.options().transferSize().orElseThrow());
        assertEquals(2, got.options().timeoutSeconds().orElseThrow());

        var put = client.put(local.resolve("big.bin"), "copy.bin");
        assertEquals(sha256(file), sha256(root.resolve("copy.bin")));
        assertEquals(3_000_001L, put.stats().bytes());
    }

    @Test
    void serverLowersBlockAndWindowSizeToItsCaps() throws IOException {
        fixture.file("f.bin", 200_000);
        TftpClient client = TftpClient.builder(fixture.address()).blockSize(65464).windowSize(1000).build();
        var got = client.get("f.bin", local.resolve("f.bin"));
        assertEquals(8192, got.options().blockSize());
        assertEquals(64, got.options().windowSize());
        assertEquals(sha256(root.resolve("f.bin")), sha256(local.resolve("f.bin")));
    }

    @Test
    void platformTransferThreadsServeTheSameBytes() throws IOException {
        try (var platform = ServerFixture.start(root, c -> c.withThreads(TftpServerConfig.TransferThreads.PLATFORM))) {
            Path file = platform.file("p.bin", 300_000);
            TftpClient.builder(platform.address()).windowSize(8).build().get("p.bin", local.resolve("p.bin"));
            assertEquals(sha256(file), sha256(local.resolve("p.bin")));
        }
    }

    @Test
    void servesOverIpv6Loopback() throws IOException {
        try (var v6 = ServerFixture.start(root, "::1", c -> c.withWrites(WritePolicy.CREATE_FILES))) {
            Path file = v6.file("six.bin", 50_000);
            assertEquals("/0:0:0:0:0:0:0:1", v6.address().getAddress().toString());
            TftpClient client = TftpClient.builder(new InetSocketAddress("::1", v6.address().getPort()))
                    .blockSize(1024).windowSize(4).build();
            client.get("six.bin", local.resolve("six.bin"));
            assertEquals(sha256(file), sha256(local.resolve("six.bin")));
            client.put(local.resolve("six.bin"), "six-up.bin");
            assertEquals(sha256(file), sha256(root.resolve("six-up.bin")));
        }
    }
}
