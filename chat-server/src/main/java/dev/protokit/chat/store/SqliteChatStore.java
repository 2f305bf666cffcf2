package dev.protokit.chat.store;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ChatError;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.ChatStore;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.HistoryQuery;
import dev.protokit.chat.core.MessageKind;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.core.RoomSettings;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChatStore} on an SQLite file in the state directory (WAL journal, foreign keys on,
 * {@code synchronous=NORMAL}: a committed message survives a crash of the process; the last
 * transactions before a power loss may not). All statements run on one platform thread
 * ({@link StoreThread}). Appends are group-committed: messages that arrive while a transaction
 * runs share the next one, so many senders cost one commit, and each sender returns only
 * after its message is committed.
 */
public final class SqliteChatStore implements ChatStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteChatStore.class);

    /** Work an extension (the mail outbox) runs on the store thread with the connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private record PendingAppend(Conversation conversation, Instant time, String fromNick, Optional<String> fromAccount,
                                 MessageKind kind, String text, List<String> offline,
                                 CompletableFuture<ChatMessage> done) {}

    private final StoreThread thread = new StoreThread();
    private final Connection connection;
    private final Accounts accounts;
    private final History history;
    private final ConcurrentLinkedQueue<PendingAppend> appends = new ConcurrentLinkedQueue<>();

    private SqliteChatStore(Connection connection) {
        this.connection = connection;
        this.accounts = new Accounts(connection);
        this.history = new History(connection);
    }

    /**
     * Opens (creating if needed) the database {@code file} and applies the core's migrations, then
     * {@code extra} ones (other modules' tables).
     */
    public static SqliteChatStore open(Path file, List<Migration> extra) {
        var opener = new StoreThread();
        try {
            Connection c = opener.call("open " + file, () -> {
                Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                try (Statement s = conn.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA foreign_keys=ON");
                    s.execute("PRAGMA busy_timeout=5000");
                }
                List<Migration> all = new ArrayList<>(CoreSchema.MIGRATIONS);
                all.addAll(extra);
                Migrations.apply(conn, all);
                return conn;
            });
            return new SqliteChatStore(c);
        } finally {
            opener.close();
        }
    }

    /** Runs {@code work} with the connection on the store thread, in a transaction, and waits for it. */
    public <T> T withConnection(String what, SqlWork<T> work) {
        return thread.call(what, () -> inTransaction(() -> work.run(connection)));
    }

    private <T> T inTransaction(StoreThread.Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void addAccount(Account account, SharedKey nativeKey, Optional<ScramVerifier> scram) {
        if (!nativeKey.id().equals(new KeyId(account.name()))) {
            throw new IllegalArgumentException("native key id must be the account name");
        }
        thread.call("add account", () -> inTransaction(() -> {
            if (accounts.find(account.key()).isPresent()) {
                throw new ChatException(ChatError.INVALID_REQUEST, "account " + account.name() + " exists");
            }
            byte[] secret = nativeKey.copySecret();
            try {
                accounts.insert(account, secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            if (scram.isPresent()) {
                accounts.setScram(account.key(), scram.get());
            }
            return null;
        }));
    }

    @Override
    public boolean removeAccount(String name) {
        String key = Names.fold(name);
        return thread.call("remove account", () -> inTransaction(() -> {
            history.dropOffline(key);
            return accounts.delete(key);
        }));
    }

    @Override
    public Optional<Account> account(String name) {
        return thread.call("account", () -> accounts.find(Names.fold(name)));
    }

    @Override
    public List<Account> accounts() {
        return thread.call("accounts", accounts::all);
    }

    @Override
    public void setScram(String name, ScramVerifier verifier) {
        requireUpdated(thread.call("set password", () -> accounts.setScram(Names.fold(name), verifier)), name);
    }

    @Override
    public Optional<ScramVerifier> scram(String name) {
        return thread.call("scram", () -> accounts.scram(Names.fold(name)));
    }

    @Override
    public void setNativeKey(String name, SharedKey key) {
        byte[] secret = key.copySecret();
        try {
            requireUpdated(thread.call("set key", () -> accounts.setNativeKey(Names.fold(name), secret)), name);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    @Override
    public Optional<SharedKey> nativeKey(String name) {
        return thread.call("native key", () -> accounts.nativeKey(Names.fold(name)));
    }

    @Override
    public void setEmail(String name, Optional<String> email) {
        requireUpdated(thread.call("set email", () -> accounts.setEmail(Names.fold(name), email)), name);
    }

    @Override
    public void setLastSeen(String name, Instant when) {
        // Queued, not awaited: a session ending during shutdown (its thread interrupted) still
        // gets its time saved, since the store thread runs what is queued before it stops.
        String key = Names.fold(name);
        thread.execute(() -> {
            try {
                accounts.setLastSeen(key, when);
            } catch (SQLException e) {
                LOG.warn("last-seen of {} not saved: {}", Names.printable(name), e.getMessage());
            }
        });
    }

    private static void requireUpdated(boolean updated, String name) {
        if (!updated) {
            throw new ChatException(ChatError.NO_SUCH_NICK, "no account " + Names.printable(name));
        }
    }

    @Override
    public void saveRoom(RoomSettings room) {
        thread.call("save room", () -> {
            RoomRows.save(connection, room);
            return null;
        });
    }

    @Override
    public List<RoomSettings> rooms() {
        return thread.call("rooms", () -> RoomRows.all(connection));
    }

    @Override
    public ChatMessage append(Conversation conversation, Instant time, String fromNick, Optional<String> fromAccount,
                              MessageKind kind, String text, List<String> offlineRecipients) {
        var pending = new PendingAppend(conversation, time, fromNick, fromAccount, kind, text,
                List.copyOf(offlineRecipients), new CompletableFuture<>());
        appends.add(pending);
        thread.execute(this::flushAppends);
        return StoreThread.await("append", pending.done());
    }

    /** On the store thread: commits every queued append in one transaction. */
    private void flushAppends() {
        List<PendingAppend> batch = new ArrayList<>();
        for (PendingAppend p; (p = appends.poll()) != null; ) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<ChatMessage> stored = new ArrayList<>(batch.size());
        try {
            inTransaction(() -> {
                for (PendingAppend p : batch) {
                    stored.add(history.insert(p.conversation(), p.time(), p.fromNick(), p.fromAccount(), p.kind(),
                            p.text(), p.offline()));
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(stored.get(i));
        }
    }

    @Override
    public List<ChatMessage> history(Conversation conversation, HistoryQuery query) {
        return thread.call("history", () -> history.page(conversation, query));
    }

    @Override
    public List<Target> targets(String name, List<String> roomKeys, Instant from, Instant to, int limit) {
        return thread.call("targets", () -> history.targets(Names.fold(name), roomKeys, from, to, limit));
    }

    @Override
    public List<ChatMessage> pendingOffline(String account) {
        return thread.call("offline", () -> history.offline(Names.fold(account)));
    }

    @Override
    public void markDelivered(String account, long lastId) {
        thread.call("offline delivered", () -> history.delivered(Names.fold(account), lastId));
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return thread.call("purge", () -> history.purge(cutoff));
    }

    @Override
    public void close() {
        try {
            thread.call("close", () -> {
                connection.close();
                return null;
            });
        } finally {
            thread.close();
        }
    }
}
