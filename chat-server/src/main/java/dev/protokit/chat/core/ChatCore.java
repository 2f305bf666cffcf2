package dev.protokit.chat.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chat model every listener translates to: connected clients and their nicks, accounts,
 * rooms, presence and messages. It holds no sockets: events leave through {@link Fanout} to each
 * client's {@link ClientSink}, state persists through {@link ChatStore}, and offline recipients
 * are reported to an {@link OfflineNotifier}. Thread-safe: listeners call it from one virtual
 * thread per client.
 */
public final class ChatCore {
    private static final int WHOWAS_ENTRIES = 1000;

    /** A client that left: for WHOWAS. */
    public record Departed(Identity identity, Instant when) {}

    final ChatConfig config;
    final ChatStore store;
    final Fanout fanout;
    final OfflineNotifier notifier;
    final Clock clock;
    final Rooms rooms;
    final Messages messages;
    private final ConcurrentHashMap<String, Client> nicks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Client>> byAccount = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ReentrantLock whowasLock = new ReentrantLock();
    private final ArrayDeque<Departed> whowas = new ArrayDeque<>();

    /** A core over {@code store} (rooms are loaded from it now) and {@code fanout}. */
    public ChatCore(ChatConfig config, ChatStore store, Fanout fanout, OfflineNotifier notifier, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.fanout = Objects.requireNonNull(fanout, "fanout");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rooms = new Rooms(this);
        this.messages = new Messages(this);
    }

    /** The policies in force. */
    public ChatConfig config() {
        return config;
    }

    /** The store, for listeners that authenticate (SCRAM verifiers, native keys). */
    public ChatStore store() {
        return store;
    }

    /** The account named {@code name}, any case. */
    public Optional<Account> account(String name) {
        return Names.isValidAccount(name) ? store.account(name) : Optional.empty();
    }

    /**
     * Registers a client under {@code identity} and returns its handle; offline direct
     * messages for its account are delivered to {@code sink} at once, in order, then dropped
     * from the queue (once). Refused if the nick is taken or another account's, or a guest
     * when guests are refused.
     */
    public Client connect(Identity identity, ClientSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (identity.account().isEmpty() && !config.guestsAllowed()) {
            throw new ChatException(ChatError.GUESTS_REFUSED, "this server requires an account");
        }
        checkNickOwner(identity.nick(), identity.account());
        var client = new Client(this, ids.incrementAndGet(), identity, sink, clock.instant());
        if (nicks.putIfAbsent(identity.nickKey(), client) != null) {
            throw new ChatException(ChatError.NICK_IN_USE, "nick " + identity.nick());
        }
        fanout.subscribe(client.personTopic(), sink);
        identity.account().ifPresent(a -> {
            byAccount.computeIfAbsent(Names.fold(a), k -> ConcurrentHashMap.newKeySet()).add(client);
            messages.deliverOffline(client, a);
        });
        return client;
    }

    /** Whether {@code nick} is free for a client logged in as {@code account} (for NICK before registration). */
    public void checkNickAvailable(String nick, Optional<String> account) {
        Names.requireNick(nick);
        checkNickOwner(nick, account);
        if (nicks.containsKey(Names.fold(nick))) {
            throw new ChatException(ChatError.NICK_IN_USE, "nick " + nick);
        }
    }

    private void checkNickOwner(String nick, Optional<String> account) {
        String key = Names.fold(nick);
        boolean own = account.map(a -> Names.fold(a).equals(key)).orElse(false);
        if (!own && account(nick).isPresent()) {
            throw new ChatException(ChatError.NICK_REGISTERED, "nick " + nick + " belongs to a registered account");
        }
    }

    /** The client holding {@code nick} now. */
    public Optional<Client> client(String nick) {
        return Optional.ofNullable(nicks.get(Names.fold(nick)));
    }

    /** Every connected client (a snapshot). */
    public List<Client> clients() {
        return List.copyOf(nicks.values());
    }

    /** How many clients are connected. */
    public int clientCount() {
        return nicks.size();
    }

    /** The clients logged in as {@code account}. */
    public Set<Client> clientsOf(String account) {
        Set<Client> set = byAccount.get(Names.fold(account));
        return set == null ? Set.of() : Set.copyOf(set);
    }

    /** Online, away (every connection away) or offline. */
    public Presence presence(String account) {
        Set<Client> set = clientsOf(account);
        if (set.isEmpty()) {
            return Presence.OFFLINE;
        }
        return set.stream().allMatch(c -> c.away().isPresent()) ? Presence.AWAY : Presence.ONLINE;
    }

