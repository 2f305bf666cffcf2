package dev.protokit.chat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.ChatCoreTest.Inbox;
import dev.protokit.chat.store.SqliteChatStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One room's order as its members see it: the server-time of messages (and, among themselves,
 * of the other logged events) never goes back in delivery order, even when two senders race and the store answers
 * them out of turn, and history pages (by id) agree with what was delivered.
 */
class RoomOrderTest {
    private static final int ROUNDS = 200;

    @TempDir
    Path dir;
    private SqliteChatStore sqlite;

    @BeforeEach
    void open() {
        sqlite = SqliteChatStore.open(dir.resolve("chat.db"), List.of());
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    /** The store, with every append held up 0 to 2 ms first: senders reach the commit out of turn. */
    private ChatStore jitteredStore() {
        return (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(), new Class<?>[] {ChatStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("append")) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(2000)));
                    }
                    try {
                        return method.invoke(sqlite, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Identity guest(String nick) {
        return new Identity(nick, "u", "127.0.0.1", nick, Optional.empty());
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void messageTimesNeverGoBackBetweenTwoRacingSenders() throws Exception {
        var core = new ChatCore(ChatConfig.defaults("irc.test"), jitteredStore(), new LocalFanout(), (a, m, r) -> { },
                Clock.systemUTC());
        var memberSaw = new Inbox();
        core.connect(guest("member"), memberSaw).join("race", Optional.empty());
        Client a = core.connect(guest("a"), new Inbox());
        Client b = core.connect(guest("b"), new Inbox());
        a.join("race", Optional.empty());
        b.join("race", Optional.empty());
        var go = new CyclicBarrier(2);
        Thread other = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                await(go);
                b.sayToRoom("race", MessageKind.MESSAGE, "b" + i);
            }
        });
        for (int i = 0; i < ROUNDS; i++) {
            await(go);
            a.sayToRoom("race", MessageKind.MESSAGE, "a" + i);
        }
        other.join();

        List<ChatMessage> delivered = memberSaw.of(ChatEvent.Said.class).stream().map(ChatEvent.Said::message).toList();
        assertEquals(2 * ROUNDS, delivered.size());
        for (int i = 1; i < delivered.size(); i++) {
            ChatMessage before = delivered.get(i - 1), after = delivered.get(i);
            assertTrue(!after.time().isBefore(before.time()),
                    "delivered " + after.text() + " at " + after.time() + " after " + before.text() + " at " + before.time());
            assertTrue(after.id() > before.id(), "msgid " + after.id() + " delivered after " + before.id());
        }
        List<ChatMessage> history = sqlite.history(new Conversation.Room("race"), new HistoryQuery.Latest(500));
        assertEquals(delivered.stream().map(ChatMessage::text).toList(), history.stream().map(ChatMessage::text).toList(),
                "history pages in the order members received");
        for (int i = 1; i < history.size(); i++) {
            assertTrue(!history.get(i).time().isBefore(history.get(i - 1).time()), "stored times go back at " + i);
        }
    }

    @Test
    void aClockSteppingBackDoesNotTakeTheRoomBackInTime() {
        Instant start = Instant.parse("2026-12-02T12:00:00Z");
        var now = new AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        var core = new ChatCore(ChatConfig.defaults("irc.test"), sqlite, new LocalFanout(), (a, m, r) -> { }, clock);
        Client a = core.connect(guest("a"), new Inbox());
        a.join("clock", Optional.empty());
        Instant first = a.sayToRoom("clock", MessageKind.MESSAGE, "before the step").message().time();
        now.set(start.minus(Duration.ofMinutes(5)));
        Instant second = a.sayToRoom("clock", MessageKind.MESSAGE, "after the step").message().time();
        assertEquals(first, second, "a message after the clock stepped back keeps the room's last time");
        now.set(start.plusSeconds(1));
        assertEquals(start.plusSeconds(1), a.sayToRoom("clock", MessageKind.MESSAGE, "later").message().time());
    }

    /** A log reader that keeps nothing: the test reads the room's log through its inbox. */
    private static final class Reader implements LogReader {
        final dev.protokit.chat.core.Inbox inbox = new dev.protokit.chat.core.Inbox(this);

        @Override
        public dev.protokit.chat.core.Inbox inbox() {
            return inbox;
        }

        @Override
        public void due() {
        }

        @Override
        public void deliver(ChatEvent event) {
        }
    }

    @Test
    void logTimesNeverGoBackBetweenTwoRacingPublishers() throws Exception {
        // The weigher runs between making an entry and appending it: jitter it, as a slow
        // rendering would, so the publishers reach the order lock out of turn.
        var fanout = new LocalFanout(later -> { }, e -> {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(1000)));
            return 1;
        });
        var member = new Reader();
        fanout.subscribe("#race", member);
        var go = new CyclicBarrier(2);
        Thread other = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                await(go);
                fanout.publish("#race", new ChatEvent.ServerNotice("b" + i), null);
            }
        });
        for (int i = 0; i < ROUNDS; i++) {
            await(go);
            fanout.publish("#race", new ChatEvent.ServerNotice("a" + i), null);
        }
        other.join();
        List<TopicLog.Entry> read = new ArrayList<>();
        for (Object x; (x = member.inbox.peek()) != null; member.inbox.take()) {
            read.add((TopicLog.Entry) x);
        }
        assertEquals(2 * ROUNDS, read.size());
        for (int i = 1; i < read.size(); i++) {
            assertTrue(!read.get(i).time().isBefore(read.get(i - 1).time()),
                    "entry " + i + " at " + read.get(i).time() + " after " + read.get(i - 1).time());
        }
    }
}
