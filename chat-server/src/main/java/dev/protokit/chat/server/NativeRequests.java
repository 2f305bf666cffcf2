package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.HistoryQuery;
import dev.protokit.chat.core.MessageKind;
import dev.protokit.chat.core.Room;
import dev.protokit.chat.core.RoomMode;
import dev.protokit.chat.wire.ChatWireException;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.ErrorCode;
import dev.protokit.chat.wire.PresenceState;
import dev.protokit.chat.wire.ServerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carries out one native client's requests on the core, on the connection's own thread, and
 * answers each: {@code ack} with the stored message's id and time, the asked-for {@code room},
 * {@code history-page} or {@code file}, or nothing where the event itself answers. Refusals of
 * the core come back as {@code ChatException}s; the session turns them into {@code error}s.
 */
final class NativeRequests {
    private final ChatCore core;
    private final Client client;
    private final String account;
    private final NativeOutbox out;
    private final NativeRender render;
    private final NativeAttachments attachments;
    private final NativeTyping typing;
    private final Clock clock;

    NativeRequests(ChatCore core, Client client, String account, NativeOutbox out, NativeRender render,
                   NativeAttachments attachments, NativeTyping typing, Clock clock) {
        this.core = core;
        this.client = client;
        this.account = account;
        this.out = out;
        this.render = render;
        this.attachments = attachments;
        this.typing = typing;
        this.clock = clock;
    }

    /** Handles {@code request}; {@code body} is the frame's body (an attachment's bytes). Returns false on quit. */
    boolean handle(ClientMessage request, InputStream body) throws IOException {
        switch (request) {
            case ClientMessage.Join m -> out.send(roomInfo(client.join(m.room(), m.key())));
            case ClientMessage.Part m -> client.part(m.room(), m.reason());
            case ClientMessage.Say m -> ack(m.ref(), client.sayToRoom(m.room(), kind(m.action()), m.text()));
            case ClientMessage.Dm m -> ack(m.ref(), client.sayTo(m.to(), kind(m.action()), m.text()));
            case ClientMessage.SetTopic m -> {
                client.topic(m.room(), m.topic());
                out.send(new ServerMessage.Ack(m.ref(), OptionalLong.empty(), clock.instant()));
            }
            case ClientMessage.Away m -> {
                client.setAway(m.message());
                out.send(new ServerMessage.Presence(account, m.message().isPresent() ? PresenceState.AWAY
                        : PresenceState.ONLINE, m.message(), Optional.empty()));
            }
            case ClientMessage.Typing m -> typing.relay(client, m.conversation(), m.active());
            case ClientMessage.Who m -> out.send(roomInfo(core.room(m.room()).orElseThrow(() ->
                    new ChatWireException(ErrorCode.NO_SUCH_ROOM, "who: no room " + m.room()))));
            case ClientMessage.History m -> out.send(history(m));
            case ClientMessage.Attach m -> attach(m, body);
            case ClientMessage.Get m -> get(m);
            case ClientMessage.Operator m -> operator(m);
            case ClientMessage.Ping m -> out.send(new ServerMessage.Pong(m.ref()));
            case ClientMessage.Quit m -> {
                out.send(new ServerMessage.Bye(m.reason().orElse("quit")));
                return false;
            }
        }
        return true;
    }

    private void ack(Optional<String> ref, ChatEvent.Said said) {
        out.send(new ServerMessage.Ack(ref, OptionalLong.of(said.message().id()), said.message().time()));
    }

    private static MessageKind kind(boolean action) {
        return action ? MessageKind.ACTION : MessageKind.MESSAGE;
    }

    private ServerMessage.Room roomInfo(Room room) {
        List<ServerMessage.Member> members = new ArrayList<>();
        room.members().forEach((member, status) -> members.add(new ServerMessage.Member(NativeRender.name(member.identity()),
                member.away().isPresent() ? PresenceState.AWAY : PresenceState.ONLINE, status.operator(), member.away())));
        members.sort(java.util.Comparator.comparing(ServerMessage.Member::account));
        return new ServerMessage.Room(room.name(), room.settings().topic().map(t -> t.text()), members);
    }

