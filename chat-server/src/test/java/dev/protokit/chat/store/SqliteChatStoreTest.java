package dev.protokit.chat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ChatError;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.HistoryQuery;
import dev.protokit.chat.core.HistoryQuery.ById;
import dev.protokit.chat.core.HistoryQuery.ByTime;
import dev.protokit.chat.core.MessageKind;
import dev.protokit.chat.core.RoomMode;
import dev.protokit.chat.core.RoomSettings;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteChatStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Conversation GENERAL = new Conversation.Room("general");

    @TempDir
    Path dir;

    private SqliteChatStore open() {
        return SqliteChatStore.open(dir.resolve("chat.db"), List.of());
    }

    private static SharedKey key(String name) {
        return new SharedKey(new KeyId(name), new byte[32]);
    }

    private static List<Long> ids(List<ChatMessage> page) {
        return page.stream().map(ChatMessage::id).toList();
    }

    @Test
    void restartKeepsAccountsRoomsHistoryAndOfflineQueue() {
        ScramVerifier scram = ScramVerifier.derive("pencil".toCharArray(), new byte[16], 4096);
        long dm;
        try (SqliteChatStore store = open()) {
            store.addAccount(Account.create("Alice", Optional.of("alice@example.org"), true, T0), key("Alice"), Optional.of(scram));
            RoomSettings room = RoomSettings.create("General", T0)
                    .withTopic(Optional.of(new RoomSettings.Topic("hello", "Alice", T0)))
                    .withFlag(RoomMode.INVITE_ONLY, true).withKey(Optional.of("s3cret")).withLimit(OptionalInt.of(5))
                    .withBans(List.of("*!*@bad.host")).withOperators(Set.of("alice"));
            store.saveRoom(room);
            store.append(GENERAL, T0, "bob", Optional.empty(), MessageKind.MESSAGE, "first", List.of());
            dm = store.append(new Conversation.Direct("bob", "Alice"), T0, "bob", Optional.empty(), MessageKind.MESSAGE,
                    "while you were out", List.of("alice")).id();
            store.setLastSeen("alice", T0.plusSeconds(5));
        }
        try (SqliteChatStore store = open()) {
            Account a = store.account("ALICE").orElseThrow();
            assertEquals("Alice", a.name());
            assertEquals(Optional.of("alice@example.org"), a.email());
            assertTrue(a.operator());
            assertEquals(Optional.of(T0.plusSeconds(5)), a.lastSeen());
            assertEquals(Optional.of(scram), store.scram("alice"));
            assertArrayEquals(new byte[32], store.nativeKey("alice").orElseThrow().copySecret());
            assertEquals(new KeyId("Alice"), store.nativeKey("alice").orElseThrow().id());
            RoomSettings r = store.rooms().getFirst();
            assertEquals("General", r.name());
            assertEquals("hello", r.topic().orElseThrow().text());
            assertEquals(Set.of(RoomMode.NO_EXTERNAL, RoomMode.TOPIC_LOCK, RoomMode.INVITE_ONLY), r.flags());
            assertEquals(Optional.of("s3cret"), r.key());
            assertEquals(OptionalInt.of(5), r.limit());
            assertEquals(List.of("*!*@bad.host"), r.bans());
            assertEquals(Set.of("alice"), r.operators());
            assertEquals(List.of("first"), store.history(GENERAL, new HistoryQuery.Latest(10)).stream().map(ChatMessage::text).toList());
            List<ChatMessage> offline = store.pendingOffline("alice");
            assertEquals(List.of(dm), ids(offline));
            store.markDelivered("alice", dm);
            assertTrue(store.pendingOffline("alice").isEmpty());
        }
    }

    @Test
    void pagesByIdAndByTimeOldestFirst() {
        try (SqliteChatStore store = open()) {
            List<Long> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(store.append(GENERAL, T0.plusSeconds(i), "bob", Optional.empty(), MessageKind.MESSAGE, "m" + i, List.of()).id());
            }
            store.append(new Conversation.Room("other"), T0, "bob", Optional.empty(), MessageKind.MESSAGE, "elsewhere", List.of());
            assertEquals(all.subList(7, 10), ids(store.history(GENERAL, new HistoryQuery.Latest(3))));
            assertEquals(all.subList(2, 5), ids(store.history(GENERAL, new HistoryQuery.Before(new ById(all.get(5)), 3))));
            assertEquals(all.subList(6, 9), ids(store.history(GENERAL, new HistoryQuery.After(new ById(all.get(5)), 3))));
            assertEquals(all.subList(2, 5), ids(store.history(GENERAL, new HistoryQuery.Before(new ByTime(T0.plusSeconds(5)), 3))));
            assertEquals(all.subList(6, 9), ids(store.history(GENERAL, new HistoryQuery.After(new ByTime(T0.plusSeconds(5)), 3))));
            assertEquals(all.subList(3, 8), ids(store.history(GENERAL, new HistoryQuery.Around(new ById(all.get(5)), 5))));
            assertEquals(all.subList(2, 5), ids(store.history(GENERAL,
                    new HistoryQuery.Between(new ById(all.get(1)), new ById(all.get(8)), 3))));
            // Between from the later side takes the page next to the later bound.
            assertEquals(all.subList(5, 8), ids(store.history(GENERAL,
                    new HistoryQuery.Between(new ById(all.get(8)), new ById(all.get(1)), 3))));
            assertEquals(all.subList(2, 4), ids(store.history(GENERAL,
                    new HistoryQuery.Between(new ByTime(T0.plusSeconds(1)), new ById(all.get(4)), 10))));
            assertTrue(store.history(new Conversation.Room("nowhere"), new HistoryQuery.Latest(5)).isEmpty());
        }
    }

    @Test
    void directConversationIsTheSameFromBothSides() {
        try (SqliteChatStore store = open()) {
            store.append(new Conversation.Direct("alice", "Bob"), T0, "alice", Optional.of("alice"), MessageKind.MESSAGE, "hi", List.of());
            store.append(new Conversation.Direct("bob", "alice"), T0, "bob", Optional.of("bob"), MessageKind.ACTION, "waves", List.of());
            List<ChatMessage> page = store.history(new Conversation.Direct("BOB", "ALICE"), new HistoryQuery.Latest(10));
            assertEquals(List.of("hi", "waves"), page.stream().map(ChatMessage::text).toList());
            assertEquals(MessageKind.ACTION, page.get(1).kind());
            var targets = store.targets("alice", List.of("#general"), T0.minusSeconds(1), T0.plusSeconds(1), 10);
            assertEquals(List.of("@alice@bob"), targets.stream().map(t -> t.conversation().key()).toList());
            assertTrue(store.targets("carol", List.of(), T0.minusSeconds(1), T0.plusSeconds(1), 10).isEmpty());
        }
    }

    @Test
    void retentionPurgesOldMessagesButKeepsUndeliveredOnes() {
        try (SqliteChatStore store = open()) {
            store.addAccount(Account.create("alice", Optional.empty(), false, T0), key("alice"), Optional.empty());
            store.append(GENERAL, T0, "bob", Optional.empty(), MessageKind.MESSAGE, "old", List.of());
            store.append(new Conversation.Direct("bob", "alice"), T0, "bob", Optional.empty(), MessageKind.MESSAGE, "queued", List.of("alice"));
            store.append(GENERAL, T0.plusSeconds(3600), "bob", Optional.empty(), MessageKind.MESSAGE, "new", List.of());
            assertEquals(1, store.purgeBefore(T0.plusSeconds(60)));
            assertEquals(List.of("new"), store.history(GENERAL, new HistoryQuery.Latest(10)).stream().map(ChatMessage::text).toList());
            assertEquals(1, store.pendingOffline("alice").size());
        }
    }

    @Test
    void concurrentAppendsAreGroupCommittedWithDistinctIncreasingIds() throws Exception {
        try (SqliteChatStore store = open(); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChatMessage>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> store.append(GENERAL, T0, "u" + n, Optional.empty(), MessageKind.MESSAGE, "x", List.of())));
            }
            Set<Long> seen = new java.util.HashSet<>();
            for (Future<ChatMessage> f : futures) {
                assertTrue(seen.add(f.get(2, java.util.concurrent.TimeUnit.MINUTES).id()));
            }
            assertEquals(200, store.history(GENERAL, new HistoryQuery.Latest(500)).size());
        }
    }

    @Test
    void refusesDuplicateAccountAndUnknownOnes() {
        try (SqliteChatStore store = open()) {
            store.addAccount(Account.create("alice", Optional.empty(), false, T0), key("alice"), Optional.empty());
            var e = assertThrows(ChatException.class,
                    () -> store.addAccount(Account.create("ALICE", Optional.empty(), false, T0), key("ALICE"), Optional.empty()));
            assertEquals(ChatError.INVALID_REQUEST, e.error());
            assertThrows(ChatException.class, () -> store.setEmail("nobody", Optional.empty()));
            assertTrue(store.removeAccount("alice"));
            assertFalse(store.removeAccount("alice"));
            assertTrue(store.scram("alice").isEmpty());
        }
    }

    @Test
    void extensionMigrationsRunOnceAndNewerSchemasAreRefused() {
        var outbox = Migration.of("mail", 1, "CREATE TABLE outbox(id INTEGER PRIMARY KEY, body TEXT)");
        try (SqliteChatStore store = SqliteChatStore.open(dir.resolve("chat.db"), List.of(outbox))) {
            store.withConnection("insert", c -> c.createStatement().executeUpdate("INSERT INTO outbox(body) VALUES('x')"));
        }
        // Reopening applies nothing twice; a tool without the mail steps leaves them alone.
        try (SqliteChatStore store = SqliteChatStore.open(dir.resolve("chat.db"), List.of(outbox))) {
            int n = store.withConnection("count", c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertEquals(1, n);
        }
        open().close();
        var skip = Migration.of("mail", 3, "SELECT 1");
        var e = assertThrows(ChatException.class, () -> SqliteChatStore.open(dir.resolve("chat.db"), List.of(outbox, skip)));
        assertTrue(e.getMessage().contains("skips a version"), e.getMessage());
    }
}
