package dev.protokit.rendezvous.server;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The bandwidth bound of one allocation: a token bucket of {@code bytesPerSecond} (one second
 * of burst) and a total of {@code maxBytes}, after which nothing more is relayed. Datagrams over
 * the budget are dropped, as a congested link would.
 */
final class Budget {
    private final long bytesPerSecond;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long updated;
    private long spent;

    Budget(long bytesPerSecond, long maxBytes, long now) {
        this.bytesPerSecond = bytesPerSecond;
        this.maxBytes = maxBytes;
        this.tokens = bytesPerSecond;
        this.updated = now;
    }

    /** Takes {@code bytes} from the budget; false means drop the datagram. */
    boolean spend(int bytes, long now) {
        lock.lock();
        try {
            tokens = Math.min(bytesPerSecond, tokens + (now - updated) / 1e9 * bytesPerSecond);
            updated = now;
            if (tokens < bytes || spent + bytes > maxBytes) {
                return false;
            }
            tokens -= bytes;
            spent += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes relayed so far. */
    long spent() {
        lock.lock();
        try {
            return spent;
        } finally {
            lock.unlock();
        }
    }
}
