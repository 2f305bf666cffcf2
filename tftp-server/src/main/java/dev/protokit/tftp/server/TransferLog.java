package dev.protokit.tftp.server;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.tftp.wire.TftpOptions;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's log lines: one per transfer (peer, file, direction, options, bytes, duration,
 * rate, outcome) and one per refused request. Refusals are what a flood of hostile packets
 * produces, so they are rate-limited: past {@link #REFUSALS_PER_SECOND} a second, lines are
 * counted and the count is reported with the next line that gets through.
 */
final class TransferLog {
    private static final Logger LOG = LoggerFactory.getLogger("tftp-server");
    static final int REFUSALS_PER_SECOND = 20;
    private static final AtomicLong WINDOW = new AtomicLong();
    private static final AtomicLong IN_WINDOW = new AtomicLong();
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private TransferLog() {}

    /** The line at the end of a transfer, whatever its outcome; {@code retransmissions} is -1 when unknown (a failed transfer). */
    static void finished(TransferPlan plan, long bytes, long retransmissions, long nanos, String outcome) {
        double seconds = Math.max(nanos, 1) / 1e9;
        String line = String.format(Locale.ROOT,
                "%s %s peer %s mode %s options %s bytes %d in %.3f s (%s) retransmissions %s: %s", plan.direction(), RootJail.quote(plan.request().filename()), Addresses.format(plan.peer()),
                plan.request().mode().wireName(), options(plan), bytes, seconds, rate(bytes / seconds),
                retransmissions < 0 ? "?" : Long.toString(retransmissions), outcome);
        if (outcome.equals("ok")) {
            LOG.info(line);
        } else {
            LOG.warn(line);
        }
    }

    /** A request answered with an ERROR (or refused because no transfer socket was free). */
    static void refused(InetSocketAddress peer, String reason) {
        long second = System.nanoTime() / TimeUnit.SECONDS.toNanos(1);
        if (WINDOW.getAndSet(second) != second) {
            IN_WINDOW.set(0);
        }
        if (IN_WINDOW.incrementAndGet() > REFUSALS_PER_SECOND) {
            SUPPRESSED.incrementAndGet();
            return;
        }
        long suppressed = SUPPRESSED.getAndSet(0);
        LOG.info("refused {} {}{}", Addresses.format(peer), reason,
                suppressed > 0 ? " (" + suppressed + " similar lines suppressed)" : "");
    }

    /** A datagram dropped without an answer; debug only, since anyone can send these. */
    static void dropped(InetSocketAddress peer, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("dropped datagram from {}: {}", Addresses.format(peer), reason);
        }
    }

    /** A transfer cut off by the watchdog; its own line follows when its thread ends. */
    static void stalled(InetSocketAddress peer, java.time.Duration limit) {
        LOG.warn("transfer with {} made no progress for {} s: cut off", Addresses.format(peer), limit.toSeconds());
    }

    /** A failure that is our fault, with its stack trace. */
    static void bug(TransferPlan plan, Throwable e) {
        LOG.error("transfer {} {} for {} failed unexpectedly", plan.direction(),
                RootJail.quote(plan.request().filename()), Addresses.format(plan.peer()), e);
    }

    private static String options(TransferPlan plan) {
        TftpOptions acked = plan.negotiation().reply().map(o -> o.options()).orElse(TftpOptions.empty());
        if (acked.isEmpty()) {
            return "none";
        }
        var joiner = new StringJoiner(",");
        acked.values().forEach((k, v) -> joiner.add(k + "=" + v));
        return joiner.toString();
    }

    private static String rate(double bytesPerSecond) {
        if (bytesPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kB/s", bytesPerSecond / 1e3);
    }
}
