package dev.protokit.tftp.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-ahead behind single small blocks must hand out exactly the file's bytes in order,
 * also when single-block and window reads alternate and when blocks are large.
 */
class FileBlockSourceTest {
    @TempDir
    Path dir;

    @Test
    void smallBlocksLargeBlocksAndWindowsInterleavedReadTheFileExactly() throws IOException {
        byte[] content = new byte[100_003];
        new Random(7).nextBytes(content);
        Path path = Files.write(dir.resolve("f.bin"), content);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (FileChannel file = FileChannel.open(path)) {
            FileBlockSource source = new FileBlockSource(file);
            int[] pattern = {512, 512, 1468, 8192, 512, 0, 65464, 512, 0, 1468, -1, -1, 0, -1};
            for (int i = 0; ; i++) {
                int size = pattern[i % pattern.length];
                long n;
                if (size < 0) { // a window of one block, as a lock-step sender reads
                    ByteBuffer[] window = {direct(512)};
                    n = source.read(window, 0, 1);
                    append(got, window[0].flip());
                } else if (size == 0) { // a window of three 700-byte blocks
                    ByteBuffer[] window = {direct(700), direct(700), direct(700)};
                    n = source.read(window, 0, 3);
                    for (ByteBuffer b : window) {
                        append(got, b.flip());
                    }
                } else {
                    ByteBuffer block = direct(size);
                    n = source.read(block);
                    append(got, block.flip());
                }
                if (n == 0) {
                    break;
                }
            }
        }
        assertEquals(content.length, got.size());
        assertArrayEquals(content, got.toByteArray());
    }

    @Test
    void lockStepBlocksEndWithAShortBlock() throws IOException {
        byte[] content = new byte[512 * 40 + 17];
        new Random(9).nextBytes(content);
        Path path = Files.write(dir.resolve("g.bin"), content);
        try (FileChannel file = FileChannel.open(path)) {
            FileBlockSource source = new FileBlockSource(file);
            for (int i = 0; i < 40; i++) {
                assertEquals(512, source.read(direct(512)));
            }
            assertEquals(17, source.read(direct(512)));
            assertEquals(0, source.read(direct(512)));
        }
    }

    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size);
    }

    private static void append(ByteArrayOutputStream out, ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.writeBytes(bytes);
    }
}
