package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.client.ChatConnection;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ErrorCode;
import dev.protokit.chat.wire.ServerMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachments: streamed up as a frame body, offered to members, downloadable by them only,
 * size-limited, held against a per-account quota, expired with the history, and nothing a
 * crash left half written survives a restart.
 */
class NativeAttachmentTest {
    @TempDir
    Path state;
    NativeFixture chat;

    @BeforeEach
    void start() {
        chat = new NativeFixture(ChatServerConfig.forTests(state), 256 * 1024);
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    void aFileSentToARoomIsOfferedToMembersAndDownloadsByteForByte() throws Exception {
        byte[] bytes = new byte[200_000];
        new Random(7).nextBytes(bytes);
        var alice = chat.login("alice");
        var bob = chat.login("bob");
        for (var peer : java.util.List.of(alice, bob)) {
            peer.connection.send(new ClientMessage.Join("general", Optional.empty()));
            peer.await(ServerMessage.Room.class, r -> true);
        }
        alice.connection.sendFile(new ClientMessage.Attach(Optional.of("f"), new Conversation.Room("general"), "data.bin",
                "application/octet-stream", bytes.length), new ByteArrayInputStream(bytes));
        alice.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("f")));
        var offer = bob.await(ServerMessage.Posted.class, p -> p.attachment().isPresent());
        assertEquals("data.bin", offer.attachment().get().name());
        assertEquals(bytes.length, offer.attachment().get().size());
        assertTrue(offer.text().endsWith("[attachment " + offer.attachment().get().id() + "]"), offer.text());
        try (ChatConnection raw = ChatConnection.open(chat.address(), chat.account("bob"), NativeFixture.WAIT)) {
            // a second session of bob's: it gets its own nick, the same account and rooms' rights
            raw.send(new ClientMessage.Join("general", Optional.empty()));
            raw.send(new ClientMessage.Get(Optional.of("g"), offer.attachment().get().id()));
            while (true) {
                var r = raw.receive().orElseThrow();
                if (r.message() instanceof ServerMessage.File file) {
                    assertEquals(offer.attachment().get(), file.attachment());
                    assertArrayEquals(bytes, r.body().readAllBytes());
                    break;
                }
            }
        }
        try (var files = Files.list(state.resolve("attachments"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "nothing half-written left");
        }
        var carol = chat.login("carol");
        carol.connection.send(new ClientMessage.Get(Optional.of("x"), offer.attachment().get().id()));
        assertEquals(ErrorCode.NO_SUCH_ATTACHMENT, carol.await(ServerMessage.Error.class, e -> true).code());
    }

    @Test
    void anAttachmentOverTheLimitIsRefusedAndNothingIsStored() throws Exception {
        var alice = chat.login("alice");
        alice.connection.send(new ClientMessage.Join("general", Optional.empty()));
        alice.await(ServerMessage.Room.class, r -> true);
        byte[] big = new byte[256 * 1024 + 1];
        try {
            alice.connection.sendFile(new ClientMessage.Attach(Optional.of("big"), new Conversation.Room("general"),
                    "big.bin", "application/octet-stream", big.length), new ByteArrayInputStream(big));
        } catch (java.io.IOException closed) {
            // the server may hang up before the body is through
        }
        var error = alice.await(ServerMessage.Error.class, e -> true);
        assertEquals(ErrorCode.TOO_LARGE, error.code());
        try (var files = Files.list(state.resolve("attachments"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anAccountPastItsQuotaIsRefusedOthersAreNotAndARestartKeepsTheCount() throws Exception {
        chat.close();
        chat = new NativeFixture(ChatServerConfig.forTests(state).withAttachmentQuota(300_000), 256 * 1024);
        var alice = chat.login("alice");
        var bob = chat.login("bob");
        for (var peer : java.util.List.of(alice, bob)) {
            peer.connection.send(new ClientMessage.Join("general", Optional.empty()));
            peer.await(ServerMessage.Room.class, r -> true);
        }
        send(alice, "a1", 200_000);
        alice.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("a1")));
        send(alice, "a2", 200_000);
        var refused = alice.await(ServerMessage.Error.class, e -> e.ref().equals(Optional.of("a2")));
        assertEquals(ErrorCode.TOO_LARGE, refused.code());
        assertTrue(refused.text().contains("quota"), refused.text());
        send(bob, "b1", 200_000); // the quota is per account
        bob.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("b1")));
        assertEquals(2, dataFiles(), "alice's refused upload left nothing on disk");

        chat.restart(); // what is on disk counts again
        var again = chat.login("alice");
        again.connection.send(new ClientMessage.Join("general", Optional.empty()));
        again.await(ServerMessage.Room.class, r -> true);
        send(again, "a3", 200_000);
        assertEquals(ErrorCode.TOO_LARGE, again.await(ServerMessage.Error.class, e -> e.ref().equals(Optional.of("a3"))).code());
        send(again, "a4", 100_000); // exactly up to the quota
        again.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("a4")));
    }

    @Test
    void aRestartRemovesWhatACrashLeftHalfWrittenAndRetentionExpiresOldFiles() throws Exception {
        chat.close();
        Path dir = state.resolve("attachments");
        var usage = new AttachmentUsage(1 << 20);
        var store = new NativeAttachments(state, 1 << 20, usage);
        var old = store.receive("alice", "#general", "old.txt", "text/plain", 3, new ByteArrayInputStream(new byte[3]),
                java.time.Instant.now().minus(java.time.Duration.ofDays(31)));
        var fresh = store.receive("alice", "#general", "new.txt", "text/plain", 3, new ByteArrayInputStream(new byte[3]),
                java.time.Instant.now());
        String crashed = "C".repeat(dev.protokit.chat.wire.AttachmentInfo.ID_CHARS);
        Files.write(dir.resolve(crashed + ".part"), new byte[10]); // killed mid-upload
        Files.writeString(dir.resolve(crashed + ".properties"), "size=10\n"); // killed before the rename

        chat = new NativeFixture(ChatServerConfig.forTests(state), 256 * 1024); // 30 days of history
        org.awaitility.Awaitility.await().atMost(NativeFixture.WAIT)
                .until(() -> !Files.exists(dir.resolve(old.info().id())));
        assertTrue(Files.exists(dir.resolve(fresh.info().id())), "a file within the retention stays");
        assertTrue(Files.exists(dir.resolve(fresh.info().id() + ".properties")));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.Set.of(fresh.info().id(), fresh.info().id() + ".properties"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    private static void send(NativeFixture.Peer peer, String ref, int size) throws Exception {
        peer.connection.sendFile(new ClientMessage.Attach(Optional.of(ref), new Conversation.Room("general"), ref + ".bin",
                "application/octet-stream", size), new ByteArrayInputStream(new byte[size]));
    }

    private long dataFiles() throws Exception {
        try (var files = Files.list(state.resolve("attachments"))) {
            return files.filter(f -> !f.getFileName().toString().contains(".")).count();
        }
    }
}
