package dev.protokit.common.fs;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory descriptor shared by threads, closed only once nobody uses it. Closing a number
 * another thread is about to pass to {@code openat2} would be worse than a leak: the kernel
 * reuses the number for the next open, possibly another user's home, and the look-up would run
 * beneath that. So every use holds a reference ({@link #acquire}/{@link #release}), and
 * {@link #close} drops only the owner's; the last release closes the descriptor.
 */
final class Descriptor {
    private final int fd;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    Descriptor(int fd) {
        this.fd = fd;
    }

    /** The descriptor, held until {@link #release}; fails once {@link #close} was called. */
    int acquire() throws ClosedChannelException {
        while (true) {
            int n = references.get();
            if (n == 0 || closed.get()) {
                throw new ClosedChannelException();
            }
            if (references.compareAndSet(n, n + 1)) {
                return fd;
            }
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            try (var call = new Libc.Call()) {
                call.close(fd);
            } catch (Throwable t) {
                throw new IllegalStateException("close(" + fd + ") failed", t);
            }
        }
    }

    /** Drops the owner's reference; idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    boolean isOpen() {
        return !closed.get();
    }
}
