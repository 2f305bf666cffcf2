package dev.protokit.chat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Rooms' shared logs as a member reads them through its {@link Inbox}: one append per event
 * whatever the number of members, one wake-up per batch, the member's direct items merged in
 * the order things happened, the sender's own lines left out, joins and leaves cut the log
 * where they happened, and what is unread is counted against the member.
 */
class LocalFanoutLogTest {
    private final List<IntSupplier> pending = new ArrayList<>();
    private final LocalFanout fanout = new LocalFanout(pending::add, e -> 10);

    /** A log reader that counts its wake-ups; the test drains its inbox itself. */
    private static final class Member implements LogReader {
        final Inbox inbox = new Inbox(this);
        final List<ChatEvent> delivered = new ArrayList<>();
        int dues;

        @Override
        public Inbox inbox() {
            return inbox;
        }

        @Override
        public void due() {
            dues++;
        }

        @Override
        public void deliver(ChatEvent event) {
            delivered.add(event);
            inbox.add(event);
        }

        /** Everything ready, in order: room events and direct items as they are given out. */
        List<Object> drain() {
            List<Object> out = new ArrayList<>();
            for (Object x; (x = inbox.peek()) != null; inbox.take()) {
                out.add(x instanceof TopicLog.Entry e ? e.event() : x);
            }
            return out;
        }
    }

    private static ChatEvent said(String text) {
        return new ChatEvent.ServerNotice(text);
    }

    private void wake() {
        List<IntSupplier> now = new ArrayList<>(pending);
        pending.clear();
        for (IntSupplier s : now) {
            s.getAsInt();
        }
    }

    @Test
    void roomEventsAndDirectItemsComeOutInTheOrderTheyHappened() {
        var m = new Member();
        var other = new Member();
        fanout.subscribe("#a", m);
        fanout.subscribe("#b", m);
        fanout.subscribe("#a", other);
        ChatEvent a1 = said("a1"), b1 = said("b1"), a2 = said("a2"), b2 = said("b2");
        fanout.publish("#a", a1, null);
        fanout.publish("#b", b1, null);
        m.inbox().add("direct");
        fanout.publish("#a", a2, null);
        fanout.publish("#b", b2, null);
        assertEquals(List.of(a1, b1, "direct", a2, b2), m.drain());
        assertEquals(List.of(a1, a2), other.drain(), "another member reads the same log with its own cursor");
        assertTrue(m.delivered.isEmpty(), "room events are not delivered one by one to a log reader");
        assertNull(m.inbox().peek());
    }

    @Test
    void membersAreWokenOncePerBatchAndTheSenderSkipsItsOwnLines() {
        var sender = new Member();
        var m = new Member();
        fanout.subscribe("#a", sender);
        fanout.subscribe("#a", m);
        for (int i = 0; i < 5; i++) {
            fanout.publish("#a", said("x" + i), sender);
        }
        assertEquals(1, pending.size(), "one wake-up task for the room, not one per event");
        wake();
        assertEquals(1, m.dues);
        assertEquals(1, sender.dues);
        assertEquals(5, m.drain().size());
        assertEquals(List.of(), sender.drain(), "the sender does not get its own lines back from the log");
        assertTrue(!sender.inbox().pending());
    }

    @Test
    void aMemberGetsTheLogFromItsJoinUpToItsLeave() {
        var m = new Member();
        var stays = new Member();
        fanout.subscribe("#a", stays);
        ChatEvent early = said("early"), during = said("during"), late = said("late");
        fanout.publish("#a", early, null);
        fanout.subscribe("#a", m);
        fanout.publish("#a", during, null);
        fanout.unsubscribe("#a", m);
        fanout.publish("#a", late, null);
        m.inbox().add("after leaving");
        assertEquals(List.of(during, "after leaving"), m.drain());
        assertEquals(List.of(early, during, late), stays.drain());
    }

    @Test
    void unreadEntriesCountAgainstTheMemberUntilRead() {
        var m = new Member();
        fanout.subscribe("#a", m);
        for (int i = 0; i < 3; i++) {
            fanout.publish("#a", said("x" + i), null);
        }
        assertEquals(30, m.inbox().lag());
        m.inbox().peek();
        m.inbox().take();
        assertEquals(20, m.inbox().lag());
        m.drain();
        assertEquals(0, m.inbox().lag());
    }

    @Test
    void aPersonsTopicAndOtherSinksGetEachEventDelivered() {
        var m = new Member();
        List<ChatEvent> pushed = new ArrayList<>();
        fanout.subscribe("@alice", m);
        fanout.subscribe("#a", pushed::add);
        ChatEvent dm = said("dm"), room = said("room");
        fanout.publish("@alice", dm, null);
        fanout.publish("#a", room, null);
        assertEquals(List.of(dm), m.delivered);
        assertEquals(List.of(room), pushed);
        assertTrue(pending.isEmpty(), "no log without log readers");
        assertEquals(Optional.of(dm), m.drain().stream().findFirst());
    }
}
