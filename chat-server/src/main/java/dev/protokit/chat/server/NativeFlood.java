package dev.protokit.chat.server;

import java.time.Duration;

/**
 * Per-connection flood control, a token bucket: {@code burst} messages at once, then
 * {@code rate} a second. A message beyond that is delayed until a token is due; a client that
 * keeps sending so fast that it is more than a further burst behind is cut ("Excess flood").
 * Confined to the connection's thread.
 */
final class NativeFlood {
    private final double burst;
    private final double rate;
    private double tokens;
    private long lastNanos;

    NativeFlood(int burst, double rate) {
        this.burst = burst;
        this.rate = rate;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    /** Takes a token, waiting for one if needed; false if the client is too far ahead to wait for. */
    boolean admit() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * rate);
        lastNanos = now;
        tokens -= 1;
        if (tokens >= 0) {
            return true;
        }
        if (-tokens > burst) {
            return false;
        }
        try {
            Thread.sleep(Duration.ofNanos((long) (-tokens / rate * 1e9)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

}
