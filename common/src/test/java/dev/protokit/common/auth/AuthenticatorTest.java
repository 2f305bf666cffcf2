package dev.protokit.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.FailureThrottle;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The socket drivers over loopback: keys agree, deadline, throttle, timeouts restored. */
class AuthenticatorTest {
    private final SharedKey key = KeyFileWriter.generate(new KeyId("k1"), new SecureRandom());
    private final FailureThrottle<InetAddress> throttle = new FailureThrottle<>(new FailureThrottle.Policy(
            0, Duration.ofMillis(1), Duration.ofMillis(5), 2, Duration.ofMinutes(1), Duration.ofMinutes(1), 100));
    private final ServerAuthenticator server =
            new ServerAuthenticator(new KeyRing(List.of(key)), throttle, Duration.ofSeconds(3)); // far above a loaded box's delays
    private final ServerSocket listener = listen();

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void bothSidesDeriveTheSameKeysAndKeepTheirTimeouts() throws Exception {
        CompletableFuture<Authenticated> accepted = acceptOne();
        try (Socket socket = connect()) {
            socket.setSoTimeout(1234);
            Authenticated client = new ClientAuthenticator(key, Duration.ofSeconds(5))
                    .authenticate(socket, socket.getInputStream(), socket.getOutputStream());
            Authenticated serverSide = accepted.get(10, TimeUnit.SECONDS);
            assertEquals(client.keyId(), serverSide.keyId());
            assertArrayEquals(client.keys().clientToServer(), serverSide.keys().clientToServer());
            assertArrayEquals(client.keys().serverToClient(), serverSide.keys().serverToClient());
            assertEquals(1234, socket.getSoTimeout());
        }
    }

    @Test
    void silentClientFailsAtTheDeadlineAndGetsTheGenericFailure() throws Exception {
        CompletableFuture<Authenticated> accepted = acceptOne();
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            AuthException e = serverFailure(accepted);
            assertEquals(AuthError.TIMEOUT, e.error());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(450).toNanos());
            byte[] failure = ServerHandshake.failure();
            assertEquals(failure.length, new DataInputStream(socket.getInputStream()).readInt());
            assertArrayEquals(failure, socket.getInputStream().readNBytes(failure.length));
        }
    }

    @Test
    void lockedOutAddressIsRefusedWithoutAChallenge() throws Exception {
        SharedKey wrong = KeyFileWriter.generate(new KeyId("k1"), new SecureRandom());
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Authenticated> accepted = acceptOne();
            try (Socket socket = connect()) {
                assertThrows(AuthException.class, () -> new ClientAuthenticator(wrong, Duration.ofSeconds(5))
                        .authenticate(socket, socket.getInputStream(), socket.getOutputStream()));
                assertEquals(AuthError.BAD_MAC, serverFailure(accepted).error());
            }
        }
        CompletableFuture<Authenticated> accepted = acceptOne();
        try (Socket socket = connect()) {
            AuthException refused = assertThrows(AuthException.class, () -> new ClientAuthenticator(key, Duration.ofSeconds(5))
                    .authenticate(socket, socket.getInputStream(), socket.getOutputStream()));
            assertEquals(AuthError.REJECTED, refused.error());
            assertEquals(AuthError.LOCKED_OUT, serverFailure(accepted).error());
        }
    }

    private CompletableFuture<Authenticated> acceptOne() {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = listener.accept()) {
                return server.authenticate(socket, socket.getInputStream(), socket.getOutputStream());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static AuthException serverFailure(CompletableFuture<Authenticated> accepted) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> accepted.get(10, TimeUnit.SECONDS));
        return assertInstanceOfAuth(e.getCause());
    }

    private static AuthException assertInstanceOfAuth(Throwable t) {
        assertTrue(t instanceof AuthException, () -> "expected AuthException, got " + t);
        return (AuthException) t;
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
