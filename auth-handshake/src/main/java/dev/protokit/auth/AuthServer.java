package dev.protokit.auth;

import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.auth.ServerAuthenticator;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.daemon.TcpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The authenticated echo service, startable in-process (tests use port 0): each connection
 * runs the {@code protokit-auth/1} handshake and, once both sides have proved they hold the
 * key, gets every CRLF line back with its ASCII letters upper-cased. A peer that fails gets the
 * one generic failure, nothing echoed, and is disconnected.
 */
public final class AuthServer implements AutoCloseable {
    /** The port {@code auth-server} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 7000;
    /**
     * Extra time the runtime gives the handshake before it closes the socket itself: the
     * authenticator's own deadline fires first and ends the session cleanly; this is the backstop.
     */
    private static final Duration BACKSTOP = Duration.ofSeconds(2);

    /**
     * @param bindAddress      where to listen; port 0 picks a free port
     * @param keys             the keys clients may authenticate with
     * @param limits           sessions at once, overall and per peer address
     * @param idleTimeout      an authenticated session silent this long is closed
     * @param handshakeTimeout a client must finish the handshake within this time
     * @param throttle         failure delays and lockout per source address
     * @param maxLineBytes     the longest line echoed; a longer one ends the session
     */
    public record Config(InetSocketAddress bindAddress, KeyRing keys, ConnectionLimits limits, Duration idleTimeout,
                         Duration handshakeTimeout, FailureThrottle.Policy throttle, int maxLineBytes) {
        public Config {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(throttle, "throttle");
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive, got " + handshakeTimeout);
            }
            if (maxLineBytes < 1) {
                throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
            }
        }

        /** Loopback, any free port, the daemon's default limits and throttle: what tests start from. */
        public static Config loopback(KeyRing keys) {
            return new Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), keys,
                    new ConnectionLimits(512, 32), Duration.ofMinutes(5), Duration.ofSeconds(10),
                    FailureThrottle.Policy.defaults(), EchoHandler.DEFAULT_MAX_LINE_BYTES);
        }

        public Config withBindAddress(InetSocketAddress value) {
            return new Config(value, keys, limits, idleTimeout, handshakeTimeout, throttle, maxLineBytes);
        }

        public Config withLimits(ConnectionLimits value) {
            return new Config(bindAddress, keys, value, idleTimeout, handshakeTimeout, throttle, maxLineBytes);
        }

        public Config withHandshakeTimeout(Duration value) {
            return new Config(bindAddress, keys, limits, idleTimeout, value, throttle, maxLineBytes);
        }

        public Config withThrottle(FailureThrottle.Policy value) {
            return new Config(bindAddress, keys, limits, idleTimeout, handshakeTimeout, value, maxLineBytes);
        }

        public Config withMaxLineBytes(int value) {
            return new Config(bindAddress, keys, limits, idleTimeout, handshakeTimeout, throttle, value);
        }
    }

    private final TcpServer tcp;
    private final FailureThrottle<InetAddress> throttle;

    private AuthServer(TcpServer tcp, FailureThrottle<InetAddress> throttle) {
        this.tcp = tcp;
        this.throttle = throttle;
    }

    /** Binds, logs the "listening" line and starts serving. */
    public static AuthServer start(Config config) {
        Objects.requireNonNull(config, "config");
        FailureThrottle<InetAddress> throttle = new FailureThrottle<>(config.throttle());
        var authenticator = new ServerAuthenticator(config.keys(), throttle, config.handshakeTimeout());
        var tcpConfig = new TcpServer.Config("auth-server", config.bindAddress(), config.limits(),
                config.idleTimeout(), config.handshakeTimeout().plus(BACKSTOP));
        TcpServer tcp = TcpServer.start(tcpConfig, new EchoHandler(authenticator, config.maxLineBytes()));
        return new AuthServer(tcp, throttle);
    }

    /** The bound address, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return tcp.localAddress();
    }

    /** The bound port. */
    public int port() {
        return tcp.port();
    }

    /** Sessions in progress now. */
    public int activeSessions() {
        return tcp.activeSessions();
    }

    /** Source addresses with recent failures on record (for tests and metrics). */
    public int throttledAddresses() {
        return throttle.trackedKeys();
    }

    /** Stops accepting, lets sessions finish for up to {@code grace}, then closes the rest. */
    public void shutdown(Duration grace) {
        tcp.shutdown(grace);
    }

    /** Stops at once. */
    @Override
    public void close() {
        tcp.close();
    }
}
