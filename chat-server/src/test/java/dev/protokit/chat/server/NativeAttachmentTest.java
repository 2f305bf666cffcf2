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

/** Attachments: streamed up as a frame body, offered to members, downloadable by them only, size-limited. */
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
}
