package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ServerMessage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typing notices: relayed between native clients only, never stored, never fanned out through
 * the core (IRC has no portable equivalent). Holds the native sessions' outboxes by client;
 * thread-safe (a concurrent map, entries added at login and removed at logout).
 */
final class NativeTyping {
    private final ChatCore core;
    private final ConcurrentHashMap<Client, NativeOutbox> sessions = new ConcurrentHashMap<>();

    NativeTyping(ChatCore core) {
        this.core = core;
    }

    void add(Client client, NativeOutbox out) {
        sessions.put(client, out);
    }

    void remove(Client client) {
        sessions.remove(client);
    }

    /** Tells the room's other native members, or the other account's native sessions, that {@code from} types. */
    void relay(Client from, Conversation conversation, boolean active) {
        String name = NativeRender.name(from.identity());
        switch (conversation) {
            case Conversation.Room room -> core.room(room.name()).ifPresent(r -> {
                if (!r.members().containsKey(from)) {
                    return;
                }
                var notice = new ServerMessage.IsTyping(name, new Conversation.Room(r.name()), active);
                r.members().keySet().stream().filter(c -> c != from).map(sessions::get)
                        .filter(java.util.Objects::nonNull).forEach(out -> out.send(notice));
            });
            case Conversation.With with -> {
                var notice = new ServerMessage.IsTyping(name, new Conversation.With(name), active);
                core.clientsOf(with.name()).stream().map(sessions::get).filter(java.util.Objects::nonNull)
                        .forEach(out -> out.send(notice));
            }
        }
    }
}
