package dev.protokit.chat.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Wakes the writers of clients that were sent lines by a fan-out, a short moment after the
 * first line, so that each wake-up carries every line queued meanwhile. Waking a parked
 * writer costs a scheduling round trip and its socket write a system call: a 2,000-member room
 * at 500 messages a second woken once per line is a million of each per second, which two
 * cores cannot do; batched, a writer wakes once per window whatever the message rate, with
 * several lines in one write. A room's log ({@code LocalFanout}) is one task here: it tells
 * every member that reads the log, once per window, whatever the number of lines logged.
 *
 * <p>The window adapts to the load: 1 ms when few writers are due (an interactive room adds
 * about a millisecond of latency), growing with the number of writers the last round woke, up
 * to {@link #MAX_WINDOW_NANOS}, so the wake-ups per second stay bounded when a big room is busy.
 * Lines a session sends itself (replies) do not come here: they wake their writer at once.
 *
 * <p>One daemon platform thread for the process ({@code chat-fanout-waker}), started when the
 * class is first used; it parks while nothing is due. {@link #schedule} is lock-free and may be
 * called from any thread; callers queue a task at most once until it has run.
 */
final class FanoutWakeups {
    private static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long PER_WRITER_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    static final long MAX_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final FanoutWakeups SHARED = new FanoutWakeups();

    private final ConcurrentLinkedQueue<IntSupplier> due = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Thread thread;

    private FanoutWakeups() {
        // A platform thread: it only parks and unparks, never does I/O.
        thread = Thread.ofPlatform().name("chat-fanout-waker").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** The process's one waker. */
    static FanoutWakeups shared() {
        return SHARED;
    }

    /**
     * Runs {@code writer} after the current window: it wakes one writer, or (a room's log) every
     * member with something new, and returns how many it woke. The caller queues each task once
     * until it has run.
     */
    void schedule(IntSupplier writer) {
        due.add(writer);
        if (sleeping.getAndSet(false)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long window = MIN_WINDOW_NANOS;
        while (true) {
            if (due.isEmpty()) {
                sleeping.set(true);
                if (due.isEmpty()) {
                    LockSupport.park(this);
                }
                sleeping.set(false);
                continue;
            }
            // Let the fan-outs under way queue more lines before their writers run.
            LockSupport.parkNanos(this, window);
            int woken = 0;
            for (IntSupplier d; (d = due.poll()) != null; ) {
                try {
                    woken += d.getAsInt();
                } catch (RuntimeException e) {
                    // one writer's failure must not stop the others' wake-ups
                    woken++;
                }
            }
            window = Math.min(MAX_WINDOW_NANOS, MIN_WINDOW_NANOS + woken * PER_WRITER_NANOS);
        }
    }
}
