package dev.protokit.tftp.server;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.daemon.UdpSession;
import dev.protokit.tftp.wire.TftpOptions;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own log lines and the TFTP details of the runtime's one line per transfer
 * (file, direction, options, bytes, rate, beside the runtime's peer, duration and outcome);
 * one line per refused request. Refusals are what a flood of hostile packets
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

    /** Adds the byte count and rate to a transfer's session-end line (logged by the UDP runtime). */
    static void measured(UdpSession session, long bytes, long nanos) {
        double seconds = Math.max(nanos, 1) / 1e9;
        session.detail("bytes", bytes);
        session.detail("seconds", String.format(Locale.ROOT, "%.3f", seconds));
        session.detail("rate", '"' + rate(bytes / seconds) + '"');
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

    static String options(TransferPlan plan) {
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
