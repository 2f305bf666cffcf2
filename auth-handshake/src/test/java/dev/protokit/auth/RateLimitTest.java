package dev.protokit.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.common.auth.AuthError;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.ClientAuthenticator;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.FailureThrottle;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Repeated failures from one address lock that address out, and only that address. */
class RateLimitTest {
    private static final FailureThrottle.Policy STRICT = new FailureThrottle.Policy(1, Duration.ofMillis(20),
            Duration.ofMillis(100), 3, Duration.ofMinutes(5), Duration.ofMinutes(5), 1000);

    private final SharedKey key = TestKeys.key("k1");

    @Test
    void locksOutAnAddressAfterRepeatedFailures() throws IOException {
        try (AuthServer server = AuthServer.start(AuthServer.Config.loopback(TestKeys.ring(key)).withThrottle(STRICT))) {
            SharedKey guess = TestKeys.key("k1");
            for (int i = 0; i < 3; i++) {
                AuthException e = assertThrows(AuthException.class,
                        () -> AuthClient.connect(AuthClient.Config.of(server.localAddress(), guess)));
                assertEquals(AuthError.REJECTED, e.error());
            }
            assertEquals(1, server.throttledAddresses());

            // Now even the right key is refused from 127.0.0.1, at once and without a challenge ...
            try (RawPeer peer = RawPeer.connect(server.localAddress())) {
                peer.assertFailedWithoutEcho();
            }
            AuthException locked = assertThrows(AuthException.class,
                    () -> AuthClient.connect(AuthClient.Config.of(server.localAddress(), key)));
            assertEquals(AuthError.REJECTED, locked.error());

            // ... while another address is served as before.
            try (RawPeer other = RawPeer.from(InetAddress.getByName("127.0.0.2"), server.localAddress())) {
                var authenticated = new ClientAuthenticator(key, Duration.ofSeconds(5))
                        .authenticate(other.socket(), other.in(), other.out());
                assertEquals("k1", authenticated.keyId().value());
                other.writeRaw("from elsewhere\r\n");
                assertEquals("FROM ELSEWHERE\r\n", new String(other.in().readNBytes(16), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void successClearsTheRecordOfEarlierFailures() throws IOException {
        try (AuthServer server = AuthServer.start(AuthServer.Config.loopback(TestKeys.ring(key)).withThrottle(STRICT))) {
            SharedKey guess = TestKeys.key("k1");
            for (int i = 0; i < 2; i++) {
                assertThrows(AuthException.class, () -> AuthClient.connect(AuthClient.Config.of(server.localAddress(), guess)));
            }
            assertEquals(1, server.throttledAddresses());
            try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), key))) {
                assertEquals("OK", client.echo("ok"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.throttledAddresses() == 0);
        }
    }
}
