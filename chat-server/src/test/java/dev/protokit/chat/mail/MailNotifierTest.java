package dev.protokit.chat.mail;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.protokit.chat.client.ChatConnection;
import dev.protokit.chat.core.Account;
import dev.protokit.chat.server.ChatServer;
import dev.protokit.chat.server.ChatServerConfig;
import dev.protokit.chat.server.NativeListener;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.common.auth.KeyFileWriter;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.retry.Backoff;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline notifications end to end: native client -> core -> outbox in SQLite -> SMTP (GreenMail). */
class MailNotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path state;
    private GreenMail smtp;
    private ChatServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    private ChatServer startChat(int smtpPort) {
        var settings = new MailSettings("127.0.0.1", smtpPort, MailSettings.SmtpSecurity.NONE, Optional.empty(),
                Optional.empty(), "chat@example.org", "chat.test", Duration.ofMillis(400), Duration.ofSeconds(5));
        ChatServerConfig config = ChatServerConfig.forTests(state)
                .withPorts(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(0))
                .withExtensions(List.of(NativeListener.factory(0)), MailOutbox.MIGRATIONS, store -> MailNotifier.start(
                        settings, store, new Backoff(Duration.ofMillis(100), Duration.ofMillis(400)), Clock.systemUTC()));
        server = ChatServer.start(config);
        return server;
    }

    private SharedKey account(String name, Optional<String> email) {
        SharedKey key = KeyFileWriter.generate(new KeyId(name), new SecureRandom());
        server.store().addAccount(Account.create(name, email, false, Instant.now()), key, Optional.empty());
        return key;
    }

    private ChatConnection login(SharedKey key) throws Exception {
        var address = new InetSocketAddress("127.0.0.1", server.listener("native").orElseThrow().port());
        return ChatConnection.open(address, key, WAIT);
    }

    private static ServerMessage.Ack awaitAck(ChatConnection c, String ref) throws Exception {
        while (true) {
            ServerMessage m = c.receive().orElseThrow().message();
            if (m instanceof ServerMessage.Ack ack && ack.ref().equals(Optional.of(ref))) {
                return ack;
            }
        }
    }

    private int pending() {
        return server.store().withConnection("count", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM mail_outbox")) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        });
    }

    @Test
    void directMessagesAndMentionsWhileOfflineArriveAsOneMultipartDigest() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        startChat(smtp.getSmtp().getPort());
        account("bob", Optional.of("bob@example.org"));
        account("carol", Optional.empty());
        try (ChatConnection alice = login(account("alice", Optional.empty()))) {
            alice.send(new ClientMessage.Dm(Optional.of("1"), "bob", "first <b>bold</b> & \"quoted\" ☕", false));
            awaitAck(alice, "1");
            alice.send(new ClientMessage.Dm(Optional.of("2"), "bob", "second", false));
            awaitAck(alice, "2");
            alice.send(new ClientMessage.Join("general", Optional.empty()));
            alice.send(new ClientMessage.Say(Optional.of("3"), "general", "bob: look at this", false));
            awaitAck(alice, "3");
            alice.send(new ClientMessage.Dm(Optional.of("4"), "carol", "carol has no address", false));
            awaitAck(alice, "4");
        }
        assertTrue(smtp.waitForIncomingEmail(WAIT.toMillis(), 1));
        await().atMost(WAIT).until(() -> pending() == 0);
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(1, mails.length, "one digest for three items");
        MimeMessage mail = mails[0];
        assertEquals("chat@example.org", mail.getFrom()[0].toString());
        assertEquals("bob@example.org", mail.getAllRecipients()[0].toString());
        assertEquals("[chat.test] 3 messages while you were away", mail.getSubject());
        assertEquals("auto-generated", mail.getHeader("Auto-Submitted")[0]);
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        var parts = (MimeMultipart) mail.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).getContentType().toLowerCase().startsWith("text/plain; charset=utf-8"));
        assertTrue(parts.getBodyPart(1).getContentType().toLowerCase().startsWith("text/html; charset=utf-8"));
        String text = ((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n");
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(text.contains("alice, direct message:\n    first <b>bold</b> & \"quoted\" ☕"), text);
        assertTrue(text.contains("alice in #general (mentioned you):\n    bob: look at this"), text);
        assertTrue(text.contains("To stop these mails"), text);
        assertTrue(html.contains("first &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; ☕"), html);
        assertFalse(html.contains("<b>bold"), html);
        assertTrue(html.contains("To stop these mails"), html);
    }

    @Test
    void anUnreachableThenRefusingServerDelaysMailWithoutLosingItOrBlockingChat() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        startChat(port);
        account("bob", Optional.of("bob@example.org"));
        try (ChatConnection alice = login(account("alice", Optional.empty()))) {
            alice.send(new ClientMessage.Dm(Optional.of("1"), "bob", "while the mail server is down", false));
            awaitAck(alice, "1");
            await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pending() == 1);
            // A server that answers every connection with 554 (RFC 5321 4.3.2): refused, kept, retried.
            try (ServerSocket refusing = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                Thread refuser = Thread.ofVirtual().start(() -> {
                    while (!refusing.isClosed()) {
                        try (Socket s = refusing.accept(); OutputStream out = s.getOutputStream()) {
                            out.write("554 5.3.2 no service today\r\n".getBytes(StandardCharsets.US_ASCII));
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                alice.send(new ClientMessage.Dm(Optional.of("2"), "bob", "while it refuses", false));
                awaitAck(alice, "2");
                await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pending() == 2);
                refusing.close();
                refuser.join();
            }
            smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            assertTrue(smtp.waitForIncomingEmail(WAIT.toMillis(), 1));
            await().atMost(WAIT).until(() -> pending() == 0);
            String text = (String) ((MimeMultipart) smtp.getReceivedMessages()[0].getContent()).getBodyPart(0).getContent();
            assertTrue(text.contains("while the mail server is down") && text.contains("while it refuses"), text);
        }
    }
}
