package dev.protokit.chat.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The policies of the chat core, shared by every listener.
 *
 * @param serverName       the server's name (IRC prefixes, 001-004), a host-like name
 * @param guestsAllowed    whether clients without an account may connect ({@code --guests})
 * @param roomCreation     who may create a room by joining it
 * @param maxRoomsPerClient rooms one client may be in at once (ISUPPORT CHANLIMIT)
 * @param historyRetention messages older than this are purged ({@code ZERO}: kept forever)
 */
public record ChatConfig(String serverName, boolean guestsAllowed, RoomCreation roomCreation,
                         int maxRoomsPerClient, Duration historyRetention) {
    /** Who may create rooms. */
    public enum RoomCreation {
        /** Any client, by joining a room that does not exist (IRC's way). */
        ANYONE,
        /** Only server operators; others get {@link ChatError#ROOM_CREATION_RESTRICTED}. */
        OPERATORS
    }

    public ChatConfig {
        Objects.requireNonNull(serverName, "serverName");
        if (!serverName.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}")) {
            throw new IllegalArgumentException("server name must be a host-like name (letters, digits, '.', '-'), got '"
                    + Names.printable(serverName) + "'");
        }
        Objects.requireNonNull(roomCreation, "roomCreation");
        if (maxRoomsPerClient < 1) {
            throw new IllegalArgumentException("maxRoomsPerClient must be at least 1");
        }
        if (historyRetention.isNegative()) {
            throw new IllegalArgumentException("history retention must not be negative");
        }
    }

    /** Defaults for tests: guests allowed, anyone creates rooms, 50 rooms, 30 days of history. */
    public static ChatConfig defaults(String serverName) {
        return new ChatConfig(serverName, true, RoomCreation.ANYONE, 50, Duration.ofDays(30));
    }
}
