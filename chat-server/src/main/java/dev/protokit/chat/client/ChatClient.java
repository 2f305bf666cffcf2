package dev.protokit.chat.client;

import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.retry.Backoff;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A native chat client that stays connected: {@link #run} connects, rejoins the rooms it was in,
 * fetches what it missed in each ({@code history after} the last id it saw, page by page) and
 * then hands every message to the listener until the connection drops, then reconnects with
 * {@link Backoff}. Messages are shown once: ids already shown are remembered (the newest 10,000),
 * so a history page and a live message that overlap do not print twice, and nothing between the
 * last id seen and the reconnect is skipped. A refused key ends the loop: retrying cannot help.
 *
 * <p>{@link #send} may be called from any thread while {@link #run} runs on its own.
 */
public final class ChatClient {
    private static final int REMEMBERED_IDS = 10_000;
    private static final int RESUME_PAGE = 100;

    /** What the client reports: messages to show, and its connection state. */
    public interface Listener {
        /** A message from the server, shown once. */
        void message(ServerMessage message);

        /** An attachment asked for with {@code get}: {@code body} streams its bytes, valid during the call. */
        default void file(ServerMessage.File file, java.io.InputStream body) throws IOException {}

        /** Connected (again), with the server's welcome. */
        default void connected(ServerMessage.Welcome welcome, boolean reconnect) {}

        /** Lost the connection; the next attempt comes after {@code delay}. */
        default void disconnected(String reason, Duration delay) {}
    }

    private final Dialer dialer;
    private final SharedKey key;
    private final Listener listener;
    private final Backoff backoff;
    private final Duration timeout;
    private final Map<String, Long> lastIdByRoom = new LinkedHashMap<>();
    private final LinkedHashSet<Long> shown = new LinkedHashSet<>();
    private final AtomicLong refs = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ChatConnection connection;
    private volatile boolean stopped;

    public ChatClient(InetSocketAddress server, SharedKey key, Listener listener, Backoff backoff, Duration timeout) {
        this(Dialer.plain(server), key, listener, backoff, timeout);
    }

    /** A client that reaches the server through {@code dialer} (plain TCP or TLS). */
    public ChatClient(Dialer dialer, SharedKey key, Listener listener, Backoff backoff, Duration timeout) {
        this.dialer = dialer;
        this.key = key;
        this.listener = listener;
        this.backoff = backoff;
        this.timeout = timeout;
    }

    /** Connects once, without retrying: for one-shot commands. */
    public ChatConnection connectOnce() throws IOException {
        connection = ChatConnection.open(dialer, key, timeout);
        return connection;
    }

    /** Rooms to join at every (re)connect. */
    public void remember(String room) {
        lock.lock();
        try {
            lastIdByRoom.putIfAbsent(room, 0L);
        } finally {
            lock.unlock();
        }
    }

    /** Stops rejoining {@code room}. */
    public void forget(String room) {
        lock.lock();
        try {
            lastIdByRoom.remove(room);
        } finally {
            lock.unlock();
        }
    }

    /** Connects and serves until {@link #stop()}; reconnects with backoff when the connection drops. */
    public void run() throws InterruptedException {
        int attempt = 0;
        boolean reconnect = false;
        SplittableRandom random = new SplittableRandom();
        while (!stopped) {
            String reason;
            try (ChatConnection c = ChatConnection.open(dialer, key, timeout)) {
                connection = c;
                attempt = 0;
                listener.connected(c.welcome(), reconnect);
                resume(c);
                for (var r = c.receive(); r.isPresent() && !stopped; r = c.receive()) {
                    if (r.get().message() instanceof ServerMessage.File file) {
                        listener.file(file, r.get().body());
                    } else {
                        handle(r.get().message());
                    }
                }
                reason = "the server closed the connection";
            } catch (AuthException e) {
                throw new IllegalStateException("the server refused key " + key.id() + " (or could not prove it holds it)", e);
            } catch (IOException | RuntimeException e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            connection = null;
            if (stopped) {
                return;
            }
            Duration delay = backoff.delay(attempt++, random);
            listener.disconnected(reason, delay);
            reconnect = true;
            Thread.sleep(delay);
        }
    }

    /** Sends {@code message} on the current connection. */
    public void send(ClientMessage message) throws IOException {
        ChatConnection c = connection;
        if (c == null) {
            throw new IOException("not connected (reconnecting)");
        }
        if (message instanceof ClientMessage.Join join) {
            remember(join.room());
        }
        c.send(message);
    }

    /** Sends an attachment and its bytes on the current connection. */
    public void sendFile(ClientMessage.Attach attach, java.io.InputStream file) throws IOException {
        ChatConnection c = connection;
        if (c == null) {
            throw new IOException("not connected (reconnecting)");
        }
        c.sendFile(attach, file);
    }

    /** A fresh {@code ref} for a request. */
    public String nextRef() {
        return "c" + refs.incrementAndGet();
    }

    /** Stops {@link #run} and closes the connection. */
    public void stop() {
        stopped = true;
        ChatConnection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        }
    }

    private void resume(ChatConnection c) throws IOException {
        Map<String, Long> rooms;
        lock.lock();
        try {
            rooms = new LinkedHashMap<>(lastIdByRoom);
        } finally {
            lock.unlock();
        }
        for (var room : rooms.entrySet()) {
            c.send(new ClientMessage.Join(room.getKey(), Optional.empty()));
            c.send(room.getValue() == 0
                    ? new ClientMessage.History(new Conversation.Room(room.getKey()), OptionalLong.empty(), OptionalLong.empty(), 20)
                    : new ClientMessage.History(new Conversation.Room(room.getKey()), OptionalLong.empty(),
                            OptionalLong.of(room.getValue()), RESUME_PAGE));
        }
    }

    private void handle(ServerMessage message) throws IOException {
        switch (message) {
            case ServerMessage.HistoryPage page -> {
                page.messages().forEach(this::showOnce);
                if (page.more() && !page.messages().isEmpty() && page.conversation() instanceof Conversation.Room room
                        && rooms().containsKey(room.name())) {
                    // Catching up after a reconnect: keep paging forward until the gap is closed.
                    send(new ClientMessage.History(room, OptionalLong.empty(),
                            OptionalLong.of(page.messages().getLast().id()), RESUME_PAGE));
                }
            }
            case ServerMessage.Stored stored -> showOnce(stored);
            default -> listener.message(message);
        }
    }

    private void showOnce(ServerMessage.Stored stored) {
        lock.lock();
        try {
            if (!shown.add(stored.id())) {
                return;
            }
            if (shown.size() > REMEMBERED_IDS) {
                shown.remove(shown.iterator().next());
            }
            if (stored instanceof ServerMessage.Posted posted) {
                lastIdByRoom.computeIfPresent(posted.room(), (r, last) -> Math.max(last, posted.id()));
            }
        } finally {
            lock.unlock();
        }
        listener.message(stored); // outside the lock: printing may block on the terminal
    }

    /** The rooms rejoined at a reconnect, with the last id seen in each. */
    Map<String, Long> rooms() {
        lock.lock();
        try {
            return Map.copyOf(lastIdByRoom);
        } finally {
            lock.unlock();
        }
    }

}
