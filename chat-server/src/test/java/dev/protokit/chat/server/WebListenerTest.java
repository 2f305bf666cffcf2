package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.web.SecurityHeaders;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web listener on a real port: the IRCv3 WebSocket transport, its refusals, and the HTTP side's headers. */
class WebListenerTest {
    @TempDir
    Path state;
    ChatServer server;
    int ircPort;
    int webPort;

    @BeforeEach
    void start() {
        server = ChatServer.start(ChatServerConfig.forTests(state).withExtensions(
                List.of(WebListener.factory(new WebListener.Settings(0, false, List.of("https://app.example")))), List.of(),
                ChatServerConfig.NotifierFactory.NONE));
        ircPort = server.ircPort();
        webPort = server.listener("web").orElseThrow().port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A JDK WebSocket client collecting whole messages, text or binary, as strings with their kind. */
    record Received(boolean binary, String text) {}

    static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<Received> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(new Received(false, text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.writeBytes(b);
            if (last) {
                messages.add(new Received(true, bytes.toString(StandardCharsets.UTF_8)));
                bytes.reset();
            }
            ws.request(1);
            return null;
        }

        Received until(String command) throws InterruptedException {
            while (true) {
                Received r = messages.poll(IrcTestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
                if (r == null) {
                    throw new AssertionError("timed out waiting for " + command);
                }
                if (dev.protokit.chat.irc.IrcCodec.parse(r.text()).command().equals(command)) {
                    return r;
                }
            }
        }
    }

    private WebSocket jdkClient(String subprotocol, Collector collector) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols(subprotocol)
                .buildAsync(URI.create("ws://127.0.0.1:" + webPort + "/irc"), collector)
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void bothSubprotocolsCarryOneIrcLinePerMessage() throws Exception {
        for (String protocol : List.of("text.ircv3.net", "binary.ircv3.net")) {
            var c = new Collector();
            WebSocket ws = jdkClient(protocol, c);
            assertEquals(protocol, ws.getSubprotocol());
            String nick = protocol.startsWith("text") ? "tess" : "bina";
            ws.sendText("NICK " + nick, true).get(30, TimeUnit.SECONDS);
            // Clients may send binary frames under either subprotocol.
            ws.sendBinary(ByteBuffer.wrap(("USER " + nick + " 0 * :Web").getBytes(StandardCharsets.UTF_8)), true)
                    .get(30, TimeUnit.SECONDS);
            Received welcome = c.until("001");
            assertEquals(protocol.startsWith("binary"), welcome.binary(), protocol);
            assertFalse(welcome.text().contains("\r") || welcome.text().contains("\n"), welcome.text());
            assertTrue(welcome.text().contains(nick + "!~" + nick + "@127.0.0.1"), welcome.text());
            c.until("376");
            ws.sendText("PING :web", true).get(30, TimeUnit.SECONDS);
            assertEquals("PONG", dev.protokit.chat.irc.IrcCodec.parse(c.until("PONG").text()).command());
            ws.sendText("QUIT :bye", true).get(30, TimeUnit.SECONDS);
            c.until("ERROR");
        }
    }

    /**
     * Replies queued together leave in one write of many lines, which the connection hands
     * Jetty as batched frames: each must still be its own message, whole, in order, and valid
     * UTF-8 under either framing.
     */
    @Test
    void aBurstOfRepliesArrivesOneWholeLinePerMessageInOrder() throws Exception {
        for (String protocol : List.of("text.ircv3.net", "binary.ircv3.net")) {
            try (var ws = WsTestClient.open(webPort, List.of(protocol))) {
                String nick = protocol.startsWith("text") ? "burst" : "bursb";
                ws.sendText("NICK " + nick);
                ws.sendText("USER " + nick + " 0 * :Web");
                ws.expect("376");
                int n = 18; // under the test server's flood burst of 20
                for (int i = 0; i < n; i++) {
                    ws.sendText("PING :burst-\u00fc\u20ac-" + i);
                }
                for (int i = 0; i < n; i++) {
                    WsTestClient.Frame f;
                    do {
                        f = ws.next().orElseThrow(() -> new AssertionError("closed"));
                    } while (!f.text().contains(" PONG "));
                    assertEquals(protocol.startsWith("binary") ? WsTestClient.BINARY : WsTestClient.TEXT, f.opcode(), protocol);
                    assertTrue(f.text().endsWith(" :burst-\u00fc\u20ac-" + i) && !f.text().contains("\n") && !f.text().contains("\r"),
                            protocol + " " + i + ": " + f.text());
                }
            }
        }
    }

    @Test
    void ircTcpAndWebSocketClientsExchangeMessagesBothWays() throws Exception {
        var c = new Collector();
        WebSocket ws = jdkClient("text.ircv3.net", c);
        ws.sendText("NICK webby", true).get(30, TimeUnit.SECONDS);
        ws.sendText("USER webby 0 * :Web", true).get(30, TimeUnit.SECONDS);
        c.until("376");
        ws.sendText("JOIN #both", true).get(30, TimeUnit.SECONDS);
        c.until("366");
        try (var tcp = IrcTestClient.register(ircPort, "tcpy")) {
            tcp.send("JOIN #both");
            tcp.expect("366");
            c.until("JOIN");
            tcp.send("PRIVMSG #both :from tcp");
            Received got = c.until("PRIVMSG");
            assertTrue(got.text().startsWith(":tcpy!") && got.text().endsWith(":from tcp"), got.text());
            ws.sendText("PRIVMSG #both :from the web", true).get(30, TimeUnit.SECONDS);
            var m = tcp.expect("PRIVMSG");
            assertEquals("from the web", m.params().getLast());
            assertTrue(m.source().orElseThrow().startsWith("webby!"), m.toString());
        }
    }

    @Test
    void refusesAForeignOriginAndAnUnknownSubprotocolWithHeadersOn() throws Exception {
        String host = "127.0.0.1:" + webPort;
        try (var evil = WsTestClient.open(new Socket("127.0.0.1", webPort), host, Optional.of("https://evil.example"),
                List.of("text.ircv3.net"))) {
            assertEquals(403, evil.status);
            assertEquals(SecurityHeaders.CSP, evil.headers.get("content-security-policy"));
        }
        // A DNS-rebound name: Host and Origin agree, but the name is not the server's.
        try (var rebound = WsTestClient.open(new Socket("127.0.0.1", webPort), "rebind.example:" + webPort,
                Optional.of("http://rebind.example:" + webPort), List.of("text.ircv3.net"))) {
            assertEquals(403, rebound.status);
        }
        try (var wrong = WsTestClient.open(new Socket("127.0.0.1", webPort), host, Optional.empty(), List.of("chat.example.v1"))) {
            assertEquals(400, wrong.status);
        }
        for (String allowed : List.of("http://127.0.0.1:" + webPort, "http://localhost:" + webPort, "https://app.example")) {
            try (var ok = WsTestClient.open(new Socket("127.0.0.1", webPort), host, Optional.of(allowed),
                    List.of("binary.ircv3.net"))) {
                assertEquals(101, ok.status, allowed);
                assertEquals("binary.ircv3.net", ok.headers.get("sec-websocket-protocol"));
            }
        }
        stillServes();
    }

    @Test
    void overlongAndMultiLineMessagesAreRefusedAndAnOversizedFrameClosesOnlyThatClient() throws Exception {
        try (var c = WsTestClient.open(webPort, List.of("text.ircv3.net"))) {
            c.sendText("NICK big");
            c.sendText("USER big 0 * :Big");
            c.expect("376");
            c.sendText("PRIVMSG big :" + "x".repeat(IrcSession.MAX_LINE_BYTES));
            assertTrue(c.expect("417").contains("too long"));
            // A second command smuggled behind a line end inside one message is refused whole.
            c.sendText("PING :a\r\nJOIN #smuggled");
            assertTrue(c.expect("FAIL").contains("INVALID_LINE"));
            c.sendText("PING :still");
            c.expect("PONG");
            assertTrue(server.core().room("smuggled").isEmpty(), "nothing after the line end was run");
            c.sendFrame(WsTestClient.TEXT, "x".repeat(WebListener.MAX_MESSAGE_BYTES + 1).getBytes(StandardCharsets.US_ASCII));
            var close = c.awaitClose();
            assertTrue(close.isPresent() && close.get().closeStatus() == 1009, "closed with 1009 (message too big)");
        }
        stillServes();
    }

    @Test
    void pagesCarryTheSecurityHeadersAndOnlyListedFilesExist() throws Exception {
        var http = HttpClient.newHttpClient();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("content-type").orElseThrow());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/secret.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        // Jetty refuses an ambiguous path itself; its answer carries the headers as well.
        HttpResponse<String> ambiguous = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + "/%2e%2e/pom.xml")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(ambiguous.statusCode() == 400 || ambiguous.statusCode() == 404, "refused: " + ambiguous.statusCode());
        assertFalse(ambiguous.body().contains("<project"), "nothing outside the site is served");
        for (var r : List.of(index, missing, ambiguous)) {
            assertEquals(SecurityHeaders.CSP, r.headers().firstValue("content-security-policy").orElseThrow());
            assertEquals("DENY", r.headers().firstValue("x-frame-options").orElseThrow());
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
            assertTrue(r.headers().firstValue("strict-transport-security").isEmpty(), "no HSTS over plain HTTP");
            assertTrue(r.headers().firstValue("server").isEmpty(), "no server version");
        }
        assertFalse(SecurityHeaders.CSP.contains("unsafe-inline"));
    }

    /** A new WebSocket client still registers. */
    private void stillServes() throws Exception {
        try (var c = WsTestClient.open(webPort, List.of("text.ircv3.net"))) {
            assertEquals(101, c.status);
            c.sendText("NICK after");
            c.sendText("USER after 0 * :After");
            c.expect("001");
        }
    }
}
