package dev.protokit.chat.core;

import java.util.Map;

/** Rosters for tests outside the core: members written as NAMES shows them ({@code @ann}, {@code +bob}, {@code @+cy}). */
public final class RosterBuilder {
    private RosterBuilder() {}

    public static Roster of(String... members) {
        Roster r = Roster.of(Map.of());
        for (String m : members) {
            boolean op = m.startsWith("@");
            boolean voice = m.startsWith("+") || m.startsWith("@+");
            r = r.plus(m.substring((op ? 1 : 0) + (voice ? 1 : 0)), new Room.Status(op, voice));
        }
        return r;
    }
}
