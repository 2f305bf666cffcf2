package dev.protokit.tftp.client;

import static dev.protokit.tftp.client.ImpairedLink.DELIVER;
import static dev.protokit.tftp.client.ImpairedLink.DROP;
import static dev.protokit.tftp.client.ImpairedLink.Direction.TO_CLIENT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.TftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #9: transfers through heavy loss, with drops chosen by the packet (direction, opcode,
 * block and which copy of it this is), never by time or by position in the stream, so every
 * run meets the same losses whatever the machine's load. The server is {@link TestServer}
 * (200 ms timeout, 5 retries); the client is the library.
 */
class HeavyLossTest {
    private static final int SIZE = 150_000; // 103 blocks of 1468

    /** Drops the copies of each packet that a fixed hash picks, at {@code percent}; a fourth copy always passes. */
    static ImpairedLink.Script lossy(int percent) {
        Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
        return (d, op, block, i) -> {
            String key = d + "/" + op + "/" + block;
            int copy = copies.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
            long h = (key.hashCode() * 0x9E3779B97F4A7C15L + copy) * 0xBF58476D1CE4E5B9L;
            return copy < 3 && Math.floorMod(h >>> 17, 100) < percent ? DROP : DELIVER;
        };
    }

    /**
     * The ACK that ends each window is lost once. The sender times out and sends its window
     * again; the receiver must answer that burst at once, because it started before its last
     * ACK. Before the fix it ignored every repeat and waited for its own timeout (here 30 s),
     * and the server gave up after its 5 retries.
     */
    @ParameterizedTest(name = "window {0}")
    @CsvSource({"4", "16"})
    void aLostWindowAckIsRepairedByTheNextBurst(int window) throws Exception {
        byte[] content = TftpClientTest.random(SIZE);
        Map<Integer, Boolean> dropped = new ConcurrentHashMap<>();
        ImpairedLink.Script script = (d, op, block, i) ->
                d != TO_CLIENT && op == 4 && block > 0 && block % window == 0 && dropped.putIfAbsent(block, true) == null
                        ? DROP : DELIVER;
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true);
             var link = new ImpairedLink(server.address(), script)) {
            server.files.put("f", content);
            var client = TftpClient.builder(link.address()).timeout(Duration.ofSeconds(30)).retries(5)
                    .blockSize(1468).windowSize(window).linger(Duration.ofMillis(300)).build();
            getByteExact(client, server, content);
            assertTrue(dropped.size() >= SIZE / 1468 / window, "the script dropped " + dropped.size() + " ACKs");
        }
    }

    @ParameterizedTest(name = "{0}% loss, window {1}, get {2}")
    @CsvSource({"20, 1, true", "20, 1, false", "20, 16, true", "20, 16, false", "20, 64, true", "30, 16, true"})
    void completesByteExactThroughHeavyLoss(int percent, int window, boolean get) throws Exception {
        byte[] content = TftpClientTest.random(SIZE + window);
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true);
             var link = new ImpairedLink(server.address(), lossy(percent))) {
            var client = TftpClient.builder(link.address()).timeout(Duration.ofSeconds(1)).retries(5)
                    .blockSize(1468).windowSize(window).transferSize(true).linger(Duration.ofMillis(500)).build();
            if (get) {
                server.files.put("f", content);
                getByteExact(client, server, content);
            } else {
                try {
                    client.put(new ByteArrayInputStream(content), "f");
                } catch (TftpException e) {
                    throw new AssertionError("put failed; server side: " + server.failures, e);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> server.files.containsKey("f"));
                assertEquals(MisbehavingNetworkTest.sha256(content), MisbehavingNetworkTest.sha256(server.files.get("f")));
            }
            assertTrue(server.failures.isEmpty(), "server side: " + server.failures);
        }
    }

    /** Gets "f" and asserts it is {@code content} byte for byte; a failure names the server's failures. */
    private static void getByteExact(TftpClient client, TestServer server, byte[] content) throws Exception {
        var out = new ByteArrayOutputStream();
        try {
            client.get("f", out);
        } catch (TftpException e) {
            throw new AssertionError("get failed; server side: " + server.failures, e);
        }
        assertEquals(MisbehavingNetworkTest.sha256(content), MisbehavingNetworkTest.sha256(out.toByteArray()));
    }
}
