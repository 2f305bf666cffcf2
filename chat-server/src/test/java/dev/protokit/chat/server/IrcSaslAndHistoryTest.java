package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrcSaslAndHistoryTest {
    private static final byte[] SALT = new byte[16];
    @TempDir
    Path state;
    ChatServer server;
    int port;

    @BeforeEach
    void start() {
        server = ChatServer.start(ChatServerConfig.forTests(state));
        port = server.ircPort();
        for (String name : List.of("alice", "bob")) {
            server.store().addAccount(Account.create(name, Optional.empty(), false, Instant.now()),
                    new SharedKey(new KeyId(name), new byte[32]),
                    Optional.of(ScramVerifier.derive((name + "-pw").toCharArray(), SALT, 4096)));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static IrcTestClient capSasl(int port) throws Exception {
        var c = IrcTestClient.connect(port);
        c.send("CAP LS 302");
        IrcMessage ls = c.expect("CAP");
        assertTrue(ls.params().getLast().contains("sasl=PLAIN,SCRAM-SHA-256"), ls.toString());
        c.send("CAP REQ :sasl server-time message-tags batch draft/chathistory");
        c.expect("CAP");
        return c;
    }

    @Test
    void saslPlainLogsInAndAWrongPasswordIs904() throws Exception {
        try (var c = capSasl(port)) {
            c.send("AUTHENTICATE PLAIN");
            c.expect("AUTHENTICATE");
            c.send("AUTHENTICATE " + b64("\0alice\0wrong"));
            c.expect("904");
            c.send("AUTHENTICATE PLAIN");
            c.expect("AUTHENTICATE");
            c.send("AUTHENTICATE " + b64("\0alice\0alice-pw"));
            IrcMessage loggedIn = c.expect("900");
            assertEquals("alice", loggedIn.params().get(2));
            c.expect("903");
            c.send("AUTHENTICATE PLAIN");
            c.expect("907");
            c.send("NICK alice");
            c.send("USER a 0 * :A");
            c.send("CAP END");
            c.expect("001");
        }
    }

    @Test
    void scramIsMutualAndAWrongProofIsRefused() throws Exception {
        try (var c = capSasl(port)) {
            String cnonce = "fyko+d2lbbFgONRv9qkxdawL";
            c.send("AUTHENTICATE SCRAM-SHA-256");
            c.expect("AUTHENTICATE");
            String clientFirstBare = "n=bob,r=" + cnonce;
            c.send("AUTHENTICATE " + b64("n,," + clientFirstBare));
            String serverFirst = unb64(c.expect("AUTHENTICATE").params().getFirst());
            String nonce = serverFirst.split(",")[0].substring(2);
            assertTrue(nonce.startsWith(cnonce) && nonce.length() > cnonce.length(), serverFirst);
            byte[] salted = ScramVerifier.saltedPassword("bob-pw".toCharArray(), SALT, 4096);
            String finalWithoutProof = "c=biws,r=" + nonce;
            String auth = clientFirstBare + "," + serverFirst + "," + finalWithoutProof;
            byte[] clientKey = ScramVerifier.hmac(salted, "Client Key");
            byte[] signature = ScramVerifier.hmac(ScramVerifier.sha256(clientKey), auth);
            byte[] proof = new byte[32];
            for (int i = 0; i < 32; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            c.send("AUTHENTICATE " + b64(finalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
            String serverFinal = unb64(c.expect("AUTHENTICATE").params().getFirst());
            byte[] expected = ScramVerifier.hmac(ScramVerifier.hmac(salted, "Server Key"), auth);
            assertTrue(MessageDigest.isEqual(expected, Base64.getDecoder().decode(serverFinal.substring(2))),
                    "the server proves it holds the verifier");
            c.send("AUTHENTICATE +");
            assertEquals("bob", c.expect("900").params().get(2));
            c.expect("903");
        }
        try (var c = capSasl(port)) {
            c.send("AUTHENTICATE SCRAM-SHA-256");
            c.expect("AUTHENTICATE");
            c.send("AUTHENTICATE " + b64("n,,n=bob,r=abc"));
            String nonce = unb64(c.expect("AUTHENTICATE").params().getFirst()).split(",")[0].substring(2);
            c.send("AUTHENTICATE " + b64("c=biws,r=" + nonce + ",p=" + Base64.getEncoder().encodeToString(new byte[32])));
            c.expect("904");
        }
    }

    @Test
    void chathistoryPagesInABatchWithMsgids() throws Exception {
        try (var a = capSasl(port)) {
            a.send("AUTHENTICATE PLAIN");
            a.expect("AUTHENTICATE");
            a.send("AUTHENTICATE " + b64("\0alice\0alice-pw"));
            a.expect("903");
            a.send("NICK alice");
            a.send("USER a 0 * :A");
            a.send("CAP END");
            a.expect("001");
            a.send("JOIN #hist");
            a.expect("366");
            for (int i = 1; i <= 6; i++) {
                a.send("PRIVMSG #hist :line " + i);
            }
            a.send("PRIVMSG bob :offline note");
            a.send("CHATHISTORY LATEST #hist * 3");
            List<IrcMessage> page = batch(a);
            assertEquals(List.of("line 4", "line 5", "line 6"), page.stream().map(m -> m.params().get(1)).toList());
            assertTrue(page.stream().allMatch(m -> m.tags().containsKey("msgid") && m.tags().containsKey("time")));
            String oldest = page.getFirst().tags().get("msgid");
            a.send("CHATHISTORY BEFORE #hist msgid=" + oldest + " 2");
            assertEquals(List.of("line 2", "line 3"), batch(a).stream().map(m -> m.params().get(1)).toList());
            a.send("CHATHISTORY AFTER #hist msgid=" + oldest + " 10");
            assertEquals(List.of("line 5", "line 6"), batch(a).stream().map(m -> m.params().get(1)).toList());
            // By time (messages may share a millisecond, so the bounds are well apart).
            a.send("CHATHISTORY BEFORE #hist timestamp=2100-01-01T00:00:00.000Z 1");
            assertEquals(List.of("line 6"), batch(a).stream().map(m -> m.params().get(1)).toList());
            a.send("CHATHISTORY AFTER #hist timestamp=2000-01-01T00:00:00.000Z 1");
            assertEquals(List.of("line 1"), batch(a).stream().map(m -> m.params().get(1)).toList());
            a.send("CHATHISTORY LATEST bob * 10");
            assertEquals(List.of("offline note"), batch(a).stream().map(m -> m.params().get(1)).toList());
            a.send("CHATHISTORY TARGETS timestamp=2020-01-01T00:00:00Z timestamp=2100-01-01T00:00:00Z 10");
            IrcMessage open = a.expect("BATCH");
            assertEquals("draft/chathistory-targets", open.params().get(1));
            a.send("CHATHISTORY LATEST #hist nonsense 3");
            assertEquals("INVALID_PARAMS", a.expect("FAIL").params().get(1));
            a.send("CHATHISTORY FROB");
            assertEquals("UNKNOWN_COMMAND", a.expect("FAIL").params().get(1));
        }
        // bob logs in later: the direct message is delivered once, as it was sent.
        try (var b = IrcTestClient.connect(port)) {
            b.send("PASS bob-pw");
            b.send("NICK bob");
            b.send("USER b 0 * :B");
            IrcMessage dm = b.expect("PRIVMSG");
            assertEquals("offline note", dm.params().get(1));
            assertTrue(dm.source().orElseThrow().startsWith("alice!"), dm.toString());
        }
    }

    private static List<IrcMessage> batch(IrcTestClient c) throws Exception {
        IrcMessage open = c.expect("BATCH");
        String id = open.params().getFirst().substring(1);
        assertEquals("chathistory", open.params().get(1));
        List<IrcMessage> in = new ArrayList<>();
        for (IrcMessage m = c.next(); !m.command().equals("BATCH"); m = c.next()) {
            assertEquals(id, m.tags().get("batch"));
            in.add(m);
        }
        return in;
    }
}
