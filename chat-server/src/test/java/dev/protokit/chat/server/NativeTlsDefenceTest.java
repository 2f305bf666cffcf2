package dev.protokit.chat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.client.ChatConnection;
import dev.protokit.chat.client.Dialer;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.common.tls.ClientTrust;
import dev.protokit.common.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --native-tls} under hostile peers: more connections than carrier threads that never
 * start TLS or dribble a byte at a time hold nothing up; a real client still logs in; each is
 * closed at the handshake deadline; and shutdown stays within its grace period meanwhile. Logged-in
 * clients that stop reading are cut by the send-queue limit, as on plain TCP, and the room goes on.
 */
class NativeTlsDefenceTest {
    @TempDir
    Path state;

    @Test
    void silentAndDribblingPeersNeitherStallLoginsNorOutliveTheHandshakeDeadlineNorShutdown() throws Exception {
        var base = ChatServerConfig.forTests(state).withTls(0, ServerTls.selfSignedInMemory("localhost"))
                .withTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(1));
        var chat = new NativeFixture(base, 1024, true);
        List<Socket> hostile = new ArrayList<>();
        List<Thread> dribblers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) { // three times the carrier threads of this 2-core box
                Socket s = new Socket("127.0.0.1", chat.port());
                hostile.add(s);
                if (i % 2 == 1) {
                    dribblers.add(Thread.ofVirtual().start(() -> dribble(s)));
                }
            }
            SSLContext trustAny = SSLContext.getInstance("TLS");
            trustAny.init(null, new TrustManager[] {ClientTrust.acceptAny()}, null);
            var dialer = new Dialer(chat.address(), Optional.of(trustAny), false);
            try (ChatConnection alice = ChatConnection.open(dialer, chat.account("alice"), NativeFixture.WAIT)) {
                assertEquals("alice", alice.welcome().account(), "a real client logs in beside them");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> hostile.stream().allMatch(NativeTlsDefenceTest::closedByPeer));

            for (int i = 0; i < 4; i++) { // fresh ones, still in their handshake when the server stops
                hostile.add(new Socket("127.0.0.1", chat.port()));
            }
            long start = System.nanoTime();
            chat.server.shutdown(Duration.ofSeconds(1));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000 + 2000 + 1000, "shutdown took " + millis + " ms with peers in their TLS handshake");
        } finally {
            dribblers.forEach(Thread::interrupt);
            for (Socket s : hostile) {
                s.close();
            }
            chat.close();
        }
    }

    @Test
    void clientsThatStopReadingOverTlsAreCutAndNeverStallTheRoom() throws Exception {
        int stalled = Runtime.getRuntime().availableProcessors() * 4 + 4; // more than carrier threads
        var base = ChatServerConfig.forTests(state).withTls(0, ServerTls.selfSignedInMemory("localhost"))
                .withFlood(10_000, 10_000, 16 * 1024);
        var chat = new NativeFixture(base, 1024, true);
        SSLContext trustAny = SSLContext.getInstance("TLS");
        trustAny.init(null, new TrustManager[] {ClientTrust.acceptAny()}, null);
        var dialer = new Dialer(chat.address(), Optional.of(trustAny), false);
        List<ChatConnection> sleepers = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                ChatConnection sleeper = ChatConnection.open(dialer, chat.account("sleeper" + i), NativeFixture.WAIT);
                sleepers.add(sleeper);
                sleeper.send(new ClientMessage.Join("busy", Optional.empty())); // and never reads again
            }
            StalledRoom.check(chat.server, stalled);
        } finally {
            for (ChatConnection s : sleepers) {
                s.close();
            }
            chat.close();
        }
    }

    /** Sends a TLS record header one byte every 200 ms, then nothing, until the server hangs up. */
    private static void dribble(Socket socket) {
        byte[] start = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : start) {
                out.write(b);
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the server: what the test waits for
        }
    }

    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(50);
            InputStream in = socket.getInputStream();
            return in.read() < 0 || in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
