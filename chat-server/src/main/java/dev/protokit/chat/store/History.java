package dev.protokit.chat.store;

import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.ChatStore;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.HistoryQuery;
import dev.protokit.chat.core.HistoryQuery.Anchor;
import dev.protokit.chat.core.HistoryQuery.ById;
import dev.protokit.chat.core.HistoryQuery.ByTime;
import dev.protokit.chat.core.MessageKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The {@code messages} and {@code offline} tables: appends, pages by id or time, targets, the
 * offline queue and retention. Runs on the store thread only. Every page is built from at most
 * two indexed range scans ({@code (conv, id)} or {@code (conv, time)}), newest-first when the
 * page hangs below its anchor, then returned oldest first.
 */
final class History {
    private static final String COLUMNS = "id, time, conv, from_nick, from_account, kind, text";
    private final Connection c;

    History(Connection c) {
        this.c = c;
    }

    ChatMessage insert(Conversation conv, Instant time, String fromNick, Optional<String> fromAccount,
                       MessageKind kind, String text, List<String> offline) throws SQLException {
        long id;
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO messages(conv, time, from_nick, from_account, kind, text) VALUES(?,?,?,?,?,?) RETURNING id")) {
            p.setString(1, conv.key());
            p.setLong(2, time.toEpochMilli());
            p.setString(3, fromNick);
            p.setString(4, fromAccount.orElse(null));
            p.setString(5, kind.name());
            p.setString(6, text);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        for (String account : offline) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO offline(account, message_id) VALUES(?, ?)")) {
                p.setString(1, dev.protokit.chat.core.Names.fold(account));
                p.setLong(2, id);
                p.executeUpdate();
            }
        }
        return new ChatMessage(id, Instant.ofEpochMilli(time.toEpochMilli()), conv, fromNick, fromAccount, kind, text);
    }

    List<ChatMessage> page(Conversation conv, HistoryQuery q) throws SQLException {
        return switch (q) {
            case HistoryQuery.Latest l -> descending(conv, Optional.empty(), l.limit());
            case HistoryQuery.Before b -> descending(conv, Optional.of(b.anchor()), b.limit());
            case HistoryQuery.After a -> ascending(conv, a.anchor(), Optional.empty(), a.limit());
            case HistoryQuery.Around a -> around(conv, a.anchor(), a.limit());
            case HistoryQuery.Between b -> between(conv, b.from(), b.to(), b.limit());
        };
    }

    private List<ChatMessage> around(Conversation conv, Anchor anchor, int limit) throws SQLException {
        List<ChatMessage> before = descending(conv, Optional.of(anchor), Math.max(1, limit / 2));
        List<ChatMessage> page = new ArrayList<>(before);
        if (anchor instanceof ById(long id)) {
            page.addAll(select("SELECT " + COLUMNS + " FROM messages WHERE conv = ? AND id = ?", conv.key(), id));
        }
        if (page.size() < limit) {
            page.addAll(ascending(conv, anchor, Optional.empty(), limit - page.size()));
        }
        return page.size() > limit ? page.subList(page.size() - limit, page.size()) : page;
    }

    private List<ChatMessage> between(Conversation conv, Anchor from, Anchor to, int limit) throws SQLException {
        // Mixed anchors compare in time: an id anchor stands for its message's time.
        if (from.getClass() != to.getClass()) {
            from = asTime(conv, from);
            to = asTime(conv, to);
        }
        boolean forward = switch (from) {
            case ById(long a) -> a < ((ById) to).id();
            case ByTime(Instant a) -> a.isBefore(((ByTime) to).time());
        };
        if (forward) {
            return ascending(conv, from, Optional.of(to), limit);
        }
        List<ChatMessage> page = new ArrayList<>();
        for (ChatMessage m : descending(conv, Optional.of(from), limit)) {
            if (after(m, to)) {
                page.add(m);
            }
        }
        return page;
    }

    private Anchor asTime(Conversation conv, Anchor a) throws SQLException {
        if (a instanceof ById(long id)) {
            List<ChatMessage> m = select("SELECT " + COLUMNS + " FROM messages WHERE id = ?", id);
            return new ByTime(m.isEmpty() ? Instant.EPOCH : m.getFirst().time());
        }
        return a;
    }

    private static boolean after(ChatMessage m, Anchor a) {
        return switch (a) {
            case ById(long id) -> m.id() > id;
            case ByTime(Instant t) -> m.time().isAfter(t);
        };
    }

    /** The newest {@code limit} messages below {@code upper} (or the newest overall), oldest first. */
    private List<ChatMessage> descending(Conversation conv, Optional<Anchor> upper, int limit) throws SQLException {
        List<ChatMessage> rows = upper.isEmpty()
                ? select("SELECT " + COLUMNS + " FROM messages WHERE conv = ? ORDER BY id DESC LIMIT ?", conv.key(), limit)
                : switch (upper.get()) {
                    case ById(long id) -> select("SELECT " + COLUMNS
                            + " FROM messages WHERE conv = ? AND id < ? ORDER BY id DESC LIMIT ?", conv.key(), id, limit);
                    case ByTime(Instant t) -> select("SELECT " + COLUMNS
                            + " FROM messages WHERE conv = ? AND time < ? ORDER BY time DESC, id DESC LIMIT ?",
                            conv.key(), t.toEpochMilli(), limit);
                };
        Collections.reverse(rows);
        return rows;
    }

    /** The oldest {@code limit} messages above {@code lower} and below {@code upper}. */
    private List<ChatMessage> ascending(Conversation conv, Anchor lower, Optional<Anchor> upper, int limit)
            throws SQLException {
        return switch (lower) {
            case ById(long id) -> select("SELECT " + COLUMNS + " FROM messages WHERE conv = ? AND id > ? AND id < ? "
                    + "ORDER BY id LIMIT ?", conv.key(), id, upper.map(u -> ((ById) u).id()).orElse(Long.MAX_VALUE), limit);
            case ByTime(Instant t) -> select("SELECT " + COLUMNS + " FROM messages WHERE conv = ? AND time > ? AND time < ? "
                    + "ORDER BY time, id LIMIT ?", conv.key(), t.toEpochMilli(),
                    upper.map(u -> ((ByTime) u).time().toEpochMilli()).orElse(Long.MAX_VALUE), limit);
        };
    }

    List<ChatStore.Target> targets(String me, List<String> roomKeys, Instant from, Instant to, int limit)
            throws SQLException {
        var sql = new StringBuilder("SELECT conv, MAX(time) AS latest FROM messages WHERE time > ? AND time < ? AND (");
        List<Object> args = new ArrayList<>(List.of(Math.min(from.toEpochMilli(), to.toEpochMilli()),
                Math.max(from.toEpochMilli(), to.toEpochMilli())));
        if (me.isEmpty()) {
            sql.append("0");
        } else {
            // Direct keys are "@a@b" with a < b: this account is either side.
            sql.append("(substr(conv, 1, ?) = ? OR (substr(conv, 1, 1) = '@' AND substr(conv, -?) = ?))");
            args.addAll(List.of(me.length() + 2, "@" + me + "@", me.length() + 1, "@" + me));
        }
        for (String room : roomKeys) {
            sql.append(" OR conv = ?");
            args.add(room);
        }
        sql.append(") GROUP BY conv ORDER BY latest LIMIT ?");
        args.add(limit);
        List<ChatStore.Target> list = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            bind(p, args.toArray());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    list.add(new ChatStore.Target(Conversation.ofKey(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2))));
                }
            }
        }
        return list;
    }

    List<ChatMessage> offline(String account) throws SQLException {
        return select("SELECT " + COLUMNS.replace("id,", "m.id,") + " FROM messages m JOIN offline o ON o.message_id = m.id "
                + "WHERE o.account = ? ORDER BY m.id", account);
    }

    boolean delivered(String account, long lastId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM offline WHERE account = ? AND message_id <= ?")) {
            bind(p, account, lastId);
            return p.executeUpdate() > 0;
        }
    }

    void dropOffline(String account) throws SQLException {
        delivered(account, Long.MAX_VALUE);
    }

    int purge(Instant cutoff) throws SQLException {
        // Messages still waiting in someone's offline queue are kept until delivered.
        try (PreparedStatement p = c.prepareStatement(
                "DELETE FROM messages WHERE time < ? AND id NOT IN (SELECT message_id FROM offline)")) {
            p.setLong(1, cutoff.toEpochMilli());
            return p.executeUpdate();
        }
    }

    private List<ChatMessage> select(String sql, Object... args) throws SQLException {
        List<ChatMessage> list = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String account = rs.getString(5);
                    list.add(new ChatMessage(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                            Conversation.ofKey(rs.getString(3)), rs.getString(4), Optional.ofNullable(account),
                            MessageKind.valueOf(rs.getString(6)), rs.getString(7)));
                }
            }
        }
        return list;
    }

    private static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case String s -> p.setString(i + 1, s);
                case Long l -> p.setLong(i + 1, l);
                case Integer n -> p.setInt(i + 1, n);
                default -> throw new SQLException("cannot bind " + args[i].getClass());
            }
        }
    }
}
