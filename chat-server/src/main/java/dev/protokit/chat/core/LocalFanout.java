package dev.protokit.chat.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * The in-process {@link Fanout}: a concurrent map from topic to its subscribers.
 *
 * <p>A room's event is appended once to the room's {@link TopicLog}, which every member that
 * is a {@link LogReader} (IRC connections) reads with a cursor of its own; the members are
 * told once per wake-up window ({@link LogReader#due}, through the {@code later} hook), not
 * once per event, so publishing a line to 2,000 members is one append and the per-member cost
 * is paid per window by the member's writer. Other sinks (native connections), and every
 * topic that is not a room (a person's), get each event through {@link ClientSink#deliver} on
 * the publisher's thread, which only queues.
 *
 * <p>Subscribers are immutable arrays, replaced whole when someone subscribes or leaves (copy
 * on write under the order lock), so a publish reads one contiguous array. A sink that joins
 * while an event is published may miss it, one that left may still get it, as with any
 * snapshot. Appends, joins and leaves of log readers are ordered by one lock per fan-out
 * ({@link TopicLog.Order}), held for a few field writes.
 */
public final class LocalFanout implements Fanout {
    private static final ClientSink[] NONE = new ClientSink[0];
    private static final LogReader[] NO_READERS = new LogReader[0];

    /** One topic: its push sinks, its log readers and (rooms only) its log. */
    private static final class Topic implements IntSupplier {
        private static final VarHandle DUE;

        static {
            try {
                DUE = MethodHandles.lookup().findVarHandle(Topic.class, "due", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final TopicLog log;
        volatile ClientSink[] push = NONE;
        volatile LogReader[] readers = NO_READERS;
        /** Whether a wake-up of the readers is pending (one at a time). */
        private volatile boolean due;

        Topic(TopicLog log) {
            this.log = log;
        }

        /** Marks a wake-up pending; true if none was. */
        boolean markDue() {
            return !(boolean) DUE.getAndSet(this, true);
        }

        boolean empty() {
            return push.length == 0 && readers.length == 0;
        }

        /** On the wake-up thread: tells every reader there is something new; returns how many. */
        @Override
        public int getAsInt() {
            due = false;
            LogReader[] rs = readers;
            for (LogReader r : rs) {
                r.due();
            }
            return rs.length;
        }
    }

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final TopicLog.Order order = new TopicLog.Order();
    private final Consumer<IntSupplier> later;
    private final ToIntFunction<TopicLog.Entry> weigher;

    /** A fan-out that tells log readers at once, on the publisher's thread (tests). */
    public LocalFanout() {
        this(IntSupplier::getAsInt, e -> 0);
    }

    /**
     * A fan-out whose log readers are told by {@code later} (which runs the task it is given
     * soon, once, on a thread of its own), counting each entry as {@code weigher} says against
     * the readers' send-queue limits.
     */
    public LocalFanout(Consumer<IntSupplier> later, ToIntFunction<TopicLog.Entry> weigher) {
        this.later = Objects.requireNonNull(later, "later");
        this.weigher = Objects.requireNonNull(weigher, "weigher");
    }

    /** Rooms are logged; a person's topic has a few subscribers and gets each event pushed. */
    private static boolean logged(String topic) {
        return topic.startsWith("#");
    }

    @Override
    public void subscribe(String topic, ClientSink sink) {
        order.lock.lock();
        try {
            Topic t = topics.computeIfAbsent(topic, k -> new Topic(logged(k) ? new TopicLog(order) : null));
            if (t.log != null && sink instanceof LogReader r) {
                if (!contains(t.readers, r)) {
                    t.readers = append(t.readers, r);
                    r.inbox().attach(t.log.cursor());
                }
            } else if (!contains(t.push, sink)) {
                t.push = append(t.push, sink);
            }
        } finally {
            order.lock.unlock();
        }
    }

    @Override
    public void unsubscribe(String topic, ClientSink sink) {
        if (leave(topic, sink) && sink instanceof LogReader r) {
            r.due(); // the room's last lines for this member (its PART) are not announced to it any more
        }
    }

    /** Removes {@code sink}; true if it was a reader of the topic's log. */
    private boolean leave(String topic, ClientSink sink) {
        order.lock.lock();
        try {
            Topic t = topics.get(topic);
            if (t == null) {
                return false;
            }
            boolean reader = false;
            if (t.log != null && sink instanceof LogReader r) {
                if (contains(t.readers, r)) {
                    t.readers = without(t.readers, r);
                    r.inbox().detach(t.log);
                    reader = true;
                }
            } else {
                t.push = without(t.push, sink);
            }
            if (t.empty()) {
                topics.remove(topic, t);
            }
            return reader;
        } finally {
            order.lock.unlock();
        }
    }

    @Override
    public void publish(String topic, ChatEvent event, ClientSink skip) {
        Topic t = topics.get(topic);
        if (t == null) {
            return;
        }
        for (ClientSink sink : t.push) {
            if (sink != skip) {
                sink.deliver(event);
            }
        }
        if (t.log != null && t.readers.length > 0) {
            var e = new TopicLog.Entry(event, skip);
            int weight = weigher.applyAsInt(e);
            order.lock.lock();
            try {
                t.log.append(e, weight);
            } finally {
                order.lock.unlock();
            }
            if (t.markDue()) {
                later.accept(t);
            }
        }
    }

    @Override
    public void publishOnce(Collection<String> topicNames, ChatEvent event, ClientSink skip) {
        Set<ClientSink> seen = new HashSet<>();
        for (String name : topicNames) {
            Topic t = topics.get(name);
            if (t == null) {
                continue;
            }
            for (ClientSink sink : t.push) {
                if (sink != skip && seen.add(sink)) {
                    sink.deliver(event);
                }
            }
            for (ClientSink sink : t.readers) {
                if (sink != skip && seen.add(sink)) {
                    sink.deliver(event);
                }
            }
        }
    }

    /** Subscribers of {@code topic} now (for tests). */
    public int subscribers(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.push.length + t.readers.length;
    }

    private static <T> boolean contains(T[] all, T x) {
        for (T s : all) {
            if (s == x) {
                return true;
            }
        }
        return false;
    }

    private static <T> T[] append(T[] all, T x) {
        T[] more = Arrays.copyOf(all, all.length + 1);
        more[all.length] = x;
        return more;
    }

    private static <T> T[] without(T[] all, T x) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == x) {
                T[] fewer = Arrays.copyOf(all, all.length - 1);
                System.arraycopy(all, i + 1, fewer, i, all.length - i - 1);
                return fewer;
            }
        }
        return all;
    }
}
