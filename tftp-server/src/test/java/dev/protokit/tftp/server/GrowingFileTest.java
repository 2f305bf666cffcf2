package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TransferMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that changes size during an RRQ: exactly the announced tsize is sent, or the transfer fails. */
class GrowingFileTest {
    @TempDir
    Path root;

    /** Reads a whole RRQ with tsize from {@code peer}, lock-step, after {@code change} runs between OACK and ACK 0. */
    private static Object read(ServerFixture f, String name, int blksize, Runnable change) throws IOException {
        try (var peer = new RawPeer()) {
            peer.send(new ReadRequest(name, TransferMode.OCTET, TftpOptions.of("tsize", "0", "blksize", Integer.toString(blksize))),
                    f.address());
            In oack = peer.receive();
            assertInstanceOf(OptionAck.class, oack.packet());
            change.run();
            var got = new ByteArrayOutputStream();
            peer.ack(0, oack.from());
            int expected = 1;
            while (true) {
                In in = peer.receive();
                if (in.packet() instanceof TftpError e) {
                    return e;
                }
                Data data = assertInstanceOf(Data.class, in.packet());
                if (data.block() != expected) {
                    continue; // a retransmission of a block we have
                }
                expected++;
                got.writeBytes(data.bytes());
                peer.ack(data.block(), oack.from());
                if (data.length() < blksize) {
                    return got.toByteArray();
                }
            }
        }
    }

    @Test
    void aFileThatGrowsIsSentExactlyAsLongAsAnnounced() throws IOException {
        // Issue #9: read-ahead to the next 16 KiB boundary sent 114,688 bytes for tsize 102,400.
        try (var f = ServerFixture.start(root, c -> c)) {
            Path file = f.file("log.bin", 102_400);
            byte[] original = Files.readAllBytes(file);
            Object result = read(f, "log.bin", 512, () -> append(file, 50_000));
            byte[] got = assertInstanceOf(byte[].class, result);
            assertEquals(102_400, got.length);
            assertArrayEquals(original, got);
        }
    }

    @Test
    void aFileThatShrinksFailsTheTransfer() throws IOException {
        try (var f = ServerFixture.start(root, c -> c)) {
            Path file = f.file("short.bin", 100_000);
            Object result = read(f, "short.bin", 1024, () -> truncate(file, 10_000));
            assertInstanceOf(TftpError.class, result, "a short file is an error, never a success");
        }
    }

    private static void append(Path file, int bytes) {
        try {
            Files.write(file, new byte[bytes], StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long size) {
        try (var ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
