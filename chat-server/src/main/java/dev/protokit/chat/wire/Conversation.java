package dev.protokit.chat.wire;

/**
 * Where a message, a typing notice, an attachment or a history page belongs: a room, or the
 * direct conversation with one other account. On the wire it is one field, {@code "room"} or
 * {@code "with"}, never both.
 */
public sealed interface Conversation permits Conversation.Room, Conversation.With {
    /** The room or account name. */
    String name();

    /** Room {@code name}, {@code general} natively and {@code #general} on IRC. */
    record Room(String name) implements Conversation {
        public Room {
            Strings.name("conversation", "room", name);
        }
    }

    /** The direct conversation with account {@code name} (seen from the receiver, the sender). */
    record With(String name) implements Conversation {
        public With {
            Strings.name("conversation", "with", name);
        }
    }
}
