package dev.protokit.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database up to the newest schema: for each module, runs the steps above the version
 * recorded in {@code schema_migrations}, each in its own transaction, in version order. A
 * module newer in the database than in this program (a version it does not know) is refused,
 * never downgraded.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    static void apply(Connection c, List<Migration> migrations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations(module TEXT NOT NULL, version INTEGER NOT NULL, "
                    + "applied INTEGER NOT NULL, PRIMARY KEY(module, version))");
        }
        Map<String, Integer> current = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT module, MAX(version) FROM schema_migrations GROUP BY module")) {
            while (rs.next()) {
                current.put(rs.getString(1), rs.getInt(2));
            }
        }
        Map<String, Integer> known = new HashMap<>();
        for (Migration m : migrations) {
            known.merge(m.module(), m.version(), Math::max);
        }
        for (var e : current.entrySet()) {
            // Only modules this program brings are checked: a tool that opens the store without
            // another module's steps (the account command and the mail outbox) leaves them alone.
            if (known.containsKey(e.getKey()) && known.get(e.getKey()) < e.getValue()) {
                throw new SQLException("database schema " + e.getKey() + " version " + e.getValue()
                        + " is newer than this program knows (" + known.getOrDefault(e.getKey(), 0) + ")");
            }
        }
        // Modules in the order given (core first), each module's steps by version.
        Map<String, Integer> firstSeen = new HashMap<>();
        for (Migration m : migrations) {
            firstSeen.putIfAbsent(m.module(), firstSeen.size());
        }
        List<Migration> ordered = migrations.stream()
                .sorted(java.util.Comparator.<Migration>comparingInt(m -> firstSeen.get(m.module()))
                        .thenComparingInt(Migration::version))
                .toList();
        for (Migration m : ordered) {
            if (m.version() <= current.getOrDefault(m.module(), 0)) {
                continue;
            }
            if (m.version() != current.getOrDefault(m.module(), 0) + 1) {
                throw new SQLException("migration " + m.module() + " " + m.version() + " skips a version");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_migrations VALUES(?, ?, ?)")) {
                    p.setString(1, m.module());
                    p.setInt(2, m.version());
                    p.setLong(3, System.currentTimeMillis());
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            current.put(m.module(), m.version());
            LOG.info("store schema {} migrated to version {}", m.module(), m.version());
        }
    }
}
