package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.tls.ClientTrust;
import dev.protokit.common.tls.ServerTls;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile WebSocket clients against the web listener: never-readers, limits, TLS, shutdown. */
class WebDefenceTest {
    @TempDir
    Path state;

    private static ChatServerConfig withWeb(ChatServerConfig config, boolean tls) {
        return config.withExtensions(List.of(WebListener.factory(new WebListener.Settings(0, tls, List.of()))), List.of(),
                ChatServerConfig.NotifierFactory.NONE);
    }

    private static ChatServerConfig withLimits(ChatServerConfig base, ConnectionLimits limits) {
        return new ChatServerConfig(base.chat(), base.stateDir(), base.bind(), base.ircBind(), base.ircPort(), base.ircTlsPort(),
                base.nativePort(), limits, base.idleTimeout(), base.registrationTimeout(), base.floodBurst(),
                base.floodRate(), base.maxSendQueue(), base.motd(), base.loginPolicy(), base.extraMigrations(), base.listeners(),
                base.notifier(), base.tls(), base.attachmentQuota());
    }

    private static int webPort(ChatServer server) {
        return server.listener("web").or(() -> server.listener("webs")).orElseThrow().port();
    }

    @Test
    void webSocketClientsThatNeverReadAreCutAndNeverStallTheRoom() throws Exception {
        // More stalled clients than carrier threads: the fan-out must not wait for any of them.
        int stalled = Runtime.getRuntime().availableProcessors() * 2 + 2;
        var config = withWeb(ChatServerConfig.forTests(state).withFlood(10_000, 10_000, 16 * 1024), false);
        try (ChatServer server = ChatServer.start(config)) {
            int web = webPort(server);
            List<WsTestClient> sleepers = new ArrayList<>();
            for (int i = 0; i < stalled; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", web));
                var c = WsTestClient.open(s, "127.0.0.1:" + web, Optional.empty(), List.of("text.ircv3.net"));
                assertEquals(101, c.status);
                c.sendText("NICK z" + i);
                c.sendText("USER z 0 * :z");
                c.sendText("JOIN #busy");
                sleepers.add(c); // and never read again
            }
            try {
                StalledRoom.check(server, stalled);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> server.listener("web").orElseThrow().activeSessions() == 0);
            } finally {
                for (WsTestClient s : sleepers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void perAddressLimitRefusesTheExtraSessionWithAnIrcError() throws Exception {
        var limited = withLimits(ChatServerConfig.forTests(state), new ConnectionLimits(16, 2));
        try (ChatServer server = ChatServer.start(withWeb(limited, false));
             var a = WsTestClient.open(webPort(server), List.of("text.ircv3.net"));
             var b = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
            a.sendText("NICK one");
            b.sendText("NICK two");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> server.listener("web").orElseThrow().activeSessions() == 2);
            try (var c = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
                assertTrue(c.expect("ERROR").contains("too many connections"));
                var close = c.awaitClose();
                assertEquals(1013, close.orElseThrow().closeStatus());
            }
            a.close();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> server.listener("web").orElseThrow().activeSessions() == 1);
            try (var d = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
                d.sendText("NICK three");
                d.sendText("USER three 0 * :Three");
                d.expect("001");
            }
        }
    }

    @Test
    void oneAddressHoldingIdleConnectionsCannotTakeEveryPlace() throws Exception {
        // Jetty counted connections overall only: 16 silent sockets from 127.0.0.2 took every
        // place of --max-connections and a client from 127.0.0.1 was never answered.
        var limited = withLimits(ChatServerConfig.forTests(state), new ConnectionLimits(16, 2));
        try (ChatServer server = ChatServer.start(withWeb(limited, false))) {
            int web = webPort(server);
            int allowed = 2 + WebConnectionLimit.BROWSER_CONNECTIONS;
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket s = new Socket();
                    s.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", web), 2000);
                    s.setSoTimeout(100);
                    idle.add(s);
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closedByServer(idle) == idle.size() - allowed);
                var legit = new Socket();
                legit.setSoTimeout(5000);
                legit.connect(new java.net.InetSocketAddress("127.0.0.1", web), 2000);
                try (var c = WsTestClient.open(legit, "127.0.0.1:" + web, Optional.empty(), List.of("text.ircv3.net"))) {
                    assertEquals(101, c.status);
                    c.sendText("NICK legit");
                    c.sendText("USER legit 0 * :Legit");
                    c.expect("001");
                }
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    private static int closedByServer(List<Socket> sockets) {
        int closed = 0;
        for (Socket s : sockets) {
            try {
                if (s.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (java.io.IOException e) {
                closed++;
            }
        }
        return closed;
    }

    @Test
    void overTlsTheSameCertificateServesWssWithHstsAndSaslPlain() throws Exception {
        SSLContext serverTls = ServerTls.selfSignedIn(state, "irc", "irc.test");
        var config = withWeb(ChatServerConfig.forTests(state).withTls(0, serverTls), true);
        try (ChatServer server = ChatServer.start(config)) {
            server.store().addAccount(dev.protokit.chat.core.Account.create("alice", Optional.empty(), false, java.time.Instant.now()),
                    new dev.protokit.common.auth.SharedKey(new dev.protokit.common.auth.KeyId("alice"), new byte[32]),
                    Optional.of(dev.protokit.chat.core.ScramVerifier.derive("pencil".toCharArray(), new byte[16], 4096)));
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {ClientTrust.fromPem(state.resolve("irc-cert.pem"))}, null);
            int port = server.listener("webs").orElseThrow().port();
            var ssl = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
            ssl.startHandshake();
            try (var c = WsTestClient.open(ssl, "irc.test:" + port, Optional.of("https://irc.test:" + port), List.of("text.ircv3.net"))) {
                assertEquals(101, c.status);
                assertEquals("max-age=31536000", c.headers.get("strict-transport-security"));
                c.sendText("CAP LS 302");
                c.sendText("NICK alice");
                c.sendText("USER alice 0 * :Alice");
                c.expect("CAP");
                c.sendText("CAP REQ :sasl");
                c.expect("CAP");
                c.sendText("AUTHENTICATE PLAIN");
                c.expect("AUTHENTICATE");
                c.sendText("AUTHENTICATE " + java.util.Base64.getEncoder().encodeToString("\0alice\0pencil".getBytes()));
                c.expect("903");
                c.sendText("CAP END");
                assertTrue(c.expect("001").contains("alice!alice@"));
            }
        }
    }

    @Test
    void aWebSocketFloodIsDelayedThenDisconnectedLikeOnTcp() throws Exception {
        var config = withWeb(ChatServerConfig.forTests(state).withFlood(5, 50, 64 * 1024), false);
        try (ChatServer server = ChatServer.start(config); var c = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
            c.sendText("NICK fl");
            c.sendText("USER fl 0 * :fl");
            c.expect("001");
            for (int i = 0; i < 200; i++) {
                c.sendText("PING :" + i);
            }
            int pongs = 0;
            String last = "";
            for (var f = c.next(); f.isPresent() && f.get().opcode() != WsTestClient.CLOSE; f = c.next()) {
                last = f.get().text();
                if (last.contains(" PONG ")) {
                    pongs++;
                }
                if (last.startsWith("ERROR")) {
                    break;
                }
            }
            assertTrue(last.startsWith("ERROR :Closing Link") && last.contains("Excess Flood"), last);
            assertTrue(pongs >= 5 && pongs < 200, "a burst passed, then the rest was refused: " + pongs);
        }
    }

    @Test
    void aWebSocketThatNeverRegistersIsClosedAtTheDeadline() throws Exception {
        var config = withWeb(ChatServerConfig.forTests(state).withTimeouts(Duration.ofMinutes(1), Duration.ofSeconds(1)), false);
        try (ChatServer server = ChatServer.start(config); var c = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
            c.sendText("NICK slow");
            var close = c.awaitClose();
            assertTrue(c.seen.stream().noneMatch(l -> l.contains(" 001 ")), c.seen.toString());
            assertTrue(close.isEmpty() || close.get().opcode() == WsTestClient.CLOSE, "closed");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> server.listener("web").orElseThrow().activeSessions() == 0);
        }
    }

    @Test
    void aBinaryMessageThatIsNotUtf8IsRefusedAndTheConnectionStays() throws Exception {
        try (ChatServer server = ChatServer.start(withWeb(ChatServerConfig.forTests(state), false));
             var c = WsTestClient.open(webPort(server), List.of("binary.ircv3.net"))) {
            c.sendText("NICK bin");
            c.sendText("USER bin 0 * :bin");
            c.expect("001");
            c.sendFrame(WsTestClient.BINARY, new byte[] {'P', 'I', 'N', 'G', ' ', (byte) 0xC3, (byte) 0x28});
            assertTrue(c.expect("FAIL").contains("INVALID_LINE"));
            c.sendFrame(WsTestClient.BINARY, "PING :ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(c.expect("PONG").endsWith("ok"));
        }
    }

    @Test
    void shutdownTellsWebSocketClientsAndTheServerStops() throws Exception {
        ChatServer server = ChatServer.start(withWeb(ChatServerConfig.forTests(state), false));
        try (var c = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
            c.sendText("NICK bye");
            c.sendText("USER bye 0 * :Bye");
            c.expect("001");
            Thread stopper = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofSeconds(10)));
            assertTrue(c.expect("ERROR").contains("Server shutting down"));
            assertEquals(1000, c.awaitClose().orElseThrow().closeStatus());
            stopper.join();
        }
    }
}
