package dev.protokit.chat.store;

import dev.protokit.chat.core.RoomMode;
import dev.protokit.chat.core.RoomSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code rooms} table: flags as their mode letters ({@code "nt"}), bans and operators as
 * space-separated lists (neither may hold whitespace). Runs on the store thread only.
 */
final class RoomRows {
    private RoomRows() {}

    static void save(Connection c, RoomSettings r) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO rooms(key, name, topic, topic_by, topic_at, "
                + "flags, room_key, member_limit, bans, operators, created) VALUES(?,?,?,?,?,?,?,?,?,?,?)")) {
            p.setString(1, r.id());
            p.setString(2, r.name());
            p.setString(3, r.topic().map(RoomSettings.Topic::text).orElse(null));
            p.setString(4, r.topic().map(RoomSettings.Topic::setBy).orElse(null));
            if (r.topic().isPresent()) {
                p.setLong(5, r.topic().get().setAt().toEpochMilli());
            } else {
                p.setNull(5, Types.INTEGER);
            }
            var flags = new StringBuilder();
            r.flags().stream().sorted().forEach(m -> flags.append(m.letter()));
            p.setString(6, flags.toString());
            p.setString(7, r.key().orElse(null));
            if (r.limit().isPresent()) {
                p.setInt(8, r.limit().getAsInt());
            } else {
                p.setNull(8, Types.INTEGER);
            }
            p.setString(9, String.join(" ", r.bans()));
            p.setString(10, String.join(" ", r.operators().stream().sorted().toList()));
            p.setLong(11, r.created().toEpochMilli());
            p.executeUpdate();
        }
    }

    static List<RoomSettings> all(Connection c) throws SQLException {
        List<RoomSettings> list = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name, topic, topic_by, topic_at, flags, room_key, "
                + "member_limit, bans, operators, created FROM rooms ORDER BY key");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String topic = rs.getString(2);
                Optional<RoomSettings.Topic> t = topic == null ? Optional.empty()
                        : Optional.of(new RoomSettings.Topic(topic, rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
                EnumSet<RoomMode> flags = EnumSet.noneOf(RoomMode.class);
                for (char ch : rs.getString(5).toCharArray()) {
                    flags.add(RoomMode.ofLetter(ch).orElseThrow(() -> new SQLException("unknown room flag " + ch)));
                }
                int limit = rs.getInt(7);
                OptionalInt l = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(limit);
                list.add(new RoomSettings(rs.getString(1), t, flags, Optional.ofNullable(rs.getString(6)), l,
                        split(rs.getString(8)), new HashSet<>(split(rs.getString(9))), Instant.ofEpochMilli(rs.getLong(10))));
            }
        }
        return list;
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }
}
