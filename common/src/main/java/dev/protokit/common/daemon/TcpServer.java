package dev.protokit.common.daemon;

import dev.protokit.common.daemon.AddressLimiter.Admitted;
import dev.protokit.common.daemon.AddressLimiter.Refused;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP accept loop with a virtual thread per connection, connection limits, idle and
 * handshake timeouts, one log line per session, and a three-step shutdown: stop accepting,
 * drain for a grace period, then close what is left.
 */
public final class TcpServer implements AutoCloseable {
    private static final Duration REJECT_WRITE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    /** After the grace period and the forced close, how long handlers get to unwind. */
    private static final Duration UNWIND = Duration.ofSeconds(2);

    /**
     * @param name the daemon's name, used in log lines and thread names
     * @param bindAddress where to listen; port 0 picks a free port
     * @param limits sessions overall and per peer address
     * @param idleTimeout a read that waits longer than this ends the session ({@code ZERO}: never)
     * @param handshakeTimeout a session not marked {@link Session#handshakeComplete()} within this
     *     time is closed ({@code ZERO}: no deadline)
     * @param channels accepted sockets have a {@link java.nio.channels.SocketChannel}, so a handler
     *     may make it non-blocking and watch it with a selector between {@link Session#suspend
     *     suspending} and {@link Session#resume resuming} the session
     */
    public record Config(String name, InetSocketAddress bindAddress, ConnectionLimits limits,
                         Duration idleTimeout, Duration handshakeTimeout, boolean channels) {
        /** Accepted sockets without channels (plain {@link Socket}s). */
        public Config(String name, InetSocketAddress bindAddress, ConnectionLimits limits, Duration idleTimeout,
                      Duration handshakeTimeout) {
            this(name, bindAddress, limits, idleTimeout, handshakeTimeout, false);
        }

        public Config {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            SocketTimeouts.requireSocketTimeout("idleTimeout", idleTimeout);
            SocketTimeouts.requireSocketTimeout("handshakeTimeout", handshakeTimeout);
        }
    }

    private final Config config;
    private final ConnectionHandler handler;
    private final Logger log;
    private final ServerSocket listener;
    private final AddressLimiter limiter;
    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    /** Notified when the last session ends once stopping; shutdown waits on it. */
    private final Object drained = new Object();
    private final ExecutorService sessions;
    private final ScheduledExecutorService timer;
    private final AtomicLong ids = new AtomicLong();
    private final Thread acceptor;
    private final LogThrottle refusals = LogThrottle.perPeerEvents();
    private volatile boolean stopping;

