package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.MessageKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One rendering per event and capability set, shared by every recipient with that set. */
class IrcRendererTest {
    private static final Identity ALICE = new Identity("alice", "alice", "127.0.0.1", "Alice", Optional.of("alice"));
    private static final IrcRenderer.Profile PLAIN = new IrcRenderer.Profile(false, false, false, false);
    private static final IrcRenderer.Profile TAGGED = new IrcRenderer.Profile(true, true, true, false);
    private static final IrcRenderer.Profile TIME_ONLY = new IrcRenderer.Profile(true, false, false, false);

    private static ChatEvent.Said said(long id, String text) {
        var m = new ChatMessage(id, Instant.parse("2026-12-01T10:00:00.123Z"), new Conversation.Room("general"), "alice",
                Optional.of("alice"), MessageKind.MESSAGE, text);
        return new ChatEvent.Said(m, ALICE, "general", false);
    }

    private static String line(List<byte[]> lines) {
        assertEquals(1, lines.size());
        return new String(lines.getFirst(), StandardCharsets.UTF_8);
    }

    @Test
    void eachCapabilitySetGetsItsOwnTags() {
        var r = new IrcRenderer("irc.test");
        ChatEvent.Said e = said(42, "hello there");
        assertEquals(":alice!alice@127.0.0.1 PRIVMSG #general :hello there\r\n", line(r.render(e, PLAIN)));
        assertEquals("@time=2026-12-01T10:00:00.123Z;msgid=42;account=alice :alice!alice@127.0.0.1 PRIVMSG #general :hello there\r\n",
                line(r.render(e, TAGGED)));
        assertEquals("@time=2026-12-01T10:00:00.123Z :alice!alice@127.0.0.1 PRIVMSG #general :hello there\r\n",
                line(r.render(e, TIME_ONLY)));
    }

    @Test
    void recipientsWithTheSameSetShareOneRendering() {
        var r = new IrcRenderer("irc.test");
        ChatEvent.Said e = said(1, "shared");
        List<byte[]> first = r.render(e, TAGGED);
        r.render(e, PLAIN);
        assertSame(first, r.render(e, TAGGED));
        assertSame(first.getFirst(), r.render(e, TAGGED).getFirst());
    }

    @Test
    void eventsFannedOutAtOnceEachGetTheirOwnLines() {
        // Many fan-outs in flight (concurrent senders, a JOIN storm) ask in turn for different
        // events: each answer is that event's line, whatever was rendered in between.
        var r = new IrcRenderer("irc.test");
        List<ChatEvent.Said> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(said(i, "m " + i));
        }
        for (int round = 0; round < 3; round++) {
            for (ChatEvent.Said e : events) {
                String text = e.message().text();
                assertEquals(":alice!alice@127.0.0.1 PRIVMSG #general :" + text + "\r\n", line(r.render(e, PLAIN)));
                assertEquals("@time=2026-12-01T10:00:00.123Z;msgid=" + e.message().id()
                        + ";account=alice :alice!alice@127.0.0.1 PRIVMSG #general :" + text + "\r\n", line(r.render(e, TAGGED)));
            }
        }
    }
}
