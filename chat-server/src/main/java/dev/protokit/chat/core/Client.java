package dev.protokit.chat.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One connected client's handle on the core, whichever listener it came through. The listener
 * calls these methods from the client's own thread; events for the client arrive through its
 * {@link ClientSink}. Refusals are {@link ChatException}s with a {@link ChatError}.
 */
public final class Client {
    private final ChatCore core;
    private final long id;
    private final ClientSink sink;
    private final Instant connected;
    final Set<Room> rooms = ConcurrentHashMap.newKeySet();
    /**
     * Held by each of the client's own requests and by the quit, so a client quit (or killed)
     * from another thread is either done with a request or refused it: never left behind in a
     * room, never holding a nick, never speaking after its QUIT.
     */
    final ReentrantLock membership = new ReentrantLock();
    private volatile Identity identity;
    private volatile Optional<String> away = Optional.empty();
    private volatile boolean operator;
    private volatile Instant lastSpoke;
    volatile boolean gone;

    Client(ChatCore core, long id, Identity identity, ClientSink sink, Instant now) {
        this.core = core;
        this.id = id;
        this.identity = identity;
        this.sink = sink;
        this.connected = now;
        this.lastSpoke = now;
    }

    /** A number unique within this server run. */
    public long id() {
        return id;
    }

    /** Who this client is now (the nick changes). */
    public Identity identity() {
        return identity;
    }

    void identity(Identity newIdentity) {
        identity = newIdentity;
    }

    /** The current nick. */
    public String nick() {
        return identity.nick();
    }

    /** The account it logged in as, if any. */
    public Optional<String> account() {
        return identity.account();
    }

    /** Where this client's events go. */
    public ClientSink sink() {
        return sink;
    }

    /** When it connected. */
    public Instant connected() {
        return connected;
    }

    /** When it last sent a message (WHOIS idle time). */
    public Instant lastSpoke() {
        return lastSpoke;
    }

    void spoke(Instant when) {
        lastSpoke = when;
    }

    /** Its away message, if away. */
    public Optional<String> away() {
        return away;
    }

    void away(Optional<String> message) {
        away = message;
    }

    /** Whether it is a server operator now (after OPER, or a native operator account). */
    public boolean isOperator() {
        return operator;
    }

    /** The rooms it is in now. */
    public List<Room> rooms() {
        return List.copyOf(rooms);
    }

    /** The fan-out topic of this person: its account's, else its nick's. */
    String personTopic() {
        Identity i = identity;
        return i.account().map(a -> Fanout.personTopic(a, true)).orElseGet(() -> Fanout.personTopic(i.nick(), false));
    }

    /** The name its direct conversations are kept under: the account, else the nick. */
    String conversationName() {
        Identity i = identity;
        return i.account().orElse(i.nick());
    }

    // --- requests: each delegates to the core ----------------------------------------------

    /** Changes nick; refused if invalid, in use or another account's. */
    public void changeNick(String newNick) {
        whilePresent(() -> core.changeNick(this, newNick));
    }

    /** Joins {@code room}, creating it if allowed; {@code key} for +k rooms. Returns the room. */
    public Room join(String room, Optional<String> key) {
        return whilePresent(() -> core.rooms.join(this, room, key));
    }

    /** Leaves {@code room}. */
    public void part(String room, Optional<String> reason) {
        whilePresent(() -> core.rooms.part(this, room, reason));
    }

    /** Sets ({@code text} non-empty) or clears the topic. */
    public void topic(String room, String text) {
        whilePresent(() -> core.rooms.topic(this, room, text));
    }

    /** Applies mode changes to {@code room}; returns those that changed something. */
    public List<ChatEvent.ModeChange> mode(String room, List<ChatEvent.ModeChange> changes) {
        return whilePresent(() -> core.rooms.mode(this, room, changes));
    }

    /** Removes {@code nick} from {@code room}. */
    public void kick(String room, String nick, String reason) {
        whilePresent(() -> core.rooms.kick(this, room, nick, reason));
    }

    /** Invites {@code nick} to {@code room}. */
    public void invite(String nick, String room) {
        whilePresent(() -> core.rooms.invite(this, nick, room));
    }

    /** Sends {@code text} to room {@code room}; returns the stored message as members got it. */
    public ChatEvent.Said sayToRoom(String room, MessageKind kind, String text) {
        return whilePresent(() -> core.messages.toRoom(this, room, kind, text));
    }

    /** Sends {@code text} to a nick or account; stored, and queued if the account is offline. */
    public ChatEvent.Said sayTo(String nick, MessageKind kind, String text) {
        return whilePresent(() -> core.messages.toPerson(this, nick, kind, text));
    }

    /** A page of a room's history, or of this client's direct conversation with {@code peer}. */
    public List<ChatMessage> history(Conversation conversation, HistoryQuery query) {
        return core.messages.history(this, conversation, query);
    }

    /** Conversations with activity in the window (CHATHISTORY TARGETS). */
    public List<ChatStore.Target> targets(Instant from, Instant to, int limit) {
        return core.messages.targets(this, from, to, limit);
    }

    /** Marks the client away ({@code message} present) or back. */
    public void setAway(Optional<String> message) {
        Objects.requireNonNull(message, "message");
        whilePresent(() -> core.setAway(this, message));
    }

    /** Becomes a server operator; refused unless logged in as an operator account. */
    public void becomeOperator() {
        whilePresent(() -> {
            Account account = identity.account().flatMap(core::account)
                    .orElseThrow(() -> new ChatException(ChatError.NOT_SERVER_OPERATOR, "no operator account"));
            if (!account.operator()) {
                throw new ChatException(ChatError.NOT_SERVER_OPERATOR, "account " + account.name() + " is not an operator");
            }
            operator = true;
        });
    }

    /**
     * Disconnects {@code nick} (server operators only); refused once this client has quit. Its
     * own lock is checked and let go before the kill takes the victim's (see {@link #whilePresent}).
     */
    public void kill(String nick, String reason) {
        whilePresent(() -> { });
        core.kill(this, nick, reason);
    }

    /**
     * Runs one of the client's own requests unless it has quit, under {@link #membership}: a KILL
     * from another thread waits for a request under way and refuses the ones after it (lines the
     * session had already read when it was killed). Never around {@link #kill}'s work, which
     * takes the victim's lock: two operators killing each other would deadlock. A kill only
     * checks it first, so a KILL already past that check when its sender is killed still runs.
     */
    private <T> T whilePresent(Supplier<T> request) {
        membership.lock();
        try {
            if (gone) {
                throw new ChatException(ChatError.INVALID_REQUEST, "nick " + nick() + " has quit");
            }
            return request.get();
        } finally {
            membership.unlock();
        }
    }

    private void whilePresent(Runnable request) {
        whilePresent(() -> {
            request.run();
            return null;
        });
    }

    /** Leaves every room and releases the nick; safe to call twice. */
    public void quit(String reason) {
        core.quit(this, reason);
    }

    @Override
    public String toString() {
        return "Client[" + id + " " + identity.nick() + "]";
    }
}