    private TcpServer(Config config, ConnectionHandler handler) {
        this.config = config;
        this.handler = handler;
        this.log = LoggerFactory.getLogger(config.name());
        this.limiter = new AddressLimiter(config.limits());
        this.listener = config.channels() ? Binder.bindTcpChannel(config.bindAddress(), config.name()).socket()
                : Binder.bindTcp(config.bindAddress(), config.name());
        this.sessions = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(config.name() + "-", 0).factory());
        var deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(config.name() + "-timer").daemon(true).factory());
        deadlines.setRemoveOnCancelPolicy(true); // a met handshake deadline leaves the queue at once
        this.timer = deadlines;
        this.acceptor = Thread.ofPlatform().name(config.name() + "-accept").unstarted(this::acceptLoop);
    }

    /** Binds, logs the "listening" line and starts accepting. */
    public static TcpServer start(Config config, ConnectionHandler handler) {
        var server = new TcpServer(Objects.requireNonNull(config, "config"), Objects.requireNonNull(handler, "handler"));
        Announce.listening(server.log, config.name(), "tcp", server.localAddress());
        server.acceptor.start();
        return server;
    }

    /** The bound address, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** The bound port, the real one when 0 was asked for. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Sessions in progress now. */
    public int activeSessions() {
        return live.size();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!stopping) {
                    // Typically out of file descriptors: back off instead of spinning on the error.
                    log.warn("accept failed: {}", e.toString());
                    pause(ACCEPT_BACKOFF);
                }
                continue;
            }
            switch (limiter.admit(socket.getInetAddress())) {
                case Admitted(AddressLimiter.Permit permit) -> hand(sessions, socket, permit, () -> serve(socket, permit));
                case Refused(Rejection rejection) -> hand(sessions, socket, null, () -> refuse(socket, rejection));
            }
        }
    }

    /**
     * Runs {@code task} on {@code executor}; when shutdown won the race (the executor refuses),
     * closes the socket and gives the permit back instead of leaking both.
     */
    static void hand(ExecutorService executor, Socket socket, AddressLimiter.Permit permit, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            closeQuietly(socket);
            if (permit != null) {
                permit.close();
            }
        }
    }

    private void serve(Socket socket, AddressLimiter.Permit permit) {
        Session session;
        try {
            session = new Session(Long.toString(ids.incrementAndGet()), socket, this, permit);
        } catch (IOException e) {
            closeQuietly(socket);
            permit.close();
            return;
        }
        Thread.currentThread().setName(config.name() + "-" + Addresses.format(session.peer()));
        live.add(session);
        session.deadline = scheduleHandshakeDeadline(session);
        run(session, () -> {
            socket.setSoTimeout(SocketTimeouts.millis(config.idleTimeout()));
            socket.setTcpNoDelay(true);
            if (stopping) {
                session.outcome(SessionOutcome.SHUTTING_DOWN);
            } else {
                session.outcome(SessionOutcome.OK);
                handler.handle(session);
            }
        });
    }

    /**
     * Runs the handler's {@code body} on the calling thread, turning what it throws into the
     * session's outcome; the session ends when it returns, unless it {@link Session#suspend
     * suspended} the session, whose handler then resumes it later ({@link Session#resume}).
     */
    void run(Session session, Session.Continuation body) {
        session.bindToCurrentThread();
        try {
            body.run();
        } catch (SocketTimeoutException e) {
            session.outcome(session.isHandshakeComplete() ? SessionOutcome.IDLE_TIMEOUT : SessionOutcome.HANDSHAKE_TIMEOUT);
        } catch (SocketException e) {
            if (!session.isHandshakeComplete() && session.deadline != null && session.deadline.isDone()) {
                session.outcome(SessionOutcome.HANDSHAKE_TIMEOUT);
            } else if (stopping) {
                session.outcome(SessionOutcome.SHUTDOWN);
            } else {
                session.outcome(SessionOutcome.DISCONNECTED);
            }
        } catch (InterruptedException e) {
            session.outcome(SessionOutcome.SHUTDOWN);
        } catch (IOException e) {
            session.outcome(SessionOutcome.IO_ERROR);
            session.detail("error", '"' + e.getMessage() + '"');
        } catch (Exception e) {
            session.outcome(SessionOutcome.INTERNAL_ERROR);
            log.error("session {} from {} failed", session.id(), Addresses.format(session.peer()), e);
        } finally {
            Runnable suspended = session.takeSuspension();
            if (suspended == null) {
                end(session);
            } else {
                try {
                    suspended.run();
                } catch (RuntimeException e) {
                    log.error("session {} from {} could not be suspended", session.id(), Addresses.format(session.peer()), e);
                    end(session);
                }
            }
        }
    }

    private void end(Session session) {
        if (session.deadline != null) {
            session.deadline.cancel(false);
        }
        session.close();
        live.remove(session);
        if (stopping && live.isEmpty()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
        log.info(session.summary());
        session.permit.close();
    }

    private ScheduledFuture<?> scheduleHandshakeDeadline(Session session) {
        if (config.handshakeTimeout().isZero()) {
            return null;
        }
        return timer.schedule(() -> {
            if (!session.isHandshakeComplete()) {
                session.close();
            }
        }, config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void refuse(Socket socket, Rejection rejection) {
        try (socket) {
            socket.setSoTimeout(Math.toIntExact(REJECT_WRITE_TIMEOUT.toMillis()));
            handler.rejected(socket, rejection);
        } catch (Exception e) {
            // the peer is being turned away; a failure to tell it so changes nothing
        }
        var logged = refusals.admit();
        if (logged.isPresent()) {
            log.info("session refused peer={} reason=\"{}\"{}", Addresses.format((InetSocketAddress) socket.getRemoteSocketAddress()),
                    rejection.reason(), LogThrottle.suffix(logged.getAsLong()));
        }
    }

    /**
     * Stops accepting, lets sessions finish for up to {@code grace}, then closes the rest; done
     * within {@code grace} plus two seconds for handlers to unwind, whatever the peers do.
     * Each session's {@link Session#onServerStop} action runs on its own virtual thread, so a
     * goodbye written to a peer that never reads cannot hold up the others or the deadline.
     * Restores the interrupt flag if interrupted while draining.
     */
    public void shutdown(Duration grace) {
        if (stopping) {
            return;
        }
        stopping = true;
        closeQuietly(listener);
        for (Session session : live) {
            Thread.ofVirtual().name(config.name() + "-goodbye-" + session.id()).start(session::serverStopping);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            awaitDrained(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int forced = live.size();
        live.forEach(Session::forceClose);
        sessions.shutdown();
        try {
            // Suspended sessions are resumed on their handler's threads, which the executor does not know.
            long unwound = System.nanoTime() + UNWIND.toNanos();
            boolean ended = awaitDrained(unwound);
            if (!sessions.awaitTermination(Math.max(0, unwound - System.nanoTime()), TimeUnit.NANOSECONDS) || !ended) {
                log.warn("{}: {} handlers still running {} ms after their sockets were closed", config.name(),
                        live.size(), UNWIND.toMillis());
            }
            acceptor.join(UNWIND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        log.info("{} stopped ({} sessions closed at the end of the grace period)", config.name(), forced);
    }

    /** Waits until no session is live or the deadline ({@link System#nanoTime}) passes; true when none is. */
    private boolean awaitDrained(long deadline) throws InterruptedException {
        synchronized (drained) {
            while (!live.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
            return true;
        }
    }

    /** Shuts down with no grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }
}
