package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.client.ChatConnection;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ErrorCode;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.KeyFileWriter;
import dev.protokit.common.auth.KeyId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native listener end to end: real sockets, the real handshake, the real client. */
class NativeListenerTest {
    @TempDir
    Path state;
    NativeFixture chat;

    @BeforeEach
    void start() {
        chat = new NativeFixture(state);
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    void welcomeNamesTheAccountAndTheLimits() throws Exception {
        var alice = chat.login("alice");
        assertEquals("alice", alice.connection.welcome().account());
        assertFalse(alice.connection.welcome().operator());
        assertEquals(1024 * 1024, alice.connection.welcome().maxAttachmentBytes());
    }

    @Test
    void roomMessagesReachOtherMembersAndAreAcknowledgedWithTheirStoredId() throws Exception {
        var alice = chat.login("alice");
        var bob = chat.login("bob");
        alice.connection.send(new ClientMessage.Join("general", Optional.empty()));
        alice.await(ServerMessage.Room.class, r -> r.room().equals("general"));
        bob.connection.send(new ClientMessage.Join("general", Optional.empty()));
        var room = bob.await(ServerMessage.Room.class, r -> r.room().equals("general"));
        assertEquals(List.of("alice", "bob"), room.members().stream().map(ServerMessage.Member::account).toList());
        alice.await(ServerMessage.Joined.class, j -> j.account().equals("bob"));

        alice.connection.send(new ClientMessage.Say(Optional.of("r1"), "general", "hello bob", false));
        var ack = alice.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("r1")));
        var got = bob.await(ServerMessage.Posted.class, p -> p.text().equals("hello bob"));
        assertEquals(ack.id().getAsLong(), got.id());
        assertEquals("alice", got.from());
        assertEquals(ack.time(), got.time());
        assertTrue(alice.all(ServerMessage.Posted.class).isEmpty(), "the sender gets an ack, not an echo");
    }

    @Test
    void historyPagesBackwardsAndForwardsWithoutGapsOrDuplicates() throws Exception {
        var alice = chat.login("alice");
        alice.connection.send(new ClientMessage.Join("general", Optional.empty()));
        for (int i = 0; i < 7; i++) {
            alice.connection.send(new ClientMessage.Say(Optional.of("m" + i), "general", "line " + i, false));
        }
        long last = alice.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("m6"))).id().getAsLong();
        var room = new Conversation.Room("general");
        alice.connection.send(new ClientMessage.History(room, OptionalLong.empty(), OptionalLong.empty(), 3));
        var latest = alice.await(ServerMessage.HistoryPage.class, p -> true);
        assertEquals(List.of("line 4", "line 5", "line 6"), latest.messages().stream().map(ServerMessage.Stored::text).toList());
        assertTrue(latest.more());
        alice.received.clear();
        alice.connection.send(new ClientMessage.History(room, OptionalLong.of(latest.messages().getFirst().id()),
                OptionalLong.empty(), 10));
        var older = alice.await(ServerMessage.HistoryPage.class, p -> true);
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3"), older.messages().stream().map(ServerMessage.Stored::text).toList());
        assertFalse(older.more());
        alice.received.clear();
        alice.connection.send(new ClientMessage.History(room, OptionalLong.empty(), OptionalLong.of(older.messages().get(1).id()), 3));
        var after = alice.await(ServerMessage.HistoryPage.class, p -> true);
        assertEquals(List.of("line 2", "line 3", "line 4"), after.messages().stream().map(ServerMessage.Stored::text).toList());
        assertTrue(after.more());
        assertEquals(last, latest.messages().getLast().id());
    }

    @Test
    void directMessagesToAnOfflineAccountArriveAtItsNextLoginInOrderOnce() throws Exception {
        chat.account("bob");
        var alice = chat.login("alice");
        for (int i = 1; i <= 3; i++) {
            alice.connection.send(new ClientMessage.Dm(Optional.of("d" + i), "bob", "note " + i, false));
        }
        alice.await(ServerMessage.Ack.class, a -> a.ref().equals(Optional.of("d3")));
        var bob = chat.login("bob");
        bob.await(ServerMessage.Direct.class, d -> d.text().equals("note 3"));
        assertEquals(List.of("note 1", "note 2", "note 3"), bob.all(ServerMessage.Direct.class).stream()
                .map(ServerMessage.Direct::text).toList());
        assertEquals("alice", bob.all(ServerMessage.Direct.class).getFirst().from());
        bob.close();
        chat.awaitOffline("bob");
        var again = chat.login("bob");
        again.connection.send(new ClientMessage.Ping(Optional.of("p")));
        again.await(ServerMessage.Pong.class, p -> true);
        assertTrue(again.all(ServerMessage.Direct.class).isEmpty(), "delivered once");
    }

    @Test
    void aMalformedMessageGetsAnErrorAndTheConnectionStaysUp() throws Exception {
        var alice = chat.login("alice");
        alice.connection.send(new ClientMessage.Say(Optional.of("x"), "nowhere", "hi", false));
        var error = alice.await(ServerMessage.Error.class, e -> e.ref().equals(Optional.of("x")));
        assertEquals(ErrorCode.NO_SUCH_ROOM, error.code());
        alice.connection.send(new ClientMessage.Ping(Optional.of("still-there")));
        alice.await(ServerMessage.Pong.class, p -> p.ref().equals(Optional.of("still-there")));
    }

    @Test
    void aWrongKeyIsRefusedLikeAnUnknownAccount() {
        chat.account("alice");
        var forged = KeyFileWriter.generate(new KeyId("alice"), new SecureRandom());
        assertThrows(AuthException.class, () -> ChatConnection.open(chat.address(), forged, NativeFixture.WAIT));
        var nobody = KeyFileWriter.generate(new KeyId("nobody"), new SecureRandom());
        assertThrows(AuthException.class, () -> ChatConnection.open(chat.address(), nobody, NativeFixture.WAIT));
    }
}
