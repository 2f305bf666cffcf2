package dev.protokit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.auth.AuthCodec;
import dev.protokit.common.auth.AuthError;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.AuthMessage;
import dev.protokit.common.auth.Bytes32;
import dev.protokit.common.auth.ClientHandshake;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.FailureThrottle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo server against good clients and a catalogue of misbehaving ones. */
class AuthServerTest {
    /** Failures never lock anyone out here; RateLimitTest covers the throttle. */
    private static final FailureThrottle.Policy LENIENT = new FailureThrottle.Policy(1000, Duration.ofMillis(1),
            Duration.ofMillis(1), 10_000, Duration.ofSeconds(1), Duration.ofMinutes(1), 1000);

    private final SharedKey current = TestKeys.key("k2026");
    private final SharedKey next = TestKeys.key("k2027");
    private AuthServer server;

    @BeforeEach
    void start() {
        server = AuthServer.start(AuthServer.Config.loopback(TestKeys.ring(current, next))
                .withHandshakeTimeout(Duration.ofSeconds(1)).withThrottle(LENIENT));
    }

    @AfterEach
    void stop() {
        // Every rejection above must have left the server serving.
        assertGoodClientWorks();
        server.close();
    }

    @Test
    void goodKeyGetsLinesUpperCased() throws IOException {
        try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), current))) {
            assertEquals(new KeyId("k2026"), client.keyId());
            assertEquals("HELLO, WORLD 42", client.echo("Hello, world 42"));
            assertEquals("", client.echo(""));
            assertEquals("\u00e9T\u00c9 \u00ff", client.echo("\u00e9t\u00c9 \u00ff")); // non-ASCII bytes unchanged
        }
    }

    @Test
    void everyKeyInTheRingWorksForRotation() throws IOException {
        try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), next))) {
            assertEquals(new KeyId("k2027"), client.keyId());
            assertEquals("ROTATED", client.echo("rotated"));
        }
    }

    @Test
    void wrongKeyIsRejectedWithNothingEchoed() throws IOException {
        SharedKey forged = TestKeys.key("k2026");
        AuthException e = assertThrows(AuthException.class,
                () -> AuthClient.connect(AuthClient.Config.of(server.localAddress(), forged)));
        assertEquals(AuthError.REJECTED, e.error());
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            runUntilProof(peer, forged);
            peer.assertFailedWithoutEcho();
        }
    }

    @Test
    void unknownKeyIdLooksLikeAWrongKey() throws IOException {
        SharedKey stranger = TestKeys.key("nobody");
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            // The challenge comes as usual: the id's existence is not revealed.
            runUntilProof(peer, stranger);
            peer.assertFailedWithoutEcho();
        }
    }

    @Test
    void garbageIsRejected() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            peer.writeRaw("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
            peer.assertFailedWithoutEcho();
        }
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            peer.writeFrame("{\"type\":\"client-hello\",\"key_id\":[1]}".getBytes(StandardCharsets.UTF_8));
            peer.assertFailedWithoutEcho();
        }
    }

    @Test
    void silentClientIsCutOffAtTheDeadline() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            long start = System.nanoTime();
            assertGenericFailureThenEnd(peer);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(900)) >= 0,
                    "cut off before the 1 s deadline");
        }
    }

    @Test
    void slowClientThatStopsAfterTheHelloIsCutOff() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            ClientHandshake handshake = new ClientHandshake(current, new SecureRandom());
            peer.writeFrame(handshake.hello());
            AuthCodec.decode(peer.readFrame()); // the challenge; then say nothing
            assertGenericFailureThenEnd(peer);
        }
    }

    @Test
    void truncatedHandshakeIsRejected() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            byte[] hello = RawPeer.frame(new ClientHandshake(current, new SecureRandom()).hello());
            peer.out().write(hello, 0, hello.length / 2);
            peer.socket().shutdownOutput();
            assertGenericFailureThenEnd(peer);
        }
    }

    @Test
    void replayedClientTranscriptIsRejected() throws IOException {
        Recorded recorded = recordGoodSession();
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            peer.writeFrame(recorded.t1());
            AuthCodec.decode(peer.readFrame()); // a fresh challenge: the old proof no longer fits
            peer.writeFrame(recorded.t3());
            peer.assertFailedWithoutEcho();
        }
    }

    @Test
    void reflectedServerMacIsRejected() throws IOException {
        Recorded recorded = recordGoodSession();
        byte[] serverMac = ((AuthMessage.ServerProof) AuthCodec.decode(recorded.t4())).mac().bytes();
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            peer.writeFrame(recorded.t1());
            peer.readFrame();
            peer.writeFrame(AuthCodec.encode(new AuthMessage.ClientProof(new Bytes32(serverMac))));
            peer.assertFailedWithoutEcho();
        }
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            peer.writeFrame(recorded.t1());
            peer.writeFrame(peer.readFrame()); // the server's own challenge, sent back
            peer.assertFailedWithoutEcho();
        }
    }

    /** The four bodies of a good session, as an eavesdropper would record them. */
    record Recorded(byte[] t1, byte[] t2, byte[] t3, byte[] t4) {}

    Recorded recordGoodSession() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.localAddress())) {
            ClientHandshake handshake = new ClientHandshake(current, new SecureRandom());
            byte[] t1 = handshake.hello();
            peer.writeFrame(t1);
            byte[] t2 = peer.readFrame();
            byte[] t3 = handshake.onChallenge(t2);
            peer.writeFrame(t3);
            byte[] t4 = peer.readFrame();
            handshake.onServerProof(t4).destroy();
            return new Recorded(t1, t2, t3, t4);
        }
    }

    /** Runs the handshake with {@code key} up to and including sending the client proof. */
    private static void runUntilProof(RawPeer peer, SharedKey key) throws IOException {
        ClientHandshake handshake = new ClientHandshake(key, new SecureRandom());
        peer.writeFrame(handshake.hello());
        peer.writeFrame(handshake.onChallenge(peer.readFrame()));
    }

    private static void assertGenericFailureThenEnd(RawPeer peer) throws IOException {
        RawPeer.assertGenericFailure(peer.readFrame());
        assertEquals(0, peer.readToEnd().length);
    }

    private void assertGoodClientWorks() {
        try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), current))) {
            assertEquals("STILL UP", client.echo("still up"));
        } catch (IOException e) {
            throw new AssertionError("server stopped serving good clients", e);
        }
    }
}
