package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.irc.IrcMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order per recipient when room lines come from the rooms' shared logs and everything else
 * (replies, direct messages) from the recipient's own queue: one sender's lines in two rooms
 * and to the recipient directly arrive in the order sent; a JOIN comes before its NAMES
 * reply; nothing of a room follows the recipient's own PART or KICK of it, and what was
 * said before it does arrive.
 */
class IrcOrderTest {
    @TempDir
    Path state;

    @Test
    void oneSendersRoomAndDirectLinesArriveInTheOrderSent() throws Exception {
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state).withFlood(200, 200, 64 * 1024));
             var a = IrcTestClient.register(server.ircPort(), "alice");
             var b = IrcTestClient.register(server.ircPort(), "bob")) {
            for (String room : List.of("#one", "#two")) {
                a.send("JOIN " + room);
                a.expect("366");
                b.send("JOIN " + room);
                IrcMessage join = b.expect("JOIN", "353");
                assertEquals("JOIN", join.command(), "the JOIN line before the NAMES reply");
                b.expect("366");
            }
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String target = switch (i % 3) {
                    case 0 -> "#one";
                    case 1 -> "#two";
                    default -> "bob";
                };
                a.send("PRIVMSG " + target + " :" + i);
                sent.add(target + " " + i);
            }
            List<String> got = new ArrayList<>();
            while (got.size() < sent.size()) {
                IrcMessage m = b.expect("PRIVMSG");
                got.add(m.params().get(0) + " " + m.params().get(1));
            }
            assertEquals(sent, got);
        }
    }

    @Test
    void serverTimeTagsFollowTheOrderOfTheEvents() throws Exception {
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state).withFlood(200, 200, 64 * 1024));
             var watcher = IrcTestClient.connect(server.ircPort());
             var mover = IrcTestClient.register(server.ircPort(), "mover")) {
            watcher.send("CAP REQ :server-time");
            watcher.send("NICK watcher");
            watcher.send("USER w 0 * :w");
            watcher.send("CAP END");
            watcher.expect("001");
            watcher.send("JOIN #t");
            watcher.expect("366");
            for (int i = 0; i < 20; i++) { // each line's time is when it happened, not when it was written out
                mover.sendRaw("JOIN #t\r\nPRIVMSG #t :" + i + "\r\nPART #t\r\n");
            }
            String last = "";
            for (int seen = 0; seen < 60; seen++) {
                IrcMessage m = watcher.expect("JOIN", "PRIVMSG", "PART");
                String time = m.tags().get("time");
                assertTrue(time.compareTo(last) >= 0, m.command() + " at " + time + " after a line at " + last);
                last = time;
            }
        }
    }

    @Test
    void aRoomsLinesStopAtTheMembersOwnPartOrKick() throws Exception {
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state).withFlood(200, 200, 64 * 1024));
             var op = IrcTestClient.register(server.ircPort(), "op");
             var m = IrcTestClient.register(server.ircPort(), "member")) {
            op.send("JOIN #r");
            op.expect("366");
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                before.add("before " + i);
            }
            // PART: the room's lines, then a direct line after them, then the member's PART.
            m.send("JOIN #r");
            m.expect("366");
            for (String line : before) {
                op.send("PRIVMSG #r :" + line);
            }
            op.send("PRIVMSG member :sync");
            assertEquals(append(before, "sync"), linesUntil(m, "sync", "PART"));
            m.send("PART #r");
            m.expect("PART");
            for (int i = 0; i < 20; i++) {
                op.send("PRIVMSG #r :after " + i);
            }
            op.send("PRIVMSG member :done");
            assertEquals(List.of("done"), linesUntil(m, "done", "PART"), "nothing of the room after the member's PART");
            // KICK, on the op's thread between its lines: those logged before it arrive, then the KICK, then nothing.
            m.send("JOIN #r");
            m.expect("366");
            for (String line : before) {
                op.send("PRIVMSG #r :" + line);
            }
            op.send("KICK #r member :out");
            for (int i = 0; i < 20; i++) {
                op.send("PRIVMSG #r :after " + i);
            }
            op.send("PRIVMSG member :done");
            assertEquals(append(append(before, "KICK"), "done"), linesUntil(m, "done", "KICK"));
        }
    }

    /** The texts of the PRIVMSGs {@code c} reads (and {@code command} lines, as the command) up to the text {@code last}. */
    private static List<String> linesUntil(IrcTestClient c, String last, String command) throws Exception {
        List<String> got = new ArrayList<>();
        while (true) {
            IrcMessage x = c.expect("PRIVMSG", command);
            String text = x.command().equals(command) ? command : x.params().get(1);
            got.add(text);
            if (text.equals(last)) {
                return got;
            }
        }
    }

    private static List<String> append(List<String> l, String x) {
        List<String> more = new ArrayList<>(l);
        more.add(x);
        return more;
    }
}
