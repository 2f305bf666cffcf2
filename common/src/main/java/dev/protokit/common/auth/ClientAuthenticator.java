package dev.protokit.common.auth;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs the client side of the handshake over a connected socket: sends the hello, answers the
 * challenge, and checks that the server, too, holds the key. Thread-safe and shareable: each
 * call keeps its state on its own stack.
 */
public final class ClientAuthenticator {
    private final SharedKey key;
    private final Duration deadline;
    private final SecureRandom random;

    /**
     * @param key      the key to prove possession of (its id is sent in the clear)
     * @param deadline how long the server has, from the call, to complete the handshake
     */
    public ClientAuthenticator(SharedKey key, Duration deadline) {
        this(key, deadline, new SecureRandom());
    }

    /** As above, drawing the nonce from {@code random}. */
    public ClientAuthenticator(SharedKey key, Duration deadline, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.random = Objects.requireNonNull(random, "random");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
    }

    /**
     * Authenticates to the server on {@code socket} using {@code in} and {@code out} (which must
     * not read ahead, so the application protocol can follow on the same streams).
     *
     * @throws AuthException if the server refuses ({@link AuthError#REJECTED}), fails to prove
     *     it holds the key ({@link AuthError#BAD_MAC}), breaks the protocol, is too slow or hangs up
     */
    public Authenticated authenticate(Socket socket, InputStream in, OutputStream out) {
        HandshakeIo io;
        try {
            io = new HandshakeIo(socket, in, out, deadline);
        } catch (SocketException e) {
            throw new AuthException(AuthError.IO, "connection closed before the handshake: " + e.getMessage(), e);
        }
        try {
            ClientHandshake handshake = new ClientHandshake(key, random);
            io.write(handshake.hello());
            io.write(handshake.onChallenge(io.read("server-challenge")));
            SessionKeys keys = handshake.onServerProof(io.read("server-proof"));
            return new Authenticated(key.id(), keys);
        } finally {
            io.restoreTimeout();
        }
    }

    /** The id of the key this authenticator proves. */
    public KeyId keyId() {
        return key.id();
    }
}
