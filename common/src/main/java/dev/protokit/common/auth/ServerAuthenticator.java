package dev.protokit.common.auth;

import dev.protokit.common.daemon.FailureThrottle;
import java.io.InputStream;
import java.io.OutputStream;
import dev.protokit.common.daemon.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs the server side of the handshake over an accepted connection: the part every
 * authenticating server shares. Adds to {@link ServerHandshake} the deadline, the one generic
 * failure reply, and a per-source-address {@link FailureThrottle}: repeated failures from one
 * address are answered ever more slowly and then refused outright for a while.
 *
 * <p>Thread-safe and meant to be shared: the key lookup is safe for concurrent use, {@link SecureRandom} and
 * the throttle are safe for concurrent use, and each call keeps its state on its own stack.
 */
public final class ServerAuthenticator {
    private final KeyLookup keys;
    private final FailureThrottle<InetAddress> throttle;
    private final Duration deadline;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param keys     the keys clients may authenticate with: a {@link KeyRing}, or a live lookup
     * @param throttle failures per source address; shared by all connections
     * @param deadline how long a client has, from the call, to complete the handshake
     */
    public ServerAuthenticator(KeyLookup keys, FailureThrottle<InetAddress> throttle, Duration deadline) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
    }

    /**
     * Authenticates the client on {@code socket}, reading from {@code in} and writing to
     * {@code out} (the socket's streams, or counting wrappers around them; {@code in} must not
     * read ahead). On success the client holds the same session keys and the caller may start
     * the application protocol on the same streams.
     *
     * @throws AuthException after the generic failure has been sent (if the peer still listens)
     *     and any throttle delay has passed; its {@link AuthError} says why, for the log only
     */
    public Authenticated authenticate(Socket socket, InputStream in, OutputStream out) {
        // Throttled per IPv4 address or IPv6 /64, so a host cannot escape by rotating addresses.
        InetAddress address = Addresses.limitKey(((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress());
        HandshakeIo io;
        try {
            io = new HandshakeIo(socket, in, out, deadline);
        } catch (SocketException e) {
            throw new AuthException(AuthError.IO, "connection closed before the handshake: " + e.getMessage(), e);
        }
        try {
            if (throttle.isLockedOut(address)) {
                // Refuse without looking at anything the client sends: no work for a prober.
                io.writeQuietly(ServerHandshake.failure());
                throw new AuthException(AuthError.LOCKED_OUT, "too many recent failures from " + address.getHostAddress());
            }
            ServerHandshake handshake = new ServerHandshake(keys, random);
            try {
                io.write(handshake.onHello(io.read("client-hello")));
                ServerHandshake.Accepted accepted = handshake.onClientProof(io.read("client-proof"));
                io.write(accepted.serverProof());
                throttle.recordSuccess(address);
                return new Authenticated(accepted.keyId(), accepted.keys());
            } catch (AuthException e) {
                fail(io, address);
                throw handshake.claimedKeyId().map(e::withKeyId).orElse(e);
            }
        } finally {
            io.restoreTimeout();
        }
    }

    /** Waits out the throttle's delay for this failure, then sends the one generic failure. */
    private void fail(HandshakeIo io, InetAddress address) {
        Duration delay = throttle.recordFailure(address);
        if (delay.isPositive()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        io.writeQuietly(ServerHandshake.failure());
    }
}
