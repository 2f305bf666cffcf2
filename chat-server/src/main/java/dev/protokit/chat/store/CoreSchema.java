package dev.protokit.chat.store;

import java.util.List;

/** The core's tables: accounts, rooms, messages and the offline queue. */
final class CoreSchema {
    private CoreSchema() {}

    static final List<Migration> MIGRATIONS = List.of(
            Migration.of("core", 1,
                    """
                    CREATE TABLE accounts(
                      key TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, operator INTEGER NOT NULL,
                      created INTEGER NOT NULL, last_seen INTEGER, native_key BLOB NOT NULL,
                      scram_salt BLOB, scram_iterations INTEGER, scram_stored BLOB, scram_server BLOB)""",
                    """
                    CREATE TABLE rooms(
                      key TEXT PRIMARY KEY, name TEXT NOT NULL, topic TEXT, topic_by TEXT, topic_at INTEGER,
                      flags TEXT NOT NULL, room_key TEXT, member_limit INTEGER, bans TEXT NOT NULL,
                      operators TEXT NOT NULL, created INTEGER NOT NULL)""",
                    """
                    CREATE TABLE messages(
                      id INTEGER PRIMARY KEY AUTOINCREMENT, conv TEXT NOT NULL, time INTEGER NOT NULL,
                      from_nick TEXT NOT NULL, from_account TEXT, kind TEXT NOT NULL, text TEXT NOT NULL)""",
                    "CREATE INDEX messages_conv_id ON messages(conv, id)",
                    "CREATE INDEX messages_conv_time ON messages(conv, time)",
                    "CREATE INDEX messages_time ON messages(time)",
                    """
                    CREATE TABLE offline(
                      account TEXT NOT NULL, message_id INTEGER NOT NULL,
                      PRIMARY KEY(account, message_id))"""));
}
