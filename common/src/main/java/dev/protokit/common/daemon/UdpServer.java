package dev.protokit.common.daemon;

import dev.protokit.common.daemon.AddressLimiter.Admission;
import dev.protokit.common.daemon.AddressLimiter.Permit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP daemon runtime, {@link TcpServer}'s counterpart for datagram protocols: listening
 * sockets each read by a {@link UdpListener} thread, per-source request rate limiting, session
 * limits (overall and per address, IPv6 per /64), a virtual (or platform) thread per session, a
 * watchdog that cuts sessions past their idle or handshake limit, one log line per session, and
 * a three-step shutdown: stop receiving, drain for a grace period, cut the rest.
 *
 * <p>Two shapes of server fit. A <b>request/response</b> server (STUN binding, a rendezvous
 * lookup) answers in its {@link DatagramHandler}, on the listener thread, with
 * {@link Inbound#reply}; it should call {@link Inbound#withinRate()} before any work that
 * answers an unauthenticated source, and never block. A <b>session</b> server (a TFTP transfer,
 * a TURN allocation) admits the peer with {@link #admit}, then {@link #startSession}s a
 * {@link SessionTask} that runs as plain blocking code on its own thread and reports progress
 * on its {@link UdpSession} so the watchdog can tell a slow session from a dead one.
 *
 * <pre>{@code
 * var server = UdpServer.start(UdpServer.Config.of("stun", limitOptions, 1500), bind, srv -> in -> {
 *     if (in.withinRate()) {
 *         in.reply(answer(in.packet()));
 *     }
 * });
 * }</pre>
 * Threads, shared state and shutdown order are described in the module's CONCURRENCY.md files
 * (tftp-server's is the worked example).
 */
public final class UdpServer implements AutoCloseable {
    /**
     * What runs a session. A platform thread wakes straight from the kernel when its socket has
     * a datagram; a virtual thread is woken by the JDK's poller and then scheduled on a carrier,
     * two hand-offs that dominate a session waiting for the peer after each datagram or window
     * (TFTP: 0.5-0.8x the C servers in lock-step on virtual threads, issue #9). Every kind is
     * bounded by the session limits, and a platform thread holds no carrier while it blocks.
     */
    public enum SessionThreads {
        /** A virtual thread per session: the cheapest, for very many sessions. */
        VIRTUAL,
        /** A platform thread per session (as many as the session limit allows). */
        PLATFORM,
        /**
         * A platform thread while fewer than {@link #AUTO_PLATFORM_MAX} sessions hold one, a
         * virtual thread beyond: the fast path for the usual load, and the number of kernel
         * threads stays bounded whatever the session limit.
         */
        AUTO;

        /** The most sessions on platform threads under {@link #AUTO}. */
        public static final int AUTO_PLATFORM_MAX = 256;
    }

    /**
     * @param name daemon name, for log lines and thread names
     * @param limits sessions at once, overall and per peer address
     * @param idleTimeout a session without progress for this long is cut ({@code ZERO}: never)
     * @param handshakeTimeout a session not {@link UdpSession#handshakeComplete()} within this is cut ({@code ZERO}: never)
     * @param requestRate what {@link Inbound#withinRate()} allows per source address
     * @param maxPacketSize the largest datagram the protocol accepts (longer ones reach the handler one byte longer)
     * @param threads what runs sessions
     */
    public record Config(String name, ConnectionLimits limits, Duration idleTimeout, Duration handshakeTimeout,
                         RequestRate.Policy requestRate, int maxPacketSize, SessionThreads threads) {
        public Config {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(requestRate, "requestRate");
            Objects.requireNonNull(threads, "threads");
            if (idleTimeout.isNegative() || handshakeTimeout.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative");
            }
            if (maxPacketSize < 1 || maxPacketSize > 65_535) {
                throw new IllegalArgumentException("maxPacketSize must be 1..65535, got " + maxPacketSize);
            }
        }

        /** A configuration from the shared limit flags, default request rate, virtual threads. */
        public static Config of(String name, LimitOptions flags, int maxPacketSize) {
            return new Config(name, flags.limits(), flags.idleTimeout(), flags.handshakeTimeout(),
                    RequestRate.Policy.defaults(), maxPacketSize, SessionThreads.VIRTUAL);
        }

        /** The same with other session threads. */
        public Config withThreads(SessionThreads kind) {
            return new Config(name, limits, idleTimeout, handshakeTimeout, requestRate, maxPacketSize, kind);
        }

        /** The same with another request rate. */
        public Config withRequestRate(RequestRate.Policy policy) {
            return new Config(name, limits, idleTimeout, handshakeTimeout, policy, maxPacketSize, threads);
        }
    }

    /** Handles one datagram on a listener thread; must not block (hand slow work to a session). */
    @FunctionalInterface
    public interface DatagramHandler {
        void onDatagram(Inbound datagram) throws Exception;
    }

    /** A session's work, run on its own thread; exceptions end the session, never the server. */
    @FunctionalInterface
    public interface SessionTask {
        void run(UdpSession session) throws Exception;
    }

    /** One received datagram; valid only during {@link DatagramHandler#onDatagram}. */
    public final class Inbound {
        private final DatagramChannel socket;
        private final InetSocketAddress from;
        private final ByteBuffer packet;

        private Inbound(DatagramChannel socket, InetSocketAddress from, ByteBuffer packet) {
            this.socket = socket;
            this.from = from;
            this.packet = packet;
        }

        /** The source address and port (unauthenticated: it may be forged). */
        public InetSocketAddress from() {
            return from;
        }

        /** The datagram, position to limit; reused for the next datagram, so copy what you keep. */
        public ByteBuffer packet() {
            return packet;
        }

        /** The local address it arrived on. */
        public InetSocketAddress local() {
            return UdpSockets.localAddress(socket);
        }

        /** Takes a token from the source's bucket: false means drop the datagram unanswered. */
        public boolean withinRate() {
            return rate.tryAcquire(from.getAddress());
        }

        /** Sends {@code answer} to the source from the socket the datagram arrived on. */
        public void reply(ByteBuffer answer) throws IOException {
            socket.send(answer, from);
        }
    }

    private final Config config;
    private final Logger log;
    private final UdpSockets sockets;
    private final AddressLimiter limiter;
    private final RequestRate rate;
    private final UdpSessions sessions;
    private volatile boolean stopping;

    private UdpServer(Config config, List<DatagramChannel> sockets) {
        this.config = config;
        this.log = LoggerFactory.getLogger(config.name());
        this.sockets = new UdpSockets(config.name(), sockets);
        this.limiter = new AddressLimiter(config.limits());
        this.rate = new RequestRate(config.requestRate());
        this.sessions = new UdpSessions(config, log);
    }

    /** Binds {@code bind} (port 0 picks a free port) and serves it; see {@link #start(Config, List, Function)}. */
    public static UdpServer start(Config config, InetSocketAddress bind, Function<UdpServer, DatagramHandler> handler) {
        return start(config, List.of(Binder.bindUdp(bind, config.name())), handler);
    }

    /**
     * Serves already bound sockets (e.g. one inherited from inetd or systemd, or a primary and an
     * alternate address): logs one "listening" line per socket, then starts a listener per
     * socket and the watchdog. {@code handler} receives the server first, so it can admit and
     * start sessions; the server owns the sockets and closes them on shutdown or failure.
     */
    public static UdpServer start(Config config, List<DatagramChannel> bound, Function<UdpServer, DatagramHandler> handler) {
        Objects.requireNonNull(config, "config");
        if (bound.isEmpty()) {
            throw new IllegalArgumentException("no socket to serve");
        }
        var server = new UdpServer(config, bound);
        try {
            DatagramHandler h = Objects.requireNonNull(handler.apply(server), "handler");
            server.sockets.listen(config.maxPacketSize(),
                    (socket, from, packet) -> h.onDatagram(server.new Inbound(socket, from, packet)));
        } catch (IOException | RuntimeException e) {
            server.close();
            bound.forEach(UdpSockets::closeQuietly);
            throw e instanceof IOException io ? new StartupException(config.name() + ": " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        server.sessions.startWatchdog();
        return server;
    }

    /** The first socket's bound address, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return sockets.first();
    }

    /** Every socket's bound address, in the order given. */
    public List<InetSocketAddress> localAddresses() {
        return sockets.all();
    }

    /** The configuration this server runs with. */
    public Config config() {
        return config;
    }

    /** The session limiter (for callers that must hold a permit before deciding more). */
    public AddressLimiter limiter() {
        return limiter;
    }

    /** The per-source request rate that {@link Inbound#withinRate()} draws on. */
    public RequestRate requestRate() {
        return rate;
    }

    /** Tries to admit one more session from {@code peer}, within the limits. */
    public Admission admit(InetAddress peer) {
        return limiter.admit(peer);
    }

    /** Whether a session with exactly this peer address and port is running. */
    public boolean hasSession(InetSocketAddress peer) {
        return sessions.has(peer);
    }

    /**
     * Tells the session with exactly this peer address and port that the peer repeated the
     * datagram that started it ({@link UdpSession#onRepeat}); false if no such session runs.
     * For the handler, on the listener thread.
     */
    public boolean repeated(InetSocketAddress peer) throws IOException {
        return sessions.repeated(peer);
    }

    /** Sessions running now (cut ones no longer count, even while their threads end). */
    public int activeSessions() {
        return sessions.size();
    }

    /** Sends one datagram from the first listening socket (thread-safe; e.g. a late refusal). */
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        sockets.send(datagram, to);
    }

    /**
     * Sends one datagram from the listening socket bound to {@code local} (thread-safe): for a
     * server that answers from another of its addresses (RFC 5780 CHANGE-REQUEST) or tells a
     * second peer something on the socket that peer talks to.
     *
     * @throws IllegalArgumentException if no socket of this server is bound to {@code local}
     */
    public void send(InetSocketAddress local, ByteBuffer datagram, InetSocketAddress to) throws IOException {
        sockets.send(local, datagram, to);
    }

    /**
     * Runs {@code task} for {@code peer} on a new thread, holding {@code permit} (from
     * {@link #admit}) until it ends or is cut. Empty, with the permit closed, when the server
     * is stopping or a session with this peer already runs.
     */
    public Optional<UdpSession> startSession(Permit permit, InetSocketAddress peer, SessionTask task) {
        return sessions.start(permit, peer, task);
    }

    /**
     * Stops in three steps: closes the listening sockets (nothing new is received), lets
     * sessions finish for up to {@code grace}, then cuts the rest ({@link SessionOutcome#SHUTDOWN})
     * and waits briefly for their threads. Restores the interrupt flag if interrupted.
     */
    public void shutdown(Duration grace) {
        if (stopping) {
            return;
        }
        stopping = true;
        sessions.stopAccepting();
        sockets.close();
        UdpSessions.Drained drained = sessions.drain(grace);
        log.info("{} stopped ({} sessions cut at the end of the grace period)", config.name(), drained.cut());
        if (drained.interrupted()) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shuts down with no grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
