package dev.protokit.common.daemon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT so a daemon can stop in order: stop accepting, drain, exit 0.
 * A second signal while draining ends the process at once with status 1.
 */
public final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final CountDownLatch STOP = new CountDownLatch(1);
    private static final AtomicInteger SIGNALS = new AtomicInteger();

    private Lifecycle() {}

    /**
     * Blocks until SIGTERM or SIGINT arrives (or {@link #requestStop()} is called). Restores the
     * interrupt flag and returns if the waiting thread is interrupted.
     */
    public static void awaitStopSignal() {
        install("TERM");
        install("INT");
        try {
            STOP.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks {@link #awaitStopSignal()} to return, as a signal would. */
    public static void requestStop() {
        STOP.countDown();
    }

    private static void install(String name) {
        try {
            Signal.handle(new Signal(name), signal -> {
                if (SIGNALS.incrementAndGet() == 1) {
                    LOG.info("SIG{} received: stopping (send again to stop at once)", signal.getName());
                    STOP.countDown();
                } else {
                    LOG.warn("SIG{} received again: stopping now", signal.getName());
                    Runtime.getRuntime().halt(1);
                }
            });
        } catch (IllegalArgumentException e) {
            // The JVM reserves the signal (e.g. under -Xrs); the default shutdown still applies.
            LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }
}
