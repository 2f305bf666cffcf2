package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.irc.IrcMessage;
import java.time.Duration;

/**
 * The never-reading-clients check both transports share: with {@code stalled} clients in
 * {@code #busy} that never read, a TCP talker (paced to a TCP reader) fills their send queues
 * until each is cut ("SendQ exceeded"), and the reader gets every message and every QUIT.
 */
final class StalledRoom {
    private StalledRoom() {}

    static void check(ChatServer server, int stalled) throws Exception {
        int port = server.ircPort();
        try (var reader = IrcTestClient.register(port, "reader"); var talker = IrcTestClient.register(port, "talker")) {
            reader.send("JOIN #busy");
            reader.expect("366");
            talker.send("JOIN #busy");
            talker.expect("366");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> server.core().room("busy").orElseThrow().size() == stalled + 2);
            // The reader keeps up (a thread of its own reads everything), so it is never cut.
            var got = new java.util.concurrent.LinkedBlockingQueue<IrcMessage>();
            var readerSaw = new java.util.concurrent.atomic.AtomicInteger();
            Thread readerThread = Thread.ofVirtual().start(() -> {
                try {
                    for (IrcMessage m; (m = reader.next()) != null; ) {
                        got.add(m);
                        if (m.command().equals("PRIVMSG")) {
                            readerSaw.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            String text = "x".repeat(400);
            int sent = 0;
            // Enough bytes to overflow every sleeper's socket buffers and 16 KiB send queue.
            // The talker stays at most a few lines ahead of the reader, so only a client that
            // does not read, never one slowed by a busy test machine, can fill its send queue.
            while (server.core().room("busy").orElseThrow().size() > 2 && sent < 40_000) {
                talker.send("PRIVMSG #busy :" + sent + " " + text);
                sent++;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (sent - readerSaw.get() > 16 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
            }
            assertEquals(2, server.core().room("busy").orElseThrow().size(), "every sleeper was cut");
            talker.send("PRIVMSG #busy :after");
            IrcMessage last;
            int quits = 0;
            do {
                last = got.poll(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(last != null, "the reader got everything up to 'after'");
                if (last.command().equals("QUIT") && last.params().getFirst().equals("SendQ exceeded")) {
                    quits++;
                }
            } while (!(last.command().equals("PRIVMSG") && last.params().get(1).equals("after")));
            assertEquals(stalled, quits, "the room saw each sleeper leave, and why");
            reader.close();
            readerThread.join();
        }
    }
}