    /** The room named {@code name}, if it exists. */
    public Optional<Room> room(String name) {
        return rooms.find(name);
    }

    /** Every room, stored or live. */
    public Collection<Room> rooms() {
        return rooms.all();
    }

    /** How many rooms exist, stored or live. */
    public int roomCount() {
        return rooms.count();
    }

    /** Recent departures under {@code nick}, newest first. */
    public List<Departed> whowas(String nick) {
        String key = Names.fold(nick);
        List<Departed> found = new ArrayList<>();
        whowasLock.lock();
        try {
            whowas.descendingIterator().forEachRemaining(d -> {
                if (d.identity().nickKey().equals(key)) {
                    found.add(d);
                }
            });
        } finally {
            whowasLock.unlock();
        }
        return found;
    }

    /** Tells every client to disconnect with {@code reason} (shutdown). */
    public void closeAll(String reason) {
        for (Client c : clients()) {
            c.sink().deliver(new ChatEvent.Closing(reason));
        }
    }

    void changeNick(Client client, String newNick) {
        Names.requireNick(newNick);
        Identity old = client.identity();
        if (old.nick().equals(newNick)) {
            return;
        }
        checkNickOwner(newNick, old.account());
        String newKey = Names.fold(newNick);
        if (!newKey.equals(old.nickKey()) && nicks.putIfAbsent(newKey, client) != null) {
            throw new ChatException(ChatError.NICK_IN_USE, "nick " + newNick);
        }
        boolean guest = old.account().isEmpty();
        if (guest) {
            fanout.unsubscribe(client.personTopic(), client.sink());
        }
        client.identity(old.withNick(newNick));
        if (!newKey.equals(old.nickKey())) {
            nicks.remove(old.nickKey(), client);
        }
        if (guest) {
            fanout.subscribe(client.personTopic(), client.sink());
        }
        for (Room room : client.rooms) {
            room.nickChanged();
        }
        var event = new ChatEvent.NickChanged(old, newNick);
        client.sink().deliver(event);
        fanout.publishOnce(roomTopics(client), event, client.sink());
    }

    void setAway(Client client, Optional<String> message) {
        message.ifPresent(ChatMessage::requireText);
        client.away(message);
        fanout.publishOnce(roomTopics(client), new ChatEvent.AwayChanged(client.identity(), message), client.sink());
    }

    void kill(Client by, String nick, String reason) {
        if (!by.isOperator()) {
            throw new ChatException(ChatError.NOT_SERVER_OPERATOR, "KILL needs a server operator");
        }
        Client victim = client(nick).orElseThrow(() -> new ChatException(ChatError.NO_SUCH_NICK, "nick " + nick));
        String why = "Killed (" + by.nick() + " (" + reason + "))";
        victim.sink().deliver(new ChatEvent.Closing(why));
        quit(victim, why);
    }

    void quit(Client client, String reason) {
        // Under the membership lock, as the client's own requests are (Client.whilePresent): a
        // join or nick change running on its thread while another one (KILL) quits it has either
        // finished, and its room is left and its new nick released here after the QUIT, or it
        // comes later and is refused.
        Identity who;
        client.membership.lock();
        try {
            if (client.gone) {
                return;
            }
            client.gone = true;
            who = client.identity();
            fanout.publishOnce(roomTopics(client), new ChatEvent.Quit(who, reason), client.sink());
            for (Room room : client.rooms()) {
                rooms.leave(client, room);
            }
        } finally {
            client.membership.unlock();
        }
        fanout.unsubscribe(client.personTopic(), client.sink());
        nicks.remove(who.nickKey(), client);
        who.account().ifPresent(a -> {
            Set<Client> set = byAccount.get(Names.fold(a));
            if (set != null) {
                set.remove(client);
                byAccount.computeIfPresent(Names.fold(a), (k, s) -> s.isEmpty() ? null : s);
            }
            try {
                store.setLastSeen(a, clock.instant());
            } catch (ChatException e) {
                // the client is gone either way; only its last-seen time is stale
                org.slf4j.LoggerFactory.getLogger(ChatCore.class).warn("last-seen of {} not saved: {}", a, e.getMessage());
            }
        });
        whowasLock.lock();
        try {
            whowas.addLast(new Departed(who, clock.instant()));
            if (whowas.size() > WHOWAS_ENTRIES) {
                whowas.removeFirst();
            }
        } finally {
            whowasLock.unlock();
        }
    }

    static List<String> roomTopics(Client client) {
        List<String> topics = new ArrayList<>();
        for (Room r : client.rooms) {
            topics.add(r.topic());
        }
        return topics;
    }
}
