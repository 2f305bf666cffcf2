package dev.protokit.chat.mail;

import dev.protokit.chat.store.Migration;
import dev.protokit.chat.store.SqliteChatStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox: notification items waiting to be mailed, in the chat database, so a restart or a
 * mail server that is down for a day loses nothing. An item leaves only when a digest holding
 * it has been accepted by the SMTP server ({@link #sent}). An account's items are due once the
 * oldest of them has waited an interval: everything that arrives meanwhile joins the same digest,
 * and two digests to one account are always at least an interval apart.
 *
 * <pre>
 * mail_outbox(id PK, account (folded), sender, room (NULL: direct message), time ms, text, queued ms)
 * </pre>
 */
public final class MailOutbox {
    /** The mail module's schema steps, applied with the core's when the store opens. */
    public static final List<Migration> MIGRATIONS = List.of(Migration.of("mail", 1,
            "CREATE TABLE mail_outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, "
                    + "sender TEXT NOT NULL, room TEXT, time INTEGER NOT NULL, text TEXT NOT NULL, queued INTEGER NOT NULL)",
            "CREATE INDEX mail_outbox_by_account ON mail_outbox(account, id)"));

    /** The items due for one account, oldest first. */
    public record Due(String account, List<DigestItem> items) {
        public Due {
            Objects.requireNonNull(account, "account");
            items = List.copyOf(items);
        }
    }

    private final SqliteChatStore store;

    public MailOutbox(SqliteChatStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Queues an item for {@code account} (its folded name). */
    public void add(String account, String sender, Optional<String> room, Instant time, String text, Instant now) {
        store.withConnection("queue mail for " + account, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO mail_outbox(account, sender, room, time, text, queued) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, account);
                s.setString(2, sender);
                s.setString(3, room.orElse(null));
                s.setLong(4, time.toEpochMilli());
                s.setString(5, text);
                s.setLong(6, now.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }

    /**
     * The accounts whose oldest queued item waited at least {@code interval}, each with its items
     * (at most {@code maxItems}, oldest first; the rest wait for the next digest).
     */
    public List<Due> due(Instant now, Duration interval, int maxItems) {
        return store.withConnection("read the mail outbox", c -> {
            Map<String, List<DigestItem>> byAccount = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, account, sender, room, time, text FROM mail_outbox "
                    + "WHERE account IN (SELECT account FROM mail_outbox GROUP BY account HAVING MIN(queued) <= ?) "
                    + "ORDER BY account, id")) {
                s.setLong(1, now.minus(interval).toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        List<DigestItem> items = byAccount.computeIfAbsent(rs.getString(2), k -> new ArrayList<>());
                        if (items.size() < maxItems) {
                            items.add(new DigestItem(rs.getLong(1), rs.getString(3), Optional.ofNullable(rs.getString(4)),
                                    Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
                        }
                    }
                }
            }
            return byAccount.entrySet().stream().map(e -> new Due(e.getKey(), e.getValue())).toList();
        });
    }

    /** Removes the items of a digest the server accepted. */
    public void sent(Due due) {
        store.withConnection("mark mail sent for " + due.account(), c -> delete(c, due));
    }

    /** Drops the items of an account that no longer has an address (or no longer exists). */
    public void discard(Due due) {
        store.withConnection("discard mail for " + due.account(), c -> delete(c, due));
    }

    /** Items waiting, for tests and the log. */
    public int pending() {
        return store.withConnection("count the mail outbox", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM mail_outbox");
                 ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    private static int delete(Connection c, Due due) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM mail_outbox WHERE id = ?")) {
            for (DigestItem item : due.items()) {
                s.setLong(1, item.id());
                s.addBatch();
            }
            return s.executeBatch().length;
        }
    }
}
