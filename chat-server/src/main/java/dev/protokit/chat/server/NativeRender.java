package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatError;
import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.MessageKind;
import dev.protokit.chat.wire.AttachmentInfo;
import dev.protokit.chat.wire.ErrorCode;
import dev.protokit.chat.wire.ServerMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Translates the core's events and refusals into {@code protokit-chat/1}: one {@link ServerMessage}
 * per {@link ChatEvent} (or none, for what the native protocol does not show), and an
 * {@link ErrorCode} per {@link ChatError}. People are shown by account, guests by nick; rooms
 * by their bare name ({@code general}, {@code #general} on IRC).
 */
final class NativeRender {
    private final NativeAttachments attachments;

    NativeRender(NativeAttachments attachments) {
        this.attachments = attachments;
    }

    /** The message a native client gets for {@code event}, if it shows one. */
    Optional<ServerMessage> render(ChatEvent event, Instant now) {
        return Optional.ofNullable(switch (event) {
            case ChatEvent.Said s -> stored(s.message());
            case ChatEvent.Joined j -> new ServerMessage.Joined(j.room(), name(j.who()), now);
            case ChatEvent.Parted p -> new ServerMessage.Parted(p.room(), name(p.who()), p.reason(), Optional.empty(), now);
            case ChatEvent.Kicked k -> new ServerMessage.Parted(k.room(), k.victim(), Optional.of(k.reason()),
                    Optional.of(name(k.by())), now);
            case ChatEvent.Quit q -> new ServerMessage.Presence(name(q.who()), dev.protokit.chat.wire.PresenceState.OFFLINE,
                    Optional.empty(), Optional.of(now));
            case ChatEvent.TopicChanged t -> new ServerMessage.Topic(t.room(), t.topic().map(x -> x.text()).orElse(""),
                    name(t.by()), t.topic().map(x -> x.setAt()).orElse(now));
            case ChatEvent.AwayChanged a -> new ServerMessage.Presence(name(a.who()), a.message().isPresent()
                    ? dev.protokit.chat.wire.PresenceState.AWAY : dev.protokit.chat.wire.PresenceState.ONLINE,
                    a.message(), Optional.empty());
            case ChatEvent.ModeChanged m -> new ServerMessage.Notice(name(m.by()) + " sets mode " + m.changes().stream()
                    .map(c -> (c.add() ? "+" : "-") + c.mode().name().toLowerCase(java.util.Locale.ROOT)
                            + c.argument().map(arg -> " " + arg).orElse(""))
                    .collect(Collectors.joining(", ")) + " in " + m.room());
            case ChatEvent.Invited i -> new ServerMessage.Notice(name(i.by()) + " invites you to " + i.room());
            case ChatEvent.ServerNotice n -> new ServerMessage.Notice(n.text());
            case ChatEvent.Closing c -> new ServerMessage.Bye(c.reason());
            // Nick changes concern IRC's view; natively an account keeps its name.
            case ChatEvent.NickChanged n -> null;
        });
    }

    /** A stored message as the native protocol shows it, live or in a history page. */
    ServerMessage.Stored stored(ChatMessage m) {
        String from = m.fromAccount().orElse(m.fromNick());
        boolean action = m.kind() == MessageKind.ACTION;
        Optional<AttachmentInfo> attachment = attachment(m, from);
        return switch (m.conversation()) {
            case Conversation.Room r -> new ServerMessage.Posted(m.id(), m.time(), from, r.name(), m.text(), action, attachment);
            case Conversation.Direct d -> new ServerMessage.Direct(m.id(), m.time(), from, d.peerOf(from), m.text(), action,
                    attachment);
        };
    }

    /** The attachment a message offers: only one really sent by its sender into its conversation. */
    private Optional<AttachmentInfo> attachment(ChatMessage m, String from) {
        return NativeAttachments.offeredId(m.text())
                .flatMap(attachments::find)
                .filter(e -> e.sender().equals(from) && e.conversationKey().equals(m.conversation().key()))
                .map(NativeAttachments.Entry::info);
    }

    /** How the native protocol shows a person: the account, else the nick of a guest. */
    static String name(Identity who) {
        return who.account().orElse(who.nick());
    }

    /** The wire code for a refusal of the core. */
    static ErrorCode code(ChatError error) {
        return switch (error) {
            case NO_SUCH_NICK -> ErrorCode.NO_SUCH_ACCOUNT;
            case NO_SUCH_ROOM, ROOM_CREATION_RESTRICTED -> ErrorCode.NO_SUCH_ROOM;
            case BAD_NAME -> ErrorCode.BAD_NAME;
            case NOT_IN_ROOM, TARGET_NOT_IN_ROOM -> ErrorCode.NOT_MEMBER;
            case BANNED -> ErrorCode.BANNED;
            case INVITE_ONLY -> ErrorCode.INVITE_ONLY;
            case BAD_KEY -> ErrorCode.BAD_KEY;
            case ROOM_FULL -> ErrorCode.ROOM_FULL;
            case NOT_ROOM_OPERATOR, NOT_SERVER_OPERATOR -> ErrorCode.NOT_OPERATOR;
            case CANNOT_SEND, NICK_IN_USE, NICK_REGISTERED, ALREADY_IN_ROOM, TOO_MANY_ROOMS, ACCOUNT_REQUIRED,
                 GUESTS_REFUSED -> ErrorCode.FORBIDDEN;
            case INVALID_REQUEST -> ErrorCode.MALFORMED;
            case STORE_FAILURE -> ErrorCode.UNAVAILABLE;
        };
    }
}
