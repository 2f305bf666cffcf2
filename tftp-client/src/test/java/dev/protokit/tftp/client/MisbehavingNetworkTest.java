package dev.protokit.tftp.client;

import static dev.protokit.tftp.client.ImpairedLink.DELIVER;
import static dev.protokit.tftp.client.ImpairedLink.DROP;
import static dev.protokit.tftp.client.ImpairedLink.Direction.TO_CLIENT;
import static dev.protokit.tftp.client.ImpairedLink.Direction.TO_SERVER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.tftp.wire.TftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transfers through a network that drops, duplicates, reorders and delays packets: each one
 * either completes with the right SHA-256 or fails with the right error.
 */
class MisbehavingNetworkTest {
    private static final int SIZE = 40_000; // 79 blocks of 512, 10 windows of 8 at blksize 512

    @TempDir
    Path dir;

    static Stream<Arguments> scripts() {
        var onceDropped = ConcurrentHashMap.<String>newKeySet();
        int lastBlock = SIZE / 512 + 1;
        ImpairedLink.Script[] scripts = {
            (d, op, block, i) -> d == TO_CLIENT && chance(i, 15) ? DROP : DELIVER,
            (d, op, block, i) -> d == TO_SERVER && chance(i, 15) ? DROP : DELIVER,
            (d, op, block, i) -> i % 3 == 1 ? List.of(0, 0) : DELIVER,
            (d, op, block, i) -> op == 3 && i % 4 == 1 ? List.of(25) : DELIVER,
            (d, op, block, i) -> i % 6 == 0 ? List.of(0, 15, 40) : DELIVER,
            (d, op, block, i) -> op == 4 && block == lastBlock && onceDropped.add("ack" + d) ? DROP : DELIVER,
            (d, op, block, i) -> op == 3 && block == lastBlock && onceDropped.add("data" + d) ? DROP : DELIVER,
            (d, op, block, i) -> (op == 6 || op == 1 || op == 2) && onceDropped.add("open" + op) ? DROP : DELIVER,
        };
        String[] names = {"drop 15% to client", "drop 15% to server", "duplicate every 3rd",
            "delay every 4th DATA (reorder)", "triplicate with delays", "drop the final ACK once",
            "drop the final DATA once", "drop the request and the OACK once"};
        return Stream.of(1, 8).flatMap(window -> Stream.of(true, false).flatMap(get ->
                java.util.stream.IntStream.range(0, scripts.length).mapToObj(k -> {
                    onceDropped.clear();
                    return Arguments.of(names[k], window, get, scripts[k]);
                })));
    }

    @ParameterizedTest(name = "{0}, window {1}, get {2}")
    @MethodSource("scripts")
    void completesByteExact(String name, int window, boolean get, ImpairedLink.Script script) throws Exception {
        byte[] content = TftpClientTest.random(SIZE);
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true);
             var link = new ImpairedLink(server.address(), script)) {
            var client = TftpClient.builder(link.address()).timeout(Duration.ofMillis(100)).retries(6)
                    .blockSize(512).windowSize(window).transferSize(true).linger(Duration.ofMillis(300)).build();
            if (get) {
                server.files.put("f", content);
                var out = new ByteArrayOutputStream();
                client.get("f", out);
                assertEquals(sha256(content), sha256(out.toByteArray()));
            } else {
                try {
                    client.put(new ByteArrayInputStream(content), "f");
                } catch (TftpException e) {
                    throw new AssertionError("put failed; server side: " + server.failures, e);
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> server.files.containsKey("f"));
                assertEquals(sha256(content), sha256(server.files.get("f")));
            }
        }
    }

    @Test
    void serverGoingSilentFailsWithATimeoutAndNoPartialFile() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true);
             var link = new ImpairedLink(server.address(), (d, op, block, i) -> d == TO_CLIENT && i >= 20 ? DROP : DELIVER)) {
            server.files.put("f", TftpClientTest.random(SIZE));
            var client = TftpClient.builder(link.address()).timeout(Duration.ofMillis(50)).retries(3).build();
            var e = assertThrows(TftpException.class, () -> client.get("f", dir.resolve("f")));
            assertEquals("timed out after 3 retries: no DATA block 21", e.getMessage());
            assertFalse(Files.exists(dir.resolve("f")));
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count());
            }
        }
    }

    /**
     * A deterministic pseudo-random choice by packet index. (A strict period would be unfair: a
     * period equal to the retransmitted window loses the same block on every retry.)
     */
    static boolean chance(int index, int percent) {
        return Math.floorMod((index * 2654435761L) >>> 7, 100) < percent;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
