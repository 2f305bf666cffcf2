package dev.protokit.chat.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the core tells a connected client. Listeners render each event in their protocol (an IRC
 * line, a native frame); the core never formats wire text. Events are immutable and shared by
 * every recipient, so a listener may cache its rendering on the side, keyed by the event.
 */
public sealed interface ChatEvent {

    /**
     * A message in a room or a direct message. {@code target} is the room name or, for a direct
     * message, the recipient's nick (the account name when it was sent to an offline account).
     * {@code replay} marks offline messages delivered at login.
     */
    record Said(ChatMessage message, Identity from, String target, boolean replay) implements ChatEvent {
        public Said {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(target, "target");
        }

        /** Whether this is a room message (else a direct one). */
        public boolean inRoom() {
            return message.conversation() instanceof Conversation.Room;
        }
    }

    /** {@code who} joined {@code room}. */
    record Joined(String room, Identity who) implements ChatEvent {}

    /** {@code who} left {@code room}. */
    record Parted(String room, Identity who, Optional<String> reason) implements ChatEvent {}

    /** {@code by} removed {@code victim} (a nick) from {@code room}. */
    record Kicked(String room, Identity by, String victim, String reason) implements ChatEvent {}

    /** {@code who} disconnected; sent once to each client sharing a room with it. */
    record Quit(Identity who, String reason) implements ChatEvent {}

    /** {@code who} is now called {@code newNick}. */
    record NickChanged(Identity who, String newNick) implements ChatEvent {}

    /** {@code by} set or cleared the topic of {@code room}. */
    record TopicChanged(String room, Identity by, Optional<RoomSettings.Topic> topic) implements ChatEvent {}

    /** {@code by} changed modes of {@code room}. */
    record ModeChanged(String room, Identity by, List<ModeChange> changes) implements ChatEvent {
        public ModeChanged {
            changes = List.copyOf(changes);
        }
    }

    /** {@code by} invited the recipient ({@code invitee}) to {@code room}. */
    record Invited(String room, Identity by, String invitee) implements ChatEvent {}

    /** {@code who} went away ({@code message} present) or came back (IRCv3 away-notify). */
    record AwayChanged(Identity who, Optional<String> message) implements ChatEvent {}

    /** The client must disconnect now: KILL, shutdown, or a second login refused. */
    record Closing(String reason) implements ChatEvent {}

    /** A notice from the server itself (operator broadcasts, shutdown warnings). */
    record ServerNotice(String text) implements ChatEvent {}

    /** One mode change: {@code +k secret}, {@code -o alice}, {@code +m}. */
    record ModeChange(boolean add, RoomMode mode, Optional<String> argument) {
        public ModeChange {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(argument, "argument");
        }
    }
}
