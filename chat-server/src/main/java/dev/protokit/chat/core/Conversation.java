package dev.protokit.chat.core;

import java.util.Objects;

/**
 * Where a message belongs in history: a room, or the direct conversation between two names
 * (accounts, or nicks for guests). {@link #key()} is the store's column value: {@code #room}
 * or {@code @a@b} with both names folded and sorted, so either side finds the same history.
 */
public sealed interface Conversation permits Conversation.Room, Conversation.Direct {

    /** The store key. */
    String key();

    /** Room {@code name} (without {@code #}). */
    record Room(String name) implements Conversation {
        public Room {
            Names.requireRoom(Objects.requireNonNull(name, "name"));
        }

        @Override
        public String key() {
            return "#" + Names.fold(name);
        }
    }

    /** The direct conversation of {@code a} and {@code b}, in any order. */
    record Direct(String a, String b) implements Conversation {
        public Direct {
            String fa = Names.fold(Objects.requireNonNull(a, "a"));
            String fb = Names.fold(Objects.requireNonNull(b, "b"));
            if (fa.compareTo(fb) > 0) {
                String t = fa;
                fa = fb;
                fb = t;
            }
            a = fa;
            b = fb;
        }

        @Override
        public String key() {
            return "@" + a + "@" + b;
        }

        /** The other side of the conversation as seen by {@code me}. */
        public String peerOf(String me) {
            return Names.fold(me).equals(a) ? b : a;
        }
    }

    /** Parses a {@link #key()} back (for stores). */
    static Conversation ofKey(String key) {
        if (key.startsWith("#")) {
            return new Room(key.substring(1));
        }
        int at = key.indexOf('@', 1);
        if (key.startsWith("@") && at > 1) {
            return new Direct(key.substring(1, at), key.substring(at + 1));
        }
        throw new IllegalArgumentException("not a conversation key: " + Names.printable(key));
    }
}
