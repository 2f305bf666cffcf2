package dev.protokit.chat.server;

import dev.protokit.chat.core.Roster;
import dev.protokit.chat.irc.IrcCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 353 (RPL_NAMREPLY) lines of a names reply, written as bytes straight from a room's
 * {@link Roster}: no strings per name, no formatting per line, which a JOIN into a big room
 * would pay once per member.
 *
 * <pre>
 *   :irc.example 353 alice = #room :@alice +bob carol    (CR LF)
 *   |&lt;---------- head ----------&gt;|&lt;--- names ---&gt;|
 *   |&lt;-- at most 510 bytes (IrcCodec.MAX_MESSAGE_BYTES) --&gt;|
 * </pre>
 *
 * Names fill a line while they fit (one name always goes on a line of its own, however long);
 * a member's prefix is {@code @} or {@code +}, or both ({@code @+}) for multi-prefix clients.
 */
final class IrcNames {
    private static final byte[] CRLF = {'\r', '\n'};

    private IrcNames() {}

    /** The 353 lines of {@code roster} for {@code nick} on {@code server}, in the roster's order; none for an empty room. */
    static List<byte[]> lines(String server, String nick, String channel, Roster roster, boolean multiPrefix) {
        byte[] head = (":" + server + " 353 " + nick + " = " + channel + " :").getBytes(StandardCharsets.UTF_8);
        int budget = IrcCodec.MAX_MESSAGE_BYTES - head.length;
        var lines = new ArrayList<byte[]>();
        byte[] names = new byte[Math.max(budget, 0) + 64];
        int at = 0;
        for (int i = 0; i < roster.size(); i++) {
            boolean op = roster.operator(i);
            boolean voice = roster.voice(i);
            int prefix = multiPrefix ? (op ? 1 : 0) + (voice ? 1 : 0) : (op || voice ? 1 : 0);
            int length = prefix + roster.nickLength(i);
            if (at > 0 && at + 1 + length > budget) {
                lines.add(line(head, names, at));
                at = 0;
            }
            if (at + 1 + length > names.length) {
                names = Arrays.copyOf(names, at + 1 + length); // a name longer than a line: alone on its own
            }
            if (at > 0) {
                names[at++] = ' ';
            }
            if (op) {
                names[at++] = '@';
            }
            if (voice && (multiPrefix || !op)) {
                names[at++] = '+';
            }
            at = roster.copyNick(i, names, at);
        }
        if (at > 0) {
            lines.add(line(head, names, at));
        }
        return lines;
    }

    private static byte[] line(byte[] head, byte[] names, int length) {
        byte[] out = new byte[head.length + length + CRLF.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(names, 0, out, head.length, length);
        System.arraycopy(CRLF, 0, out, head.length + length, CRLF.length);
        return out;
    }
}
