package dev.protokit.tftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the final ACK of an upload the server stays to ACK the last block again if that ACK was
 * lost (RFC 1350 section 6). A client whose own timer equals the server's (atftp: 1 s, the
 * server's default) repeats its last DATA at about the moment a one-timeout linger ends, and
 * if that repeat is lost too, its next one comes a timeout later: atftp puts at 20% loss failed
 * so (2 in 60). The linger covers a repeat after the longest back-off as well.
 */
class UploadLingerTest {
    @TempDir
    Path root;

    @Test
    void aFinalBlockRepeatedAfterMoreThanOneTimeoutIsAcknowledgedAgain() throws Exception {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES));
             var client = new RawPeer()) {
            client.send(new WriteRequest("up.bin", TransferMode.OCTET, TftpOptions.of()), f.address());
            In ack0 = client.receive();
            assertEquals(new Ack(0), ack0.packet());
            byte[] last = {1, 2, 3};
            client.data(1, last, ack0.from());
            assertEquals(new Ack(1), client.receive().packet());
            // Our ACK 1 "was lost", and so was the first repeat of DATA 1: the next comes later
            // than one of the server's timeouts (300 ms in the fixture).
            Thread.sleep(f.server.config().timeout().toMillis() * 3 / 2);
            client.data(1, last, ack0.from());
            assertEquals(new Ack(1), client.receive(Duration.ofSeconds(2)).orElseThrow().packet(), "the final ACK again");
            await().atMost(Duration.ofSeconds(10)).until(() -> f.server.activeTransfers() == 0);
            assertArrayEquals(last, Files.readAllBytes(root.resolve("up.bin")));
        }
    }
}
