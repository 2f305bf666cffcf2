package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.irc.IrcMessage;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrcDefenceTest {
    @TempDir
    Path state;

    @Test
    void clientsThatNeverReadAreCutAndNeverStallTheRoom() throws Exception {
        // More stalled clients than carrier threads: fan-out must not block on any of them.
        int stalled = Runtime.getRuntime().availableProcessors() * 4 + 4;
        var config = ChatServerConfig.forTests(state).withFlood(10_000, 10_000, 16 * 1024);
        try (ChatServer server = ChatServer.start(config)) {
            int port = server.ircPort();
            List<Socket> sleepers = new ArrayList<>();
            for (int i = 0; i < stalled; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setReceiveBufferSize(4096);
                s.getOutputStream().write(("NICK z" + i + "\r\nUSER z 0 * :z\r\nJOIN #busy\r\n").getBytes(StandardCharsets.UTF_8));
                sleepers.add(s);
            }
            try {
                StalledRoom.check(server, stalled);
            } finally {
                for (Socket s : sleepers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void floodsAreDelayedThenDisconnected() throws Exception {
        var config = ChatServerConfig.forTests(state).withFlood(5, 50, 64 * 1024);
        try (ChatServer server = ChatServer.start(config); var c = IrcTestClient.register(server.ircPort(), "fl")) {
            var sb = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                sb.append("PING :").append(i).append("\r\n");
            }
            c.sendRaw(sb.toString());
            List<String> rest = c.drainToEnd();
            assertTrue(rest.stream().anyMatch(l -> l.startsWith("ERROR :Closing Link") && l.contains("Excess Flood")), rest.toString());
            long pongs = rest.stream().filter(l -> l.contains(" PONG ")).count();
            assertTrue(pongs >= 5 && pongs < 200, "a burst passed, then the rest was refused: " + pongs);
        }
    }

    @Test
    void aQuietClientIsPingedThenDropped() throws Exception {
        var config = ChatServerConfig.forTests(state).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
        try (ChatServer server = ChatServer.start(config); var c = IrcTestClient.register(server.ircPort(), "quiet")) {
            IrcMessage ping = c.expect("PING");
            assertEquals("irc.test", ping.params().getFirst());
            List<String> rest = c.drainToEnd();
            assertTrue(rest.stream().anyMatch(l -> l.contains("Ping timeout")), rest.toString());
        }
    }

    @Test
    void registrationHasADeadline() throws Exception {
        var config = ChatServerConfig.forTests(state).withTimeouts(Duration.ofMinutes(1), Duration.ofSeconds(1));
        try (ChatServer server = ChatServer.start(config); var c = IrcTestClient.connect(server.ircPort())) {
            c.send("NICK slow");
            assertTrue(c.drainToEnd().stream().noneMatch(l -> l.contains(" 001 ")));
        }
    }

    @Test
    void shutdownTellsClientsAndFlushes() throws Exception {
        var config = ChatServerConfig.forTests(state).withPorts(OptionalInt.of(0), OptionalInt.empty(), OptionalInt.empty());
        ChatServer server = ChatServer.start(config);
        try (var c = IrcTestClient.register(server.ircPort(), "bye")) {
            c.send("JOIN #last");
            c.expect("366");
            c.send("PRIVMSG #last :kept");
            c.send("PING :sync");
            c.expect("PONG");
            Thread stopper = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofSeconds(10)));
            List<String> rest = c.drainToEnd();
            stopper.join();
            assertTrue(rest.stream().anyMatch(l -> l.startsWith("ERROR :Closing Link") && l.contains("Server shutting down")), rest.toString());
        }
        try (ChatServer again = ChatServer.start(config)) {
            assertEquals("kept", again.store().history(new dev.protokit.chat.core.Conversation.Room("last"),
                    new dev.protokit.chat.core.HistoryQuery.Latest(1)).getFirst().text());
        }
    }
}
