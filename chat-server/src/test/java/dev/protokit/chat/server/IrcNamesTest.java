package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.Roster;
import dev.protokit.chat.core.RosterBuilder;
import dev.protokit.chat.irc.IrcCodec;
import dev.protokit.chat.irc.IrcMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** 353 lines written from a roster: the same lines the string-built names reply gave. */
class IrcNamesTest {

    private static List<String> lines(String server, String nick, String channel, Roster roster, boolean multi) {
        return IrcNames.lines(server, nick, channel, roster, multi).stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void writesPrefixesAndTheTrailingColon() {
        Roster r = RosterBuilder.of("@ann", "+bob", "@+cy", "dee");
        assertEquals(List.of(":irc.test 353 me = #c :@ann +bob @cy dee\r\n"), lines("irc.test", "me", "#c", r, false));
        assertEquals(List.of(":irc.test 353 me = #c :@ann +bob @+cy dee\r\n"), lines("irc.test", "me", "#c", r, true));
        assertEquals(List.of(":irc.test 353 me = #c :solo\r\n"), lines("irc.test", "me", "#c", RosterBuilder.of("solo"), false));
        assertEquals(List.of(), lines("irc.test", "me", "#c", RosterBuilder.of(), false));
    }

    @Test
    void fillsLinesExactlyAsTheFormattedReplyDid() {
        var random = new Random(7);
        for (int round = 0; round < 200; round++) {
            var members = new ArrayList<String>();
            for (int i = random.nextInt(400); i > 0; i--) {
                String prefix = switch (random.nextInt(4)) {
                    case 0 -> "@";
                    case 1 -> "+";
                    case 2 -> "@+";
                    default -> "";
                };
                members.add(prefix + "n" + "x".repeat(random.nextInt(29)));
            }
            String server = "s".repeat(1 + random.nextInt(round % 10 == 0 ? 470 : 40));
            String nick = "me" + "y".repeat(random.nextInt(28));
            String channel = "#" + "c".repeat(1 + random.nextInt(49));
            boolean multi = random.nextBoolean();
            Roster r = RosterBuilder.of(members.toArray(String[]::new));
            List<String> got = lines(server, nick, channel, r, multi);
            assertEquals(reference(server, nick, channel, members, multi), got, "round " + round);
            for (String line : got) {
                assertTrue(line.length() - 2 <= IrcCodec.MAX_MESSAGE_BYTES || !line.substring(line.indexOf(" :") + 2).trim().contains(" "),
                        "over 512 bytes with more than one name: " + line);
            }
        }
    }

    /** The names reply as IrcQueries built it before rosters: names appended to a string per line, formatted by the codec. */
    private static List<String> reference(String server, String nick, String ch, List<String> members, boolean multi) {
        int budget = IrcCodec.MAX_MESSAGE_BYTES - (1 + server.length() + 5 + nick.length() + 3 + ch.length() + 2);
        var out = new ArrayList<String>();
        var line = new StringBuilder();
        for (String m : members) {
            boolean op = m.startsWith("@");
            boolean voice = m.startsWith("+") || m.startsWith("@+");
            String bare = m.substring((op ? 1 : 0) + (voice ? 1 : 0));
            String shown = multi ? (op ? "@" : "") + (voice ? "+" : "") + bare : (op ? "@" : voice ? "+" : "") + bare;
            if (!line.isEmpty() && line.length() + 1 + shown.length() > budget) {
                out.add(IrcCodec.format(IrcMessage.from(server, "353", List.of(nick, "=", ch, line.toString()))) + "\r\n");
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(shown);
        }
        if (!line.isEmpty()) {
            out.add(IrcCodec.format(IrcMessage.from(server, "353", List.of(nick, "=", ch, line.toString()))) + "\r\n");
        }
        return out;
    }
}