    private ServerMessage.HistoryPage history(ClientMessage.History m) {
        Conversation conversation = switch (m.conversation()) {
            case dev.protokit.chat.wire.Conversation.Room r -> new Conversation.Room(r.name());
            case dev.protokit.chat.wire.Conversation.With w -> new Conversation.Direct(account, w.name());
        };
        // One more than asked tells whether the page was cut.
        int ask = m.limit() + 1;
        HistoryQuery query = m.before().isPresent() ? new HistoryQuery.Before(new HistoryQuery.ById(m.before().getAsLong()), ask)
                : m.after().isPresent() ? new HistoryQuery.After(new HistoryQuery.ById(m.after().getAsLong()), ask)
                : new HistoryQuery.Latest(ask);
        List<ChatMessage> found = client.history(conversation, query);
        boolean more = found.size() > m.limit();
        if (more) {
            // Oldest first: "after" pages keep the oldest, the others keep the newest.
            found = m.after().isPresent() ? found.subList(0, m.limit()) : found.subList(found.size() - m.limit(), found.size());
        }
        return new ServerMessage.HistoryPage(m.conversation(), found.stream().map(render::stored).toList(), more);
    }

    private void attach(ClientMessage.Attach m, InputStream body) throws IOException {
        Conversation conversation = switch (m.conversation()) {
            case dev.protokit.chat.wire.Conversation.Room r -> {
                if (core.room(r.name()).filter(room -> room.members().containsKey(client)).isEmpty()) {
                    throw new ChatWireException(ErrorCode.NOT_MEMBER, "attach: not a member of " + r.name());
                }
                yield new Conversation.Room(r.name());
            }
            case dev.protokit.chat.wire.Conversation.With w -> new Conversation.Direct(account, w.name());
        };
        NativeAttachments.Entry entry = attachments.receive(account, conversation.key(), m.name(), m.mediaType(), m.size(),
                body, clock.instant());
        String text = NativeAttachments.offerText(entry.info());
        ChatEvent.Said said = switch (m.conversation()) {
            case dev.protokit.chat.wire.Conversation.Room r -> client.sayToRoom(r.name(), MessageKind.MESSAGE, text);
            case dev.protokit.chat.wire.Conversation.With w -> client.sayTo(w.name(), MessageKind.MESSAGE, text);
        };
        ack(m.ref(), said);
    }

    private void get(ClientMessage.Get m) {
        NativeAttachments.Entry entry = attachments.find(m.attachment())
                .filter(e -> e.visibleTo(account, client))
                .orElseThrow(() -> new ChatWireException(ErrorCode.NO_SUCH_ATTACHMENT, "get: no attachment "
                        + m.attachment() + " for " + account));
        out.sendFile(new ServerMessage.File(m.ref(), entry.info()), entry);
    }

    private void operator(ClientMessage.Operator m) {
        String reason = m.reason().orElse(account);
        String room = m.room().orElse("");
        switch (m.command()) {
            case KICK -> client.kick(room, m.target(), reason);
            case BAN -> {
                client.mode(room, List.of(new ChatEvent.ModeChange(true, RoomMode.BAN, Optional.of(m.target() + "!*@*"))));
                client.rooms().stream().filter(r -> r.name().equalsIgnoreCase(room)).findFirst()
                        .filter(r -> r.members().keySet().stream().anyMatch(c -> c.nick().equalsIgnoreCase(m.target())))
                        .ifPresent(r -> client.kick(room, m.target(), reason));
            }
            case UNBAN -> client.mode(room, List.of(new ChatEvent.ModeChange(false, RoomMode.BAN, Optional.of(m.target() + "!*@*"))));
            case OP -> client.mode(room, List.of(new ChatEvent.ModeChange(true, RoomMode.OPERATOR, Optional.of(m.target()))));
            case DEOP -> client.mode(room, List.of(new ChatEvent.ModeChange(false, RoomMode.OPERATOR, Optional.of(m.target()))));
            case KILL -> client.kill(m.target(), reason);
        }
        out.send(new ServerMessage.Ack(m.ref(), OptionalLong.empty(), clock.instant()));
    }
}
