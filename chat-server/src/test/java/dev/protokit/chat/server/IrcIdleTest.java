package dev.protokit.chat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.protokit.chat.irc.IrcMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silent plain-IRC client holds no thread on the server (neither its reader nor a writer,
 * found by name in a dump of every thread, virtual ones included), and parked like that it still
 * gets what it is sent, answers, and the ping and idle timeouts; one that hangs up without a
 * QUIT is gone at once (the end of the stream wakes it like bytes do).
 */
class IrcIdleTest {
    @TempDir
    Path state;

    @Test
    void anIdleClientHoldsNoThreadAndStillGetsMessagesAndAnswers() throws Exception {
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state));
             var idle = IrcTestClient.register(server.ircPort(), "idle");
             var talker = IrcTestClient.register(server.ircPort(), "talker")) {
            idle.send("JOIN #room");
            idle.expect("366");
            talker.send("JOIN #room");
            talker.expect("366");
            awaitNoThreadFor(idle);

            talker.send("PRIVMSG #room :wake up");
            IrcMessage m = idle.expect("PRIVMSG");
            assertEquals("wake up", m.params().getLast());
            awaitNoThreadFor(idle); // the writer that delivered it is gone again

            idle.send("PING :are-you-there"); // a parked connection wakes when bytes arrive
            assertEquals("are-you-there", idle.expect("PONG").params().getLast());
            idle.sendRaw("PRIVMSG #room :in two"); // half a line: read when the rest arrives
            awaitNoThreadFor(talker);
            idle.sendRaw(" parts\r\n");
            assertEquals("in two parts", talker.expect("PRIVMSG").params().getLast());
            awaitNoThreadFor(idle);
        }
    }

    @Test
    void aParkedClientIsPingedAfterTheReadTimeoutAndDroppedWhenItStaysSilent() throws Exception {
        var config = ChatServerConfig.forTests(state).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
        try (ChatServer server = ChatServer.start(config); var c = IrcTestClient.register(server.ircPort(), "quiet")) {
            IrcMessage ping = c.expect("PING");
            c.send("PONG :" + ping.params().getFirst());
            c.expect("PING"); // answered: a new wait, a new PING
            List<String> rest = c.drainToEnd();
            assertTrue(rest.stream().anyMatch(l -> l.startsWith("ERROR ") && l.contains("Ping timeout")), rest.toString());
        }
    }

    @Test
    void aParkedClientThatHangsUpQuitsAtOnce() throws Exception {
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state));
             var stays = IrcTestClient.register(server.ircPort(), "stays")) {
            stays.send("JOIN #room");
            stays.expect("366");
            var leaves = IrcTestClient.register(server.ircPort(), "leaves");
            leaves.send("JOIN #room");
            leaves.expect("366");
            awaitNoThreadFor(leaves);
            long start = System.nanoTime();
            leaves.close(); // FIN without QUIT, as a killed ii or sic does
            IrcMessage quit = stays.expect("QUIT");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("leaves", quit.source().orElseThrow().split("!")[0]);
            assertTrue(millis < 5000, "the room heard of it after " + millis + " ms, not at the ping timeout");
            // The core frees the nick just after it publishes the QUIT, so the room may hear first.
            await().atMost(Duration.ofSeconds(5)).until(() -> server.core().client("leaves").isEmpty());
        }
    }

    /** Waits until no thread on the server is named after the client's address (reader, or writer: NAME-writer). */
    private static void awaitNoThreadFor(IrcTestClient client) {
        String name = "127.0.0.1:" + client.socket.getLocalPort();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !threadDump().contains(name));
    }

    private static String threadDump() {
        try {
            Path file = Files.createTempFile("threads", ".json");
            Files.delete(file); // dumpThreads refuses to overwrite
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            try {
                return Files.readString(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
