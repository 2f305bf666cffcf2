package dev.protokit.chat.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * What one member has to send, in order: its own direct items (replies, direct messages,
 * anything a listener adds) merged with the entries of the {@link TopicLog}s of its rooms.
 * Any thread may {@link #add}; one consumer at a time (the member's writer) reads with
 * {@link #peek} and {@link #take}.
 *
 * <p>Order: each direct item carries the fan-out's watermark when it was added, and is given
 * out after every log entry numbered up to it; log entries of several rooms are given out by
 * number. So whatever happened before an item was added (a JOIN published before the NAMES
 * reply, a room line before its sender's next direct message) reaches the member first, as
 * with one queue per member. A join starts a cursor at the log's end at once; a leave is an
 * item of the queue ({@link LocalFanout} adds both under its order lock), so a member gets a
 * room's entries from its JOIN on, up to the last one published before it left.
 *
 * <p>The queue is a linked list that producers append to with one atomic exchange of the tail
 * (a multi-producer, single-consumer queue); nothing is locked.
 */
public final class Inbox {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;
    private static final VarHandle CURSORS;
    private static final TopicLog.Cursor[] NO_CURSORS = new TopicLog.Cursor[0];

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(Inbox.class, "tail", Node.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
            CURSORS = l.findVarHandle(Inbox.class, "cursors", TopicLog.Cursor[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        Object item;
        final long stamp;
        volatile Node next;

        Node(Object item, long stamp) {
            this.item = item;
            this.stamp = stamp;
        }
    }

    private record Detach(TopicLog log) {}

    private final ClientSink owner;
    /** The consumer's end: a node whose item was taken (or the first, empty one). */
    private Node head = new Node(null, 0);
    private volatile Node tail = head;
    /** The fan-out whose watermark stamps direct items; null until the first room. */
    private volatile TopicLog.Order order;
    /**
     * The logs read now (copy on write, replaced by compare-and-set): a join adds its cursor at
     * once, so what the member has not read counts against it from the start; a leave removes
     * it when the consumer reaches the leave.
     */
    private volatile TopicLog.Cursor[] cursors = NO_CURSORS;
    /** The log of the entry {@link #peek} last returned, or null if it returned a direct item. */
    private TopicLog.Cursor from;

    /** An inbox for {@code owner}, which does not get log entries it is the skipped sender of. */
    public Inbox(ClientSink owner) {
        this.owner = owner;
    }

    /** Adds a direct item, given out after everything published before now. Any thread. */
    public void add(Object item) {
        TopicLog.Order o = order;
        push(item, o == null ? 0 : o.watermark);
    }

    /**
     * Adds a direct item given out right after the items added before it, without waiting for
     * room entries published meanwhile (a connection's last line: nothing may follow it).
     */
    public void addNow(Object item) {
        push(item, 0);
    }

    /**
     * Starts reading {@code cursor}'s log; called by the fan-out under its order lock. The cursor
     * starts past every entry numbered up to the watermark, and every direct item added before
     * now carries a stamp at or below it, so reading the log from now on keeps the order.
     */
    void attach(TopicLog.Cursor cursor) {
        order = cursor.log().order();
        TopicLog.Cursor[] was;
        do {
            was = cursors;
        } while (!CURSORS.compareAndSet(this, was, append(was, cursor)));
    }

    /** Stops reading {@code log} after the entries published so far; under the order lock. */
    void detach(TopicLog log) {
        push(new Detach(log), log.order().watermark);
    }

    private void push(Object item, long stamp) {
        Node n = new Node(item, stamp);
        Node prev = (Node) TAIL.getAndSet(this, n);
        NEXT.setRelease(prev, n);
    }

    /**
     * The next thing to send: a direct item, a {@link TopicLog.Entry}, or null when nothing is
     * ready. Consumer only; call {@link #take} once it is sent (or {@link #peek} again returns it).
     */
    public Object peek() {
        while (true) {
            Node d = head.next;
            TopicLog.Order o = order;
            // Entries up to a number are visible once a watermark at or above it was read: the
            // item's own (read before it was added, which happened before this read of it), or now.
            long limit = d != null ? d.stamp : o == null ? 0 : o.watermark;
            TopicLog.Cursor best = null;
            TopicLog.Entry next = null;
            for (TopicLog.Cursor c : cursors) {
                TopicLog.Entry e = c.peek();
                while (e != null && e.skip() == owner) {
                    c.advance(e);
                    e = c.peek();
                }
                if (e != null && e.seq() <= limit && (next == null || e.seq() < next.seq())) {
                    next = e;
                    best = c;
                }
            }
            if (next != null) {
                from = best;
                return next;
            }
            if (d == null) {
                return null;
            }
            from = null;
            if (!(d.item instanceof Detach x)) {
                return d.item;
            }
            TopicLog.Cursor[] was;
            do {
                was = cursors;
            } while (!CURSORS.compareAndSet(this, was, without(was, x.log())));
            drop(d);
        }
    }

    /** Moves past what {@link #peek} returned. Consumer only. */
    public void take() {
        if (from != null) {
            TopicLog.Cursor c = from;
            from = null;
            c.advance(c.peek());
        } else {
            drop(head.next);
        }
    }

    private void drop(Node d) {
        head = d;
        d.item = null;
    }

    /** Whether anything waits, ready or about to be (a producer still linking its item). */
    public boolean pending() {
        if (head.next != null || tail != head) {
            return true;
        }
        for (TopicLog.Cursor c : cursors) {
            if (c.behind()) {
                return true;
            }
        }
        return false;
    }

    /** The weight of the room entries not read yet (their bytes, as the listener estimated them). Any thread. */
    public long lag() {
        long sum = 0;
        for (TopicLog.Cursor c : cursors) {
            sum += c.lag();
        }
        return sum;
    }

    private static TopicLog.Cursor[] append(TopicLog.Cursor[] all, TopicLog.Cursor c) {
        TopicLog.Cursor[] more = Arrays.copyOf(all, all.length + 1);
        more[all.length] = c;
        return more;
    }

    private static TopicLog.Cursor[] without(TopicLog.Cursor[] all, TopicLog log) {
        for (int i = 0; i < all.length; i++) {
            if (all[i].log() == log) {
                TopicLog.Cursor[] fewer = new TopicLog.Cursor[all.length - 1];
                System.arraycopy(all, 0, fewer, 0, i);
                System.arraycopy(all, i + 1, fewer, i, all.length - i - 1);
                return fewer;
            }
        }
        return all;
    }
}
