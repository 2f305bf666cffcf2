package dev.protokit.chat.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A room's members as a names reply lists them, already encoded: every member's nick in UTF-8,
 * one after the other, and its status. Each JOIN answers the joiner with the names of every
 * member, so a storm of N joins into one room walked the member map N times (N^2/2 nicks
 * rendered into strings); a {@link Room} keeps one roster instead, appended to as members join
 * and rebuilt once after anything else changed it (a member left, got or lost operator or
 * voice, changed nick).
 *
 * <pre>
 *   nicks   a l i c e b o b c a r o l     UTF-8, no separators
 *   ends    5         8     13            where member i ends (it starts where i - 1 ended, or at 0)
 *   status  OPERATOR  0     VOICE         bit 0 operator, bit 1 voice
 * </pre>
 *
 * <p>Immutable to its readers. Snapshots share append-only arrays: an append (under the room's
 * lock) writes past the end of the newest snapshot and returns a longer one, so a reader holding
 * an older snapshot never sees its bytes change; the arrays grow by copying.
 */
public final class Roster {
    private static final int OPERATOR = 1;
    private static final int VOICE = 2;

    /** The arrays several snapshots share; {@code filled} (members written) is read and written under the room lock. */
    private static final class Shared {
        final byte[] nicks;
        final int[] ends;
        final byte[] status;
        int filled;

        Shared(int bytes, int members) {
            nicks = new byte[bytes];
            ends = new int[members];
            status = new byte[members];
        }
    }

    private final Shared arrays;
    private final int size;

    private Roster(Shared arrays, int size) {
        this.arrays = arrays;
        this.size = size;
    }

    /** The roster of {@code members} now (a live map: a member joining meanwhile may or may not be in it). */
    static Roster of(Map<Client, Room.Status> members) {
        Roster r = new Roster(new Shared(Math.max(64, members.size() * 12), Math.max(8, members.size() + 8)), 0);
        for (Map.Entry<Client, Room.Status> e : members.entrySet()) {
            r = r.plus(e.getKey().nick(), e.getValue());
        }
        return r;
    }

    /** This roster and {@code nick} with {@code status} after it. Callers hold the room's lock. */
    Roster plus(String nick, Room.Status status) {
        byte[] name = nick.getBytes(StandardCharsets.UTF_8);
        int used = size == 0 ? 0 : arrays.ends[size - 1];
        Shared a = arrays;
        if (a.filled != size || used + name.length > a.nicks.length || size == a.ends.length) {
            a = new Shared(Math.max(a.nicks.length, (used + name.length) * 2), Math.max(a.ends.length, (size + 1) * 2));
            System.arraycopy(arrays.nicks, 0, a.nicks, 0, used);
            System.arraycopy(arrays.ends, 0, a.ends, 0, size);
            System.arraycopy(arrays.status, 0, a.status, 0, size);
        }
        System.arraycopy(name, 0, a.nicks, used, name.length);
        a.ends[size] = used + name.length;
        a.status[size] = (byte) ((status.operator() ? OPERATOR : 0) | (status.voice() ? VOICE : 0));
        a.filled = size + 1;
        return new Roster(a, size + 1);
    }

    /** How many members. */
    public int size() {
        return size;
    }

    /** Whether member {@code i} is a room operator. */
    public boolean operator(int i) {
        return (arrays.status[check(i)] & OPERATOR) != 0;
    }

    /** Whether member {@code i} has voice. */
    public boolean voice(int i) {
        return (arrays.status[check(i)] & VOICE) != 0;
    }

    /** Bytes of member {@code i}'s nick in UTF-8. */
    public int nickLength(int i) {
        return arrays.ends[check(i)] - start(i);
    }

    /** Copies member {@code i}'s nick (UTF-8) into {@code to} at {@code at}; returns the offset after it. */
    public int copyNick(int i, byte[] to, int at) {
        int start = start(check(i));
        int length = arrays.ends[i] - start;
        System.arraycopy(arrays.nicks, start, to, at, length);
        return at + length;
    }

    /** Member {@code i}'s nick. */
    public String nick(int i) {
        int start = start(check(i));
        return new String(arrays.nicks, start, arrays.ends[i] - start, StandardCharsets.UTF_8);
    }

    private int start(int i) {
        return i == 0 ? 0 : arrays.ends[i - 1];
    }

    private int check(int i) {
        return Objects.checkIndex(i, size);
    }

    @Override
    public String toString() {
        var names = new String[size];
        Arrays.setAll(names, i -> (operator(i) ? "@" : "") + (voice(i) ? "+" : "") + nick(i));
        return "Roster" + Arrays.toString(names);
    }
}
