package dev.protokit.common.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One session of a {@link UdpServer} (a TFTP transfer, a TURN allocation) as its task sees it:
 * the peer, the progress clock the watchdog reads, the handshake flag, what the session-end
 * log line will say, and what to do when the server cuts it. Confined to the session's thread
 * except {@link #progressed()}, {@link #handshakeComplete()} and the limits (volatile, read by
 * the watchdog) and {@link #detail} (guarded by its own monitor, never held across I/O).
 *
 * <p>A session is cut by the watchdog (idle or handshake limit passed) or at the end of the
 * shutdown grace period. Cutting runs the {@link #onCut} action (typically: tell the peer, close
 * the session's socket), frees the session's place in the limits at once, and interrupts the
 * session's thread; the task then ends with whatever exception its next socket call throws and
 * the log line reports the cut outcome, not that exception.
 */
public final class UdpSession {
    private final long id;
    private final InetSocketAddress peer;
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final AtomicReference<SessionOutcome> cut = new AtomicReference<>();
    private volatile long lastProgressNanos = startNanos;
    private volatile boolean handshakeDone;
    private volatile long idleLimitNanos;
    private volatile long handshakeLimitNanos;
    private volatile CutAction onCut = outcome -> { };
    private volatile RepeatAction onRepeat = () -> { };
    private volatile Thread thread;
    private volatile boolean interruptOnCut = true;
    private SessionOutcome outcome = SessionOutcome.OK;

    /** What a session does when the server cuts it, on the watchdog or shutdown thread. */
    @FunctionalInterface
    public interface CutAction {
        /** Tells the peer (best effort) and releases the session's resources; must not block long. */
        void cut(SessionOutcome why) throws Exception;
    }

    /**
     * What a session does when its peer repeats the datagram that started it on the listening
     * socket (the session's first answer was lost): runs on the listener thread, must not block.
     */
    @FunctionalInterface
    public interface RepeatAction {
        /** Answers again (best effort), or does nothing if the session is past its opening. */
        void repeated() throws java.io.IOException;
    }

    UdpSession(long id, InetSocketAddress peer, Duration idleLimit, Duration handshakeLimit) {
        this.id = id;
        this.peer = Objects.requireNonNull(peer, "peer");
        this.idleLimitNanos = idleLimit.toNanos();
        this.handshakeLimitNanos = handshakeLimit.toNanos();
    }

    /** A number unique within this server run, for correlating log lines. */
    public long id() {
        return id;
    }

    /** The peer's address and port. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Records progress (bytes moved, a request answered): the idle clock starts again. */
    public void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    /** Marks the first exchange done (the peer proved it is at its address): no handshake deadline from now on. */
    public void handshakeComplete() {
        handshakeDone = true;
    }

    /**
     * Sets how long this session may go without {@link #progressed()} before it is cut; the
     * server's idle timeout stays the upper bound ({@code ZERO} there means no bound).
     */
    public void idleLimit(Duration limit) {
        idleLimitNanos = capped(limit.toNanos(), idleLimitNanos);
    }

    /** Sets how long this session may take to {@link #handshakeComplete()}; the server's handshake timeout stays the upper bound. */
    public void handshakeLimit(Duration limit) {
        handshakeLimitNanos = capped(limit.toNanos(), handshakeLimitNanos);
    }

    private static long capped(long wanted, long bound) {
        if (wanted <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return bound <= 0 ? wanted : Math.min(wanted, bound);
    }

    /** What to do when the server cuts this session (replaces any earlier action). */
    public void onCut(CutAction action) {
        this.onCut = Objects.requireNonNull(action, "action");
    }

    /**
     * Whether a cut interrupts the task's thread (it does unless turned off). A task that sends
     * on the server's listening socket ({@link UdpServer#send}) turns it off and ends through its
     * {@link #onCut} action instead: the listening socket is an interruptible channel, so an
     * interrupt that lands inside its send closes it, and the server goes deaf to every peer.
     */
    public void interruptOnCut(boolean interrupt) {
        this.interruptOnCut = interrupt;
    }

    /** What to do when the peer repeats its opening datagram (replaces any earlier action). */
    public void onRepeat(RepeatAction action) {
        this.onRepeat = Objects.requireNonNull(action, "action");
    }

    /** Sets the outcome word of the session-end line; a cut overrides it. */
    public void outcome(SessionOutcome value) {
        this.outcome = Objects.requireNonNull(value, "outcome");
    }

    /** Adds {@code key=value} to the session-end log line; never pass a secret. */
    public void detail(String key, Object value) {
        synchronized (details) {
            details.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        }
    }

    /** Why the server cut this session, if it did. */
    public Optional<SessionOutcome> cutReason() {
        return Optional.ofNullable(cut.get());
    }

    /** Time since the session started. */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void bindToCurrentThread() {
        thread = Thread.currentThread();
    }

    /** The reason to cut now, if a limit has passed. */
    Optional<SessionOutcome> overdue(long now) {
        if (!handshakeDone && handshakeLimitNanos > 0 && now - startNanos > handshakeLimitNanos) {
            return Optional.of(SessionOutcome.HANDSHAKE_TIMEOUT);
        }
        if (idleLimitNanos > 0 && now - lastProgressNanos > idleLimitNanos) {
            return Optional.of(SessionOutcome.IDLE_TIMEOUT);
        }
        return Optional.empty();
    }

    /** Runs the repeat action unless the session was cut. */
    void repeated() throws java.io.IOException {
        if (cut.get() == null) {
            onRepeat.repeated();
        }
    }

    /** Runs the cut action once and interrupts the task; false if already cut. */
    boolean cut(SessionOutcome why) throws Exception {
        if (!cut.compareAndSet(null, why)) {
            return false;
        }
        try {
            onCut.cut(why);
        } finally {
            Thread t = thread;
            if (t != null && interruptOnCut) {
                t.interrupt();
            }
        }
        return true;
    }

    SessionOutcome finalOutcome() {
        SessionOutcome why = cut.get();
        return why != null ? why : outcome;
    }

    String summary() {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        var line = new StringBuilder()
                .append("session end id=").append(id)
                .append(" peer=").append(Addresses.format(peer))
                .append(" duration=").append(millis).append("ms")
                .append(" outcome=").append(finalOutcome().word());
        synchronized (details) {
            details.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        }
        return line.toString();
    }
}
