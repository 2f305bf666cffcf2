package dev.protokit.chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.server.NativeFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat-server --native-tls} and {@code bin/chat --tls}: the key handshake and frames run
 * inside TLS; the certificate is checked (the server's own PEM with {@code --ca-file}), a plain
 * client is refused without harm, and the flags' misuse is a usage error.
 */
class ChatTlsTest {
    @TempDir
    Path dir;
    Path state;
    NativeFixtures.Handle chat;

    @BeforeEach
    void start() throws java.io.IOException {
        state = Files.createDirectory(dir.resolve("state"));
        chat = NativeFixtures.startTls(state);
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    void aClientTrustingTheServersCertificateTalksOverTlsOthersAreRefusedAndTheServerStaysUp() {
        String key = ChatCli.keyFile(dir, chat, "alice").toString();
        String ca = state.resolve("irc-cert.pem").toString();
        ChatCli.Result trusted = ChatCli.run("--server", "127.0.0.1:" + chat.port(), "--key", key, "--tls", "--ca-file", ca, "send", "--room", "general", "over", "tls");
        assertEquals(0, trusted.code(), trusted.err());

        ChatCli.Result systemCas = ChatCli.run("--server", "127.0.0.1:" + chat.port(), "--key", key, "--tls", "send", "--room", "general", "x");
        assertEquals(1, systemCas.code());
        assertTrue(systemCas.err().startsWith("chat: TLS handshake failed") && systemCas.err().contains("--ca-file"), systemCas.err());

        ChatCli.Result plain = ChatCli.run("--server", "127.0.0.1:" + chat.port(), "--key", key, "send", "--room", "general", "x");
        assertEquals(1, plain.code(), "a plain client gets no session from a TLS listener: " + plain.err());

        ChatCli.Result insecure = ChatCli.run("--server", "127.0.0.1:" + chat.port(), "--key", key, "--tls", "--insecure", "send", "--room", "general", "still", "up");
        assertEquals(0, insecure.code(), insecure.err());
    }

    @Test
    void tlsFlagsWithoutTlsOrTogetherAreUsageErrors() {
        String key = ChatCli.keyFile(dir, chat, "alice").toString();
        assertEquals(2, ChatCli.run("--server", "127.0.0.1:" + chat.port(), "--key", key, "--insecure", "send", "--room", "general", "x").code());
        assertEquals(2, ChatCli.run("--server", "127.0.0.1:" + chat.port(), "--key", key, "--tls", "--insecure", "--ca-file", "x.pem",
                "send", "--room", "general", "x").code());
    }
}
