package dev.protokit.tftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OACK to a WRQ goes again only to a client that repeats its WRQ, never on a timer, as for
 * a read. atftp takes every OACK it gets during a put for the answer to its WRQ and starts over
 * with the next block number: a lost DATA 1 and the server's timer OACK made it send DATA 2,
 * 3, 4 ... while the server waited for DATA 1 (6 of 60 atftp puts at 20% loss aborted, with
 * the server cut for handshake-timeout). A timer OACK would also go to a forged source.
 */
class UploadOackTest {
    @TempDir
    Path root;

    @Test
    void oackToAWriteIsSentAgainOnlyForARepeatedRequest() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES));
             var client = new RawPeer()) {
            var wrq = new WriteRequest("up.bin", TransferMode.OCTET, TftpOptions.of("blksize", "512"));
            client.send(wrq, f.address());
            In oack = client.receive();
            assertInstanceOf(OptionAck.class, oack.packet());
            // Our DATA 1 "is lost": for several of the server's 300 ms timeouts nothing comes.
            assertTrue(client.receive(Duration.ofMillis(1000)).isEmpty(), "no OACK on a timer");
            client.send(wrq, f.address()); // as if the OACK had been lost: the request again
            In again = client.receive();
            assertEquals(oack.from(), again.from(), "the same transfer answers");
            assertEquals(oack.packet(), again.packet());
            byte[] first = new byte[512];
            Arrays.fill(first, (byte) 7);
            client.data(1, first, oack.from());
            assertEquals(new Ack(1), client.receive().packet());
            client.send(wrq, f.address()); // a late repeat of the request changes nothing
            client.data(2, new byte[] {1, 2, 3}, oack.from());
            assertEquals(new Ack(2), client.receive().packet());
            await().atMost(Duration.ofSeconds(10)).until(() -> f.server.activeTransfers() == 0);
            byte[] want = Arrays.copyOf(first, 515);
            want[512] = 1;
            want[513] = 2;
            want[514] = 3;
            assertArrayEquals(want, Files.readAllBytes(root.resolve("up.bin")));
        }
    }
}
