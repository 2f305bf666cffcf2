package dev.protokit.chat.store;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code accounts} table; runs on the store thread only. */
final class Accounts {
    private static final String COLUMNS = "name, email, operator, created, last_seen";
    private final Connection c;

    Accounts(Connection c) {
        this.c = c;
    }

    void insert(Account a, byte[] nativeSecret) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO accounts(key, name, email, operator, created, last_seen, native_key) VALUES(?,?,?,?,?,?,?)")) {
            p.setString(1, a.key());
            p.setString(2, a.name());
            p.setString(3, a.email().orElse(null));
            p.setInt(4, a.operator() ? 1 : 0);
            p.setLong(5, a.created().toEpochMilli());
            if (a.lastSeen().isPresent()) {
                p.setLong(6, a.lastSeen().get().toEpochMilli());
            } else {
                p.setNull(6, Types.INTEGER);
            }
            p.setBytes(7, nativeSecret);
            p.executeUpdate();
        }
    }

    boolean delete(String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM accounts WHERE key = ?")) {
            p.setString(1, key);
            return p.executeUpdate() > 0;
        }
    }

    Optional<Account> find(String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM accounts WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    List<Account> all() throws SQLException {
        List<Account> list = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM accounts ORDER BY key");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                list.add(row(rs));
            }
        }
        return list;
    }

    private static Account row(ResultSet rs) throws SQLException {
        long seen = rs.getLong(5);
        Optional<Instant> lastSeen = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(seen));
        return new Account(rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getInt(3) != 0,
                Instant.ofEpochMilli(rs.getLong(4)), lastSeen);
    }

    boolean setScram(String key, ScramVerifier v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE accounts SET scram_salt = ?, scram_iterations = ?, scram_stored = ?, scram_server = ? WHERE key = ?")) {
            p.setBytes(1, v.salt());
            p.setInt(2, v.iterations());
            p.setBytes(3, v.storedKey());
            p.setBytes(4, v.serverKey());
            p.setString(5, key);
            return p.executeUpdate() > 0;
        }
    }

    Optional<ScramVerifier> scram(String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT scram_salt, scram_iterations, scram_stored, scram_server FROM accounts WHERE key = ? AND scram_salt IS NOT NULL")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new ScramVerifier(rs.getBytes(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)))
                        : Optional.empty();
            }
        }
    }

    boolean setNativeKey(String key, byte[] secret) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE accounts SET native_key = ? WHERE key = ?")) {
            p.setBytes(1, secret);
            p.setString(2, key);
            return p.executeUpdate() > 0;
        }
    }

    Optional<SharedKey> nativeKey(String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT name, native_key FROM accounts WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] secret = rs.getBytes(2);
                try {
                    return Optional.of(new SharedKey(new KeyId(rs.getString(1)), secret));
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
            }
        }
    }

    boolean setEmail(String key, Optional<String> email) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE accounts SET email = ? WHERE key = ?")) {
            p.setString(1, email.orElse(null));
            p.setString(2, key);
            return p.executeUpdate() > 0;
        }
    }

    boolean setLastSeen(String key, Instant when) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE accounts SET last_seen = ? WHERE key = ?")) {
            p.setLong(1, when.toEpochMilli());
            p.setString(2, key);
            return p.executeUpdate() > 0;
        }
    }
}
