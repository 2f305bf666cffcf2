package dev.protokit.chat.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;

/**
 * A room's events, kept once for every member instead of once per member: {@link LocalFanout}
 * appends each event it publishes to the room, and each member that reads logs
 * ({@link LogReader}) follows it with a {@link Cursor} of its own. Fanning a line out to 2,000
 * members is then one append, not 2,000 queue nodes, and a member's writer copies every line
 * published since it last wrote in one pass.
 *
 * <pre>
 *   segment (32 entries) -> segment -> segment (tail; appends go here)
 *        ^ a slow member's cursor          ^ a member that keeps up
 * </pre>
 *
 * <p>Entries are appended only under the fan-out's {@link Order} lock, which also numbers them
 * ({@link Entry#seq}, one sequence for every log of the fan-out) and then raises the
 * watermark: every entry numbered at or below a watermark one has read is visible. A member
 * merges its logs and its own direct lines by those numbers ({@link Inbox}). Old segments are
 * garbage once no cursor points into them; a member too far behind is cut by its send-queue
 * limit, which counts the {@link Entry#weight} of the entries it has not read.
 */
public final class TopicLog {
    static final int SEGMENT = 32;

    /** Orders every append and subscription change of one fan-out. */
    static final class Order {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        /** The last number given out; under {@link #lock}. */
        long seq;
        /** The last number whose entry is visible in its log. */
        volatile long watermark;
    }

    /** One published event, shared by every member's cursor. */
    public static final class Entry {
        private static final VarHandle CACHE;

        static {
            try {
                CACHE = MethodHandles.lookup().findVarHandle(Entry.class, "cache", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final ChatEvent event;
        private final ClientSink skip;
        /**
         * When it entered the log: the IRC server-time of its lines, however late a member reads
         * them. Taken again under the order lock (see {@link TopicLog#append}); until then, the
         * time it was made (only a weight is rendered before that).
         */
        private Instant time = Instant.now();
        /** Set under the order lock before the entry is visible (the log's size is written after). */
        private long seq;
        /** The sum of the weights up to and including this entry. */
        private long total;
        private int weight;
        private volatile Object cache;

        Entry(ChatEvent event, ClientSink skip) {
            this.event = event;
            this.skip = skip;
        }

        public ChatEvent event() {
            return event;
        }

        /** When the event entered the log. */
        public Instant time() {
            return time;
        }

        /** The member that does not get it (the sender), or null. */
        ClientSink skip() {
            return skip;
        }

        long seq() {
            return seq;
        }

        /** The bytes a member is counted for this entry until it has read it (the listener's estimate). */
        public int weight() {
            return weight;
        }

        /**
         * A listener's per-entry cache (its renderings): null until {@link #cacheIfAbsent} set
         * one. Lives as long as the entry, so a member far behind still finds its bytes.
         */
        public Object cache() {
            return cache;
        }

        /** Sets the cache unless one is set; returns the one now in place. */
        public Object cacheIfAbsent(Object value) {
            Object was = CACHE.compareAndExchange(this, (Object) null, value);
            return was == null ? value : was;
        }
    }

    private static final class Segment {
        final long base;
        final Entry[] entries = new Entry[SEGMENT];
        volatile Segment next;

        Segment(long base) {
            this.base = base;
        }
    }

    private final Order order;
    /** The segment appends go to; under the order lock. */
    private Segment tail = new Segment(0);
    /** Entries appended so far; written after the entry, so a reader that sees it sees the entry. */
    private volatile long size;
    /** The sum of every appended entry's weight. */
    private volatile long total;
    /** The time of the last entry appended; under the order lock. */
    private Instant lastTime = Instant.EPOCH;

    TopicLog(Order order) {
        this.order = order;
    }

    Order order() {
        return order;
    }

    /** Appends {@code e} weighing {@code weight}; the caller holds the order lock. */
    void append(Entry e, int weight) {
        long n = size;
        if (n == tail.base + SEGMENT) {
            Segment s = new Segment(n);
            tail.next = s;
            tail = s;
        }
        // The time is taken here, where the order is decided: taken before the lock, two
        // publishers could enter the log in the other order than their times. Never before the
        // previous entry's, even if the wall clock steps back.
        Instant now = Instant.now();
        lastTime = now.isAfter(lastTime) ? now : lastTime;
        e.time = lastTime;
        e.seq = ++order.seq;
        e.weight = weight;
        e.total = total + weight;
        tail.entries[(int) (n - tail.base)] = e;
        total = e.total;
        size = n + 1;
        order.watermark = e.seq;
    }

    /** A cursor at the end of the log (the next entry appended is its first); under the order lock. */
    Cursor cursor() {
        return new Cursor(this, tail, size, total);
    }

    /** A member's place in a log: read by one thread at a time (the member's writer). */
    public static final class Cursor {
        private static final VarHandle READ;

        static {
            try {
                READ = MethodHandles.lookup().findVarHandle(Cursor.class, "read", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final TopicLog log;
        private Segment segment;
        private long position;
        /** The total weight of the entries read: with the log's, what this member is behind by. */
        private volatile long read;

        private Cursor(TopicLog log, Segment segment, long position, long read) {
            this.log = log;
            this.segment = segment;
            this.position = position;
            this.read = read;
        }

        TopicLog log() {
            return log;
        }

        /** The next entry, or null when none is visible yet. */
        Entry peek() {
            if (position >= log.size) {
                return null;
            }
            if (position == segment.base + SEGMENT) {
                segment = segment.next;
            }
            return segment.entries[(int) (position - segment.base)];
        }

        /** Moves past the entry {@link #peek} returned. */
        void advance(Entry e) {
            position++;
            READ.setRelease(this, e.total); // no fence per line: others only estimate the lag from it
        }

        /** Whether entries wait that this cursor has not read. */
        boolean behind() {
            return position < log.size;
        }

        /** The weight of the entries appended and not read yet. */
        long lag() {
            return log.total - read;
        }
    }
}
