package dev.protokit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.common.auth.AuthError;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.ClientHandshake;
import dev.protokit.common.auth.ServerHandshake;
import dev.protokit.common.auth.SharedKey;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client against the real server, and against fake servers that do not hold the key. */
class AuthClientTest {
    private final SharedKey key = TestKeys.key("k1");

    @Test
    void sessionKeysAreEqualOnBothSidesAndDifferPerSession() throws IOException {
        List<byte[]> seen = new ArrayList<>();
        try (AuthServer server = AuthServer.start(AuthServer.Config.loopback(TestKeys.ring(key)))) {
            for (int i = 0; i < 2; i++) {
                try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), key))) {
                    assertFalse(Arrays.equals(client.keys().clientToServer(), client.keys().serverToClient()));
                    seen.add(client.keys().clientToServer());
                }
            }
        }
        assertFalse(Arrays.equals(seen.get(0), seen.get(1)));
        // Equality with the server's keys is shown in common's HandshakeTest, where both sides are visible.
    }

    @Test
    void replayedServerTranscriptIsRejectedByTheClient() throws Exception {
        // Record a genuine server's challenge and proof, then replay them from a fake server.
        byte[][] recorded = new byte[2][];
        try (AuthServer real = AuthServer.start(AuthServer.Config.loopback(TestKeys.ring(key)));
             RawPeer peer = RawPeer.connect(real.localAddress())) {
            ClientHandshake handshake = new ClientHandshake(key, new SecureRandom());
            peer.writeFrame(handshake.hello());
            recorded[0] = peer.readFrame();
            peer.writeFrame(handshake.onChallenge(recorded[0]));
            recorded[1] = peer.readFrame();
        }
        AuthException e = assertThrows(AuthException.class, () -> againstFakeServer(fake -> {
            fake.readFrame();
            fake.writeFrame(recorded[0]);
            fake.readFrame();
            fake.writeFrame(recorded[1]);
            assertEquals(-1, fake.in().read(), "the client sent something after a bad server proof");
        }));
        assertEquals(AuthError.BAD_MAC, e.error());
    }

    @Test
    void serverRefusalIsReportedAsRejected() {
        AuthException e = assertThrows(AuthException.class, () -> againstFakeServer(fake -> {
            fake.readFrame();
            fake.writeFrame(ServerHandshake.failure());
        }));
        assertEquals(AuthError.REJECTED, e.error());
    }

    @Test
    void silentServerTimesOut() {
        AuthException e = assertThrows(AuthException.class, () -> againstFakeServer(fake -> {
            fake.readFrame();
            assertEquals(-1, fake.in().read()); // wait until the client gives up
        }));
        assertEquals(AuthError.TIMEOUT, e.error());
    }

    @Test
    void keyFromAnotherSessionCannotProveTheServer() {
        // A fake server answering with a proof made under a different key.
        SharedKey other = TestKeys.key("k1");
        AuthException e = assertThrows(AuthException.class, () -> againstFakeServer(fake -> {
            ServerHandshake impostor = new ServerHandshake(TestKeys.ring(other), new SecureRandom());
            fake.writeFrame(impostor.onHello(fake.readFrame()));
            byte[] proof = fake.readFrame();
            assertThrows(AuthException.class, () -> impostor.onClientProof(proof));
            fake.writeFrame(ServerHandshake.failure());
        }));
        assertEquals(AuthError.REJECTED, e.error());
    }

    interface Script {
        void run(FakePeer fake) throws Exception;
    }

    /** The server side of a raw connection. */
    record FakePeer(Socket socket, DataInputStream in) {
        byte[] readFrame() throws IOException {
            return in.readNBytes(in.readInt());
        }

        void writeFrame(byte[] body) throws IOException {
            socket.getOutputStream().write(RawPeer.frame(body));
            socket.getOutputStream().flush();
        }
    }

    private void againstFakeServer(Script script) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> {
                try (Socket socket = listener.accept()) {
                    script.run(new FakePeer(socket, new DataInputStream(socket.getInputStream())));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            var config = new AuthClient.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                    key, Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(5), 8192);
            try {
                AuthClient.connect(config).close();
            } finally {
                fake.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
