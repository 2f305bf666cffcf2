package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.tls.ClientTrust;
import dev.protokit.common.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris against the web listener: Jetty's idle timeout restarts with every byte, so a
 * client sending a header line now and then held its connection for as long as it liked.
 */
class HeaderDeadlineTest {
    /** The registration timeout the web listener's header deadline is taken from. */
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @TempDir
    Path state;

    private ChatServer start() throws Exception {
        return start(false);
    }

    private ChatServer start(boolean tls) throws Exception {
        var base = tls ? ChatServerConfig.forTests(state).withTls(0, ServerTls.selfSignedIn(state, "irc", "irc.test"))
                : ChatServerConfig.forTests(state);
        var config = new ChatServerConfig(base.chat(), base.stateDir(), base.bind(), base.ircBind(), base.ircPort(),
                base.ircTlsPort(), base.nativePort(), base.limits(), base.idleTimeout(), DEADLINE, base.floodBurst(),
                base.floodRate(), base.maxSendQueue(), base.motd(), base.loginPolicy(), base.extraMigrations(),
                base.listeners(), base.notifier(), base.tls(), base.attachmentQuota());
        return ChatServer.start(config.withExtensions(
                List.of(WebListener.factory(new WebListener.Settings(0, tls, List.of()))), List.of(),
                ChatServerConfig.NotifierFactory.NONE));
    }

    private static int webPort(ChatServer server) {
        return server.listener("web").or(() -> server.listener("webs")).orElseThrow().port();
    }

    @Test
    void aClientDribblingItsHeadersIsClosedAtTheDeadline() throws Exception {
        try (ChatServer server = start(); Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", webPort(server)));
            s.setSoTimeout(100);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            // A header line every 300 ms: each byte restarted Jetty's idle timeout.
            assertClosedWithinTheDeadline(s, i -> ("X-Dribble-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aKeepAliveConnectionMustSendItsNextRequestInTimeToo() throws Exception {
        try (ChatServer server = start(); Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", webPort(server)));
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", first);
            s.setSoTimeout(100);
            assertClosedWithinTheDeadline(s, i -> (i == 0 ? "GET / HTTP/1.1\r\n" : "X-Dribble-" + i + ": x\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aWebSocketSessionOutlivesTheDeadline() throws Exception {
        try (ChatServer server = start(); var c = WsTestClient.open(webPort(server), List.of("text.ircv3.net"))) {
            assertEquals(101, c.status);
            c.sendText("NICK stays");
            c.sendText("USER stays 0 * :Stays");
            c.expect("001");
            Thread.sleep(DEADLINE.multipliedBy(2).toMillis());
            c.sendText("PING :still-here");
            assertTrue(c.expect("PONG").contains("still-here"));
        }
    }

    @Test
    void overTlsAWebSocketSessionOutlivesTheDeadlineAndAStalledHandshakeDoesNot() throws Exception {
        try (ChatServer server = start(true)) {
            int port = webPort(server);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {ClientTrust.fromPem(state.resolve("irc-cert.pem"))}, null);
            var ssl = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
            ssl.startHandshake();
            try (Socket stalled = new Socket();
                 var c = WsTestClient.open(ssl, "irc.test:" + port, Optional.of("https://irc.test:" + port),
                         List.of("text.ircv3.net"))) {
                assertEquals(101, c.status);
                c.sendText("NICK stays"); // within the registration timeout, which is DEADLINE too
                c.sendText("USER stays 0 * :Stays");
                c.expect("001");
                // A TLS record header, then a byte every 300 ms: the handshake never completes.
                stalled.connect(new InetSocketAddress("127.0.0.1", port));
                stalled.setSoTimeout(100);
                stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
                assertClosedWithinTheDeadline(stalled, i -> new byte[] {1});
                Thread.sleep(DEADLINE.multipliedBy(2).toMillis());
                c.sendText("PING :still-here");
                assertTrue(c.expect("PONG").contains("still-here"));
            }
        }
    }

    /**
     * Writes {@code next.apply(i)} on {@code s} every 300 ms until the server closes it; fails if
     * that takes longer than the deadline and some slack. {@code s} has a short read timeout.
     */
    private static void assertClosedWithinTheDeadline(Socket s, IntFunction<byte[]> next) throws IOException {
        long start = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < 60 && !closed; i++) {
            try {
                s.getOutputStream().write(next.apply(i));
                s.getOutputStream().flush();
            } catch (IOException e) {
                break; // reset by the server
            }
            closed = drainedToEnd(s.getInputStream(), 300);
        }
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(took < DEADLINE.toMillis() + 3000, "still open after " + took + " ms of dribbling");
    }

    /** Reads for up to {@code millis}; true if the stream ended (or was reset) meanwhile. */
    private static boolean drainedToEnd(InputStream in, int millis) throws IOException {
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        byte[] buf = new byte[4096];
        while (System.nanoTime() < end) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // nothing yet
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }
}
