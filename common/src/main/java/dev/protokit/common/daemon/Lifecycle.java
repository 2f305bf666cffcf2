package dev.protokit.common.daemon;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a daemon from start to an orderly stop: SIGTERM or SIGINT stops accepting, drains for
 * the grace period and exits 0. A second signal while draining ends the process at once with
 * status 1, and so does a shutdown that overruns the grace period by more than
 * {@link #OVERRUN}: the grace period bounds shutdown whatever the peers do.
 */
public final class Lifecycle {
    /** How far past the grace period a shutdown may run before the process is ended. */
    public static final Duration OVERRUN = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final CountDownLatch STOP = new CountDownLatch(1);
    private static final AtomicInteger SIGNALS = new AtomicInteger();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private Lifecycle() {}

    /** Starts a daemon (binds, logs its "listening" line) and returns it. */
    @FunctionalInterface
    public interface Starter<T> {
        /** Starts the daemon; a failure the operator can fix is a {@link StartupException}. */
        T start() throws IOException;
    }

    /**
     * Installs the signal handlers, then starts the daemon with {@code start} (which logs its
     * "listening" line), waits for a stop signal and stops it with {@code stop} and
     * {@code grace}. The handlers come first, so a signal that arrives during start-up or right
     * after the "listening" line still gives the orderly stop (and its log line), not the
     * JVM's default exit 143.
     */
    public static <T> void serve(Starter<T> start, BiConsumer<T, Duration> stop, Duration grace) throws IOException {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(grace, "grace");
        installHandlers();
        T daemon = start.start();
        try {
            STOP.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Thread guard = Thread.ofPlatform().name("shutdown-guard").daemon(true).start(() -> haltAfter(grace.plus(OVERRUN)));
            try {
                stop.accept(daemon, grace);
            } finally {
                guard.interrupt();
            }
        }
    }

    /**
     * Blocks until SIGTERM or SIGINT arrives (or {@link #requestStop()} is called). Prefer
     * {@link #serve}, which installs the handlers before the daemon starts. Restores the
     * interrupt flag and returns if the waiting thread is interrupted.
     */
    public static void awaitStopSignal() {
        installHandlers();
        try {
            STOP.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks {@link #serve} (or {@link #awaitStopSignal()}) to stop the daemon, as a signal would. */
    public static void requestStop() {
        STOP.countDown();
    }

    private static void haltAfter(Duration limit) {
        try {
            Thread.sleep(limit);
        } catch (InterruptedException e) {
            return; // the shutdown finished in time
        }
        LOG.error("shutdown still running {} ms after the stop signal, past the grace period: exiting now",
                limit.toMillis());
        Runtime.getRuntime().halt(DaemonLauncher.FAILURE);
    }

    private static void installHandlers() {
        if (INSTALLED.compareAndSet(false, true)) {
            install("TERM");
            install("INT");
        }
    }

    private static void install(String name) {
        try {
            Signal.handle(new Signal(name), signal -> {
                if (SIGNALS.incrementAndGet() == 1) {
                    LOG.info("SIG{} received: stopping (send again to stop at once)", signal.getName());
                    STOP.countDown();
                } else {
                    LOG.warn("SIG{} received again: stopping now", signal.getName());
                    Runtime.getRuntime().halt(DaemonLauncher.FAILURE);
                }
            });
        } catch (IllegalArgumentException e) {
            // The JVM reserves the signal (e.g. under -Xrs); the default shutdown still applies.
            LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }
}
