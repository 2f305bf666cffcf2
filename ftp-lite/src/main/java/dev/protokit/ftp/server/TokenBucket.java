package dev.protokit.ftp.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bandwidth limit: {@code rate} bytes per second with a burst of one second's worth. A caller
 * takes what it is about to send; when the bucket is short it goes into debt and waits until the
 * debt is repaid, so several transfers sharing one bucket (one user's sessions) share the rate.
 * The lock is held only for arithmetic, never while waiting.
 */
final class TokenBucket {
    private final long rate;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.rate = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    /** The largest chunk a caller should take at once, so waits stay short and smooth. */
    int chunk() {
        return (int) Math.max(1024, Math.min(256 * 1024, rate / 8));
    }

    /** Takes {@code n} bytes' worth, waiting as long as needed. */
    void take(long n) {
        long waitNanos;
        lock.lock();
        try {
            long now = System.nanoTime();
            tokens = Math.min(rate, tokens + (now - last) * (double) rate / TimeUnit.SECONDS.toNanos(1));
            last = now;
            tokens -= n;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * TimeUnit.SECONDS.toNanos(1) / rate);
        } finally {
            lock.unlock();
        }
        long until = System.nanoTime() + waitNanos;
        for (long left = waitNanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
