package dev.protokit.common.daemon;

import dev.protokit.common.daemon.AddressLimiter.Permit;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The session half of {@link UdpServer}: the live sessions by peer, the thread each runs on,
 * the watchdog that cuts overdue ones, the session-end log line, and the drain-then-cut end of
 * a shutdown. A session holds its limiter permit until it ends or is cut; a cut frees the
 * permit and the peer's place at once and interrupts the session's thread.
 */
final class UdpSessions {
    private static final Duration WATCHDOG_PERIOD = Duration.ofMillis(250);

    private record Running(UdpSession session, Permit permit) {}

    private final UdpServer.Config config;
    private final Logger log;
    private final ConcurrentHashMap<InetSocketAddress, Running> live = new ConcurrentHashMap<>();
    /** One executor per kind of thread, so each session may run on the kind that suits it. */
    private final ExecutorService virtual;
    private final ExecutorService platform;
    private final Thread watchdog;
    private final AtomicLong ids = new AtomicLong();
    /** Sessions running on platform threads under {@link UdpServer.SessionThreads#AUTO}. */
    private final AtomicInteger autoPlatform = new AtomicInteger();
    private volatile boolean stopping;

    UdpSessions(UdpServer.Config config, Logger log) {
        this.config = config;
        this.log = log;
        this.virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(config.name() + "-session-", 0).factory());
        this.platform = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name(config.name() + "-session-p", 0).daemon().factory());
        this.watchdog = Thread.ofPlatform().name(config.name() + "-watchdog").daemon().unstarted(this::watch);
    }

    void startWatchdog() {
        watchdog.start();
    }

    boolean has(InetSocketAddress peer) {
        return live.containsKey(peer);
    }

    int size() {
        return live.size();
    }

    /** Runs the repeat action of the session with this peer; false if none runs. */
    boolean repeated(InetSocketAddress peer) throws IOException {
        Running running = live.get(peer);
        if (running == null) {
            return false;
        }
        running.session().repeated();
        return true;
    }

    /** See {@link UdpServer#startSession}. */
    Optional<UdpSession> start(Permit permit, InetSocketAddress peer, UdpServer.SessionTask task) {
        Objects.requireNonNull(task, "task");
        boolean onPlatform = switch (config.threads()) {
            case VIRTUAL -> false;
            case PLATFORM -> true;
            case AUTO -> takeAutoPlatform();
        };
        boolean counted = onPlatform && config.threads() == UdpServer.SessionThreads.AUTO;
        ExecutorService executor = onPlatform ? platform : virtual;
        var session = new UdpSession(ids.incrementAndGet(), peer, config.idleTimeout(), config.handshakeTimeout());
        var running = new Running(session, Objects.requireNonNull(permit, "permit"));
        if (stopping || live.putIfAbsent(peer, running) != null) {
            permit.close();
            uncount(counted);
            return Optional.empty();
        }
        try {
            executor.execute(() -> {
                try {
                    run(running, task);
                } finally {
                    uncount(counted);
                }
            });
        } catch (RejectedExecutionException e) { // shutting down
            live.remove(peer, running);
            permit.close();
            uncount(counted);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** One of the AUTO platform places, or false (the session runs virtual) when all are taken. */
    private boolean takeAutoPlatform() {
        if (autoPlatform.incrementAndGet() <= UdpServer.SessionThreads.AUTO_PLATFORM_MAX) {
            return true;
        }
        autoPlatform.decrementAndGet();
        return false;
    }

    private void uncount(boolean counted) {
        if (counted) {
            autoPlatform.decrementAndGet();
        }
    }

    private void run(Running running, UdpServer.SessionTask task) {
        UdpSession session = running.session();
        session.bindToCurrentThread();
        try (Permit ignored = running.permit()) {
            if (stopping) {
                session.outcome(SessionOutcome.SHUTTING_DOWN);
            } else {
                task.run(session);
            }
        } catch (InterruptedException | InterruptedIOException e) {
            session.outcome(SessionOutcome.SHUTDOWN);
        } catch (IOException e) {
            session.outcome(SessionOutcome.IO_ERROR);
            if (session.cutReason().isEmpty()) {
                session.detail("error", '"' + String.valueOf(e.getMessage()) + '"');
            }
        } catch (Exception e) {
            session.outcome(SessionOutcome.INTERNAL_ERROR);
            if (session.cutReason().isEmpty()) {
                log.error("session {} with {} failed", session.id(), Addresses.format(session.peer()), e);
            }
        } finally {
            live.remove(session.peer(), running);
            Thread.interrupted(); // a cut's interrupt must not leak into the pooled carrier or the log call
        }
        if (session.finalOutcome().isSuccess()) {
            log.info(session.summary());
        } else {
            log.warn(session.summary());
        }
    }

    /** Cuts overdue sessions; one failure (a bad cut action) never stops the watchdog. */
    private void watch() {
        while (!stopping) {
            try {
                Thread.sleep(WATCHDOG_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Running running : live.values()) {
                try {
                    running.session().overdue(now).ifPresent(why -> cut(running, why));
                } catch (RuntimeException e) {
                    log.error("watchdog: checking session {} failed", running.session().id(), e);
                }
            }
        }
    }

    /** Runs the session's cut action, frees its place at once and interrupts its thread. */
    private void cut(Running running, SessionOutcome why) {
        try {
            running.session().cut(why);
        } catch (Exception e) {
            log.warn("session {}: cut action failed: {}", running.session().id(), e.toString());
        } finally {
            running.permit().close();
            live.remove(running.session().peer(), running);
        }
    }

    /** Step one of a shutdown, with the listeners closing: sessions starting from now are refused. */
    void stopAccepting() {
        stopping = true;
    }

    /** What a drain did: how many sessions it cut, and whether the calling thread was interrupted. */
    record Drained(int cut, boolean interrupted) {}

    /**
     * Steps two and three of a shutdown (the caller has stopped receiving): no new sessions,
     * waits up to {@code grace} for the running ones, cuts the rest and waits briefly for their
     * threads. An interrupt is reported, not restored: the caller restores it after its log line.
     */
    Drained drain(Duration grace) {
        stopAccepting();
        watchdog.interrupt();
        long deadline = System.nanoTime() + grace.toNanos();
        boolean interrupted = false;
        try {
            while (!live.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        int forced = live.size();
        live.values().forEach(r -> cut(r, SessionOutcome.SHUTDOWN));
        virtual.shutdown();
        platform.shutdown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ExecutorService executor : new ExecutorService[] {virtual, platform}) {
            try {
                if (!executor.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                executor.shutdownNow();
            }
        }
        return new Drained(forced, interrupted);
    }
}
