package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ServerMessage;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server, two protocols: the same rooms, messages both ways, the same history; and the native defences. */
class NativeIrcTest {
    @TempDir
    Path state;
    NativeFixture chat;

    private void start(int burst, double rate, int sendQueue) {
        chat = new NativeFixture(ChatServerConfig.forTests(state).withFlood(burst, rate, sendQueue), 1024 * 1024);
    }

    @AfterEach
    void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    private int ircPort() {
        return chat.server.listener("irc").orElseThrow().port();
    }

    @Test
    void messagesCrossBetweenIrcAndNativeInTheSameRoomAndShareHistory() throws Exception {
        start(20, 10, 64 * 1024);
        var alice = chat.login("alice");
        alice.connection.send(new ClientMessage.Join("general", Optional.empty()));
        alice.await(ServerMessage.Room.class, r -> true);
        try (IrcTestClient irc = IrcTestClient.register(ircPort(), "guest1")) {
            irc.send("JOIN #general");
            irc.expect("366");
            alice.await(ServerMessage.Joined.class, j -> j.account().equals("guest1"));
            alice.connection.send(new ClientMessage.Say(Optional.of("n1"), "general", "hello from native", false));
            IrcMessage got = irc.until(m -> m.command().equals("PRIVMSG"), "PRIVMSG from alice");
            assertEquals("#general", got.params().get(0));
            assertEquals("hello from native", got.params().getLast());
            irc.send("PRIVMSG #general :hello from irc");
            var posted = alice.await(ServerMessage.Posted.class, p -> p.text().equals("hello from irc"));
            assertEquals("guest1", posted.from());
            assertEquals("general", posted.room());
        }
        alice.connection.send(new ClientMessage.History(new Conversation.Room("general"), OptionalLong.empty(),
                OptionalLong.empty(), 10));
        var page = alice.await(ServerMessage.HistoryPage.class, p -> true);
        assertEquals(java.util.List.of("hello from native", "hello from irc"),
                page.messages().stream().map(ServerMessage.Stored::text).toList());
    }

    @Test
    void aFloodingNativeClientIsDelayedThenCut() throws Exception {
        start(5, 2, 64 * 1024);
        var alice = chat.login("alice");
        alice.connection.send(new ClientMessage.Join("general", Optional.empty()));
        try {
            for (int i = 0; i < 200; i++) {
                alice.connection.send(new ClientMessage.Ping(Optional.of("f" + i)));
            }
        } catch (java.io.IOException cut) {
            // the server may close while we are still writing
        }
        alice.await(ServerMessage.Bye.class, b -> b.reason().equals("Excess flood"));
        org.awaitility.Awaitility.await().atMost(NativeFixture.WAIT).until(alice::closedByServer);
        assertTrue(alice.all(ServerMessage.Pong.class).size() >= 5, "the burst was served");
    }

    @Test
    void aNativeClientThatNeverReadsIsCutAndTheRoomKeepsFlowing() throws Exception {
        start(1000, 1000, 512 * 1024);
        // A raw peer that authenticates, joins and then never reads a byte.
        var key = chat.account("sleeper");
        Socket sleeper = new Socket();
        sleeper.setReceiveBufferSize(4096);
        sleeper.connect(new java.net.InetSocketAddress("127.0.0.1", chat.port()));
        new dev.protokit.common.auth.ClientAuthenticator(key, NativeFixture.WAIT)
                .authenticate(sleeper, sleeper.getInputStream(), sleeper.getOutputStream());
        OutputStream raw = sleeper.getOutputStream();
        raw.write(dev.protokit.common.frame.FrameCodec.encodeHead(dev.protokit.chat.wire.ChatCodec.encode(
                new ClientMessage.Join("general", Optional.empty())), 0, dev.protokit.common.frame.FrameLimits.DEFAULT));
        raw.flush();
        var alice = chat.login("alice");
        var bob = chat.login("bob");
        for (var peer : java.util.List.of(alice, bob)) {
            peer.connection.send(new ClientMessage.Join("general", Optional.empty()));
            peer.await(ServerMessage.Room.class, r -> true);
        }
        // Kernel buffers absorb a few MiB before the server's queue for the sleeper grows at all.
        String big = "x".repeat(2000);
        for (int i = 0; i < 20000 && !chat.server.core().clientsOf("sleeper").isEmpty(); i++) {
            alice.connection.send(new ClientMessage.Say(Optional.empty(), "general", big, false));
            if (i % 200 == 199) {
                alice.received.clear();
                bob.received.clear();
            }
        }
        chat.awaitOffline("sleeper");
        alice.connection.send(new ClientMessage.Say(Optional.of("last"), "general", "still flowing", false));
        bob.await(ServerMessage.Posted.class, p -> p.text().equals("still flowing"));
        sleeper.close();
    }
}
