package dev.protokit.chat.server;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Per-connection flood control, a token bucket: {@code burst} messages at once, then
 * {@code rate} a second. A message over the rate is delayed until a token is due (the
 * connection's reader simply waits, so the client is slowed, not dropped); a client that keeps
 * sending over the rate for more than {@code burst * 2 + 10} messages in a row is flooding and
 * is disconnected. Confined to the connection's reader thread.
 */
public final class FloodGate {
    /** What to do with the next message. */
    public sealed interface Verdict {
        /** Handle it now. */
        record Pass() implements Verdict {}

        /** Wait this long, then handle it. */
        record Delay(Duration pause) implements Verdict {}

        /** Sustained excess: disconnect. */
        record Excess() implements Verdict {}
    }

    private static final Verdict PASS = new Verdict.Pass();

    private final double burst;
    private final double perNano;
    private final int maxDelayed;
    private final LongSupplier nanos;
    private double tokens;
    private long updated;
    private int delayedInARow;

    /** A gate of {@code burst} messages, then {@code rate} a second, on {@code nanos} (System::nanoTime). */
    public FloodGate(int burst, double rate, LongSupplier nanos) {
        if (burst < 1 || !(rate > 0)) {
            throw new IllegalArgumentException("burst >= 1 and rate > 0 required");
        }
        this.burst = burst;
        this.perNano = rate / 1e9;
        this.maxDelayed = burst * 2 + 10;
        this.nanos = nanos;
        this.tokens = burst;
        this.updated = nanos.getAsLong();
    }

    /** Takes a token for one message and says whether to handle it now, later, or to disconnect. */
    public Verdict take() {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - updated) * perNano);
        updated = now;
        tokens -= 1;
        if (tokens >= 0) {
            delayedInARow = 0;
            return PASS;
        }
        if (++delayedInARow > maxDelayed) {
            return new Verdict.Excess();
        }
        long wait = (long) Math.ceil(-tokens / perNano);
        return new Verdict.Delay(Duration.ofNanos(wait));
    }
}
