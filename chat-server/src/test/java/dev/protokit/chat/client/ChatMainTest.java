package dev.protokit.chat.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.server.NativeFixtures;
import dev.protokit.common.auth.KeyFileWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/chat driven in-process against a real server: send, tail, reconnect and resume, exit codes. */
class ChatMainTest {
    @TempDir
    Path dir;
    NativeFixtures.Handle chat;

    @BeforeEach
    void start() throws java.io.IOException {
        chat = NativeFixtures.start(java.nio.file.Files.createDirectory(dir.resolve("state")));
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    private Path keyFile(String account) {
        return ChatCli.keyFile(dir, chat, account);
    }

    private static ChatCli.Result chat(String... args) {
        return ChatCli.run(args);
    }

    private String server() {
        return "127.0.0.1:" + chat.port();
    }

    @Test
    void sendPostsToARoomAndTailShowsItsHistoryThenNewMessages() throws Exception {
        assertEquals(0, chat("--server", server(), "--key", keyFile("alice").toString(), "send", "--room", "general", "first", "post").code());
        var out = new StringWriter();
        Thread tail = Thread.ofVirtual().start(() -> ChatMain.run(new String[] {"--server", server(), "--key",
                keyFile("bob").toString(), "tail", "--room", "general"}, new PrintWriter(out, true), new PrintWriter(new StringWriter())));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("#general <alice> first post"));
            assertEquals(0, chat("--server", server(), "--key", keyFile("alice").toString(), "send", "--room", "general", "second").code());
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("#general <alice> second"));
        } finally {
            tail.interrupt();
        }
    }

    @Test
    void tailReconnectsAfterAServerRestartAndResumesWithoutGapsOrDuplicates() throws Exception {
        String alice = keyFile("alice").toString();
        assertEquals(0, chat("--server", server(), "--key", alice, "send", "--room", "general", "before").code());
        var out = new StringWriter();
        var err = new StringWriter();
        Thread tail = Thread.ofVirtual().start(() -> ChatMain.run(new String[] {"--server", server(), "--key",
                keyFile("bob").toString(), "tail", "--room", "general"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("<alice> before"));
            chat.restart();
            // Sent while the tail is still backing off: it must fetch these on resume.
            for (String text : new String[] {"during-1", "during-2", "during-3"}) {
                assertEquals(0, chat("--server", server(), "--key", alice, "send", "--room", "general", text).code());
            }
            await().atMost(Duration.ofSeconds(40)).until(() -> out.toString().contains("<alice> during-3"));
            assertEquals(0, chat("--server", server(), "--key", alice, "send", "--room", "general", "after").code());
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("<alice> after"));
            for (String text : new String[] {"before", "during-1", "during-2", "during-3", "after"}) {
                assertEquals(1, count(out.toString(), "<alice> " + text + "\n"), text + " in\n" + out);
            }
            assertTrue(err.toString().contains("reconnecting in"), err.toString());
        } finally {
            tail.interrupt();
        }
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        ChatCli.Result noServer = chat("send", "--room", "general", "hi");
        assertEquals(2, noServer.code());
        assertEquals(1, noServer.err().lines().count(), noServer.err());
        ChatCli.Result badServer = chat("--server", "nonsense", "send", "--room", "general", "hi");
        assertEquals(2, badServer.code());
        assertEquals("chat: --server must be HOST:PORT, got nonsense\n", badServer.err());
    }

    @Test
    void anUnreachableServerOrAWrongKeyExitsOneWithOneLine() throws Exception {
        String alice = keyFile("alice").toString();
        ChatCli.Result refused;
        try (var probe = new java.net.ServerSocket(0)) {
            int dead = probe.getLocalPort();
            probe.close();
            refused = chat("--server", "127.0.0.1:" + dead, "--key", alice, "send", "--room", "general", "x");
        }
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("chat: cannot connect"), refused.err());
        assertEquals(1, refused.err().lines().count());
        Path forged = dir.resolve("forged.key");
        KeyFileWriter.write(forged, KeyFileWriter.generate(new dev.protokit.common.auth.KeyId("alice"),
                new java.security.SecureRandom()), KeyFileWriter.Mode.CREATE_NEW);
        ChatCli.Result wrongKey = chat("--server", server(), "--key", forged.toString(), "send", "--room", "general", "x");
        assertEquals(1, wrongKey.code());
        assertTrue(wrongKey.err().startsWith("chat: the server refused the key"), wrongKey.err());
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
