package dev.protokit.chat.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Room and direct messages: permission checks, storing (before anything is delivered), fan-out,
 * offline queueing and notification, history pages and the offline replay at login.
 */
final class Messages {
    /** How stale the account list used to spot mentions may get. */
    private static final Duration ACCOUNT_CACHE = Duration.ofSeconds(10);

    private final ChatCore core;
    private volatile Map<String, Account> accounts = Map.of();
    private volatile Instant accountsLoaded = Instant.EPOCH;

    Messages(ChatCore core) {
        this.core = core;
    }

    ChatEvent.Said toRoom(Client client, String name, MessageKind kind, String text) {
        ChatMessage.requireText(text);
        Room room = core.rooms.require(name);
        Room.Status st = room.status(client);
        RoomSettings s = room.settings();
        boolean privileged = st != null && (st.operator() || st.voice());
        if (st == null && s.has(RoomMode.NO_EXTERNAL)) {
            throw new ChatException(ChatError.CANNOT_SEND, "to " + s.name() + " from outside (+n)");
        }
        if (s.has(RoomMode.MODERATED) && !privileged) {
            throw new ChatException(ChatError.CANNOT_SEND, "to " + s.name() + " (+m)");
        }
        if (!privileged && room.isBanned(client.identity())) {
            throw new ChatException(ChatError.CANNOT_SEND, "to " + s.name() + " while banned");
        }
        Identity from = client.identity();
        ChatEvent.Said event;
        // The time is taken where the room's order is decided, not before: two senders taking
        // their times first could be stored and published in the other order, and members would
        // see server-time go back. Holding the lock across the store's commit serialises one
        // room's appends (other rooms still commit together); publishing only enqueues.
        room.speech.lock();
        try {
            Instant now = room.nextMessageTime(core.clock.instant());
            ChatMessage m = core.store.append(new Conversation.Room(s.name()), now, from.nick(), from.account(),
                    kind, text, List.of());
            event = new ChatEvent.Said(m, from, s.name(), false);
            core.fanout.publish(room.topic(), event, client.sink());
        } finally {
            room.speech.unlock();
        }
        client.spoke(event.message().time());
        notifyMentions(room, event.message());
        return event;
    }

    ChatEvent.Said toPerson(Client client, String nick, MessageKind kind, String text) {
        ChatMessage.requireText(text);
        Identity from = client.identity();
        Optional<Client> online = core.client(nick);
        Instant now = core.clock.instant();
        ChatEvent.Said event;
        if (online.isPresent()) {
            Client to = online.get();
            var conversation = new Conversation.Direct(client.conversationName(), to.conversationName());
            ChatMessage m = core.store.append(conversation, now, from.nick(), from.account(), kind, text, List.of());
            event = new ChatEvent.Said(m, from, to.nick(), false);
            core.fanout.publish(to.personTopic(), event, client.sink());
        } else {
            Account account = core.account(nick)
                    .orElseThrow(() -> new ChatException(ChatError.NO_SUCH_NICK, "nick " + Names.printable(nick)));
            var conversation = new Conversation.Direct(client.conversationName(), account.name());
            ChatMessage m = core.store.append(conversation, now, from.nick(), from.account(), kind, text,
                    List.of(account.name()));
            event = new ChatEvent.Said(m, from, account.name(), false);
            if (account.email().isPresent()) {
                core.notifier.offline(account, m, OfflineNotifier.Reason.DIRECT);
            }
        }
        client.spoke(now);
        // The sender's other connections (same account) see what it sent.
        if (from.account().isPresent() && !online.map(o -> o.personTopic().equals(client.personTopic())).orElse(false)) {
            core.fanout.publish(client.personTopic(), event, client.sink());
        }
        return event;
    }

    List<ChatMessage> history(Client client, Conversation conversation, HistoryQuery query) {
        switch (conversation) {
            case Conversation.Room r -> {
                Room room = core.rooms.require(r.name());
                RoomSettings s = room.settings();
                boolean open = !s.has(RoomMode.INVITE_ONLY) && s.key().isEmpty() && !room.isBanned(client.identity());
                if (room.status(client) == null && !open) {
                    throw new ChatException(ChatError.NOT_IN_ROOM, "history of " + s.name());
                }
            }
            case Conversation.Direct d -> {
                String me = client.account().map(Names::fold)
                        .orElseThrow(() -> new ChatException(ChatError.ACCOUNT_REQUIRED, "direct message history"));
                if (!d.a().equals(me) && !d.b().equals(me)) {
                    throw new ChatException(ChatError.INVALID_REQUEST, "not your conversation");
                }
            }
        }
        return core.store.history(conversation, query);
    }

    List<ChatStore.Target> targets(Client client, Instant from, Instant to, int limit) {
        List<String> roomKeys = new ArrayList<>();
        for (Room r : client.rooms()) {
            roomKeys.add(r.topic());
        }
        String me = client.account().map(Names::fold).orElse("");
        return core.store.targets(me, roomKeys, from, to, limit);
    }

    void deliverOffline(Client client, String account) {
        List<ChatMessage> pending = core.store.pendingOffline(account);
        if (pending.isEmpty()) {
            return;
        }
        for (ChatMessage m : pending) {
            Identity from = new Identity(m.fromNick(), m.fromAccount().orElse("offline"), core.config.serverName(),
                    m.fromNick(), m.fromAccount());
            client.sink().deliver(new ChatEvent.Said(m, from, client.nick(), true));
        }
        core.store.markDelivered(account, pending.getLast().id());
    }

    /** Offline accounts with an e-mail address named as a word of a room message are told. */
    private void notifyMentions(Room room, ChatMessage m) {
        if (core.notifier == OfflineNotifier.NONE) {
            return;
        }
        Map<String, Account> known = accounts();
        Set<String> told = new HashSet<>();
        for (String word : m.text().split("[^A-Za-z0-9_-]+")) {
            Account a = known.get(Names.fold(word));
            if (a != null && a.email().isPresent() && told.add(a.key())
                    && core.presence(a.name()) == Presence.OFFLINE) {
                core.notifier.offline(a, m, OfflineNotifier.Reason.MENTION);
            }
        }
    }

    private Map<String, Account> accounts() {
        Instant now = core.clock.instant();
        if (accountsLoaded.plus(ACCOUNT_CACHE).isBefore(now)) {
            Map<String, Account> fresh = new HashMap<>();
            for (Account a : core.store.accounts()) {
                fresh.put(a.key(), a);
            }
            accounts = fresh;
            accountsLoaded = now;
        }
        return accounts;
    }
}
