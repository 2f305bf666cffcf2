package dev.protokit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.ConnectionLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thousand authenticated clients at once: every one connects and authenticates, all wait
 * until all are in (so the server really holds 1,000 authenticated sessions together), then
 * each has a line echoed. Clients run on virtual threads.
 */
class ConcurrentClientsTest {
    private static final int CLIENTS = 1000;

    @Test
    void servesAThousandAuthenticatedClientsAtOnce() throws Exception {
        SharedKey key = TestKeys.key("load");
        var config = AuthServer.Config.loopback(TestKeys.ring(key))
                .withLimits(new ConnectionLimits(CLIENTS + 10, CLIENTS + 10))
                .withHandshakeTimeout(Duration.ofSeconds(30));
        try (AuthServer server = AuthServer.start(config);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allIn = new CountDownLatch(CLIENTS);
            List<Future<String>> replies = new ArrayList<>();
            var clientConfig = new AuthClient.Config(server.localAddress(), key, Duration.ofSeconds(30),
                    Duration.ofSeconds(30), Duration.ofSeconds(30), 8192);
            for (int i = 0; i < CLIENTS; i++) {
                String line = "client " + i;
                replies.add(clients.submit(() -> {
                    try (AuthClient client = AuthClient.connect(clientConfig)) {
                        allIn.countDown();
                        assertTrue(allIn.await(60, TimeUnit.SECONDS), "not all clients got in");
                        return client.echo(line);
                    }
                }));
            }
            for (int i = 0; i < CLIENTS; i++) {
                assertEquals("CLIENT " + i, replies.get(i).get(90, TimeUnit.SECONDS));
            }
            try (AuthClient after = AuthClient.connect(AuthClient.Config.of(server.localAddress(), key))) {
                assertEquals("STILL UP", after.echo("still up"));
            }
        }
    }
}
