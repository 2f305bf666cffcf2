package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.irc.IrcMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out path under concurrent senders: lines rendered once per capability set and shared,
 * writers started in batches ({@link FanoutWakeups}) and ending when idle, messages committed in
 * groups. Every member gets every line, each sender's in order, with the tags its own
 * capabilities ask for; and what they were shown is what history returns after a restart.
 */
class IrcFanoutTest {
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 15; // within the test configuration's flood burst (20)
    private static final int PLAIN_MEMBERS = 4;

    @TempDir
    Path state;

    @Test
    void concurrentSendersReachEveryMemberInOrderWithTheirOwnTagsAndAllIsInHistoryAfterARestart() throws Exception {
        List<IrcMessage> tagged;
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state))) {
            int port = server.ircPort();
            try (var t = IrcTestClient.connect(port)) {
                t.send("CAP REQ :server-time message-tags batch draft/chathistory");
                t.expect("CAP");
                t.send("NICK tagged");
                t.send("USER t 0 * :T");
                t.send("CAP END");
                t.expect("001");
                t.send("JOIN #fan");
                t.expect("366");
                List<IrcTestClient> plain = new ArrayList<>();
                List<IrcTestClient> senders = new ArrayList<>();
                try {
                    for (int i = 0; i < PLAIN_MEMBERS; i++) {
                        plain.add(joined(port, "plain" + i));
                    }
                    for (int i = 0; i < SENDERS; i++) {
                        senders.add(joined(port, "s" + i));
                    }
                    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        List<Future<?>> sends = new ArrayList<>();
                        for (int i = 0; i < SENDERS; i++) {
                            IrcTestClient s = senders.get(i);
                            int sender = i;
                            sends.add(pool.submit(() -> {
                                for (int k = 0; k < PER_SENDER; k++) {
                                    s.send("PRIVMSG #fan :s" + sender + " " + k);
                                }
                                return null;
                            }));
                        }
                        for (Future<?> f : sends) {
                            f.get();
                        }
                    }
                    tagged = privmsgs(t, "tagged");
                    for (IrcMessage m : tagged) {
                        assertTrue(m.tags().containsKey("time") && m.tags().containsKey("msgid"), m.toString());
                    }
                    for (int i = 0; i < PLAIN_MEMBERS; i++) {
                        List<IrcMessage> got = privmsgs(plain.get(i), "plain" + i);
                        for (IrcMessage m : got) {
                            assertTrue(m.tags().isEmpty(), "no capabilities, no tags: " + m);
                        }
                        assertEquals(sorted(tagged), sorted(got));
                    }
                } finally {
                    for (IrcTestClient c : plain) {
                        c.close();
                    }
                    for (IrcTestClient c : senders) {
                        c.close();
                    }
                }
            }
        }
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state));
             var h = IrcTestClient.connect(server.ircPort())) {
            h.send("CAP REQ :server-time message-tags batch draft/chathistory");
            h.expect("CAP");
            h.send("NICK reader");
            h.send("USER r 0 * :R");
            h.send("CAP END");
            h.expect("001");
            h.send("CHATHISTORY LATEST #fan * 100");
            IrcMessage open = h.expect("BATCH");
            List<IrcMessage> history = new ArrayList<>();
            for (IrcMessage m = h.next(); !m.command().equals("BATCH"); m = h.next()) {
                history.add(m);
            }
            assertEquals(open.params().getFirst().substring(1), history.getFirst().tags().get("batch"));
            Map<String, String> shown = new HashMap<>();
            for (IrcMessage m : tagged) {
                shown.put(m.tags().get("msgid"), m.params().get(1));
            }
            Map<String, String> stored = new HashMap<>();
            for (IrcMessage m : history) {
                stored.put(m.tags().get("msgid"), m.params().get(1));
            }
            assertEquals(shown, stored, "every line a member saw is in history, under the msgid it was shown with");
        }
    }

    private static IrcTestClient joined(int port, String nick) throws Exception {
        IrcTestClient c = IrcTestClient.register(port, nick);
        c.send("JOIN #fan");
        c.expect("366");
        return c;
    }

    /**
     * Reads a member's lines: every sender's, each sender's in the order it sent them (senders
     * are ordered apart from each other, not with each other).
     */
    private static List<IrcMessage> privmsgs(IrcTestClient c, String who) throws Exception {
        List<IrcMessage> got = new ArrayList<>();
        int[] next = new int[SENDERS];
        while (got.size() < SENDERS * PER_SENDER) {
            IrcMessage m = c.expect("PRIVMSG");
            String[] words = m.params().get(1).split(" ");
            int sender = Integer.parseInt(words[0].substring(1));
            assertEquals(next[sender], Integer.parseInt(words[1]), "order of s" + sender + " as " + who + " saw it");
            next[sender]++;
            got.add(m);
        }
        return got;
    }

    private static List<String> sorted(List<IrcMessage> ms) {
        return ms.stream().map(m -> m.params().get(1)).sorted().toList();
    }
}
