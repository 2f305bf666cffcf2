package dev.protokit.common.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpServerTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    /** Echoes lines; "login" completes the handshake. */
    private static final ConnectionHandler ECHO = session -> {
        var in = new BufferedReader(new InputStreamReader(session.in(), StandardCharsets.UTF_8));
        var out = new PrintWriter(session.out(), true, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("login")) {
                session.handshakeComplete();
            }
            out.println(line);
        }
    };

    private TcpServer start(ConnectionLimits limits, Duration idle, Duration handshake, ConnectionHandler handler) {
        var server = TcpServer.start(new TcpServer.Config("test-server", ANY_LOOPBACK, limits, idle, handshake), handler);
        toClose.add(server);
        return server;
    }

    private Socket connect(TcpServer server) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        toClose.add(socket);
        return socket;
    }

    private static String roundTrip(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void servesConnectionsOnAnEphemeralPort() throws IOException {
        var server = start(new ConnectionLimits(10, 10), Duration.ofSeconds(30), Duration.ZERO, ECHO);
        assertTrue(server.port() > 0);
        assertEquals("hello", roundTrip(connect(server), "hello"));
    }

    @Test
    void refusesPastThePerAddressLimitAndTellsThePeer() throws IOException {
        var server = start(new ConnectionLimits(10, 1), Duration.ofSeconds(30), Duration.ZERO, new ConnectionHandler() {
            @Override
            public void handle(Session session) throws Exception {
                ECHO.handle(session);
            }

            @Override
            public void rejected(Socket socket, Rejection rejection) throws IOException {
                socket.getOutputStream().write(("busy: " + rejection.reason() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        var first = connect(server);
        assertEquals("one", roundTrip(first, "one"));
        var second = connect(server);
        var reply = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("busy: too many sessions from this address", reply.readLine());
        assertEquals(null, reply.readLine());
        assertEquals("still", roundTrip(first, "still"));
    }

    @Test
    void closesASessionThatMissesItsHandshakeDeadline() throws IOException {
        // Deadlines far above a loaded machine's scheduling delays: the logged-in client must beat it.
        var server = start(new ConnectionLimits(10, 10), Duration.ofSeconds(30), Duration.ofMillis(1500), ECHO);
        var loggedIn = connect(server);
        assertEquals("login", roundTrip(loggedIn, "login"));
        var silent = connect(server);
        assertEquals(-1, silent.getInputStream().read());
        await().pollDelay(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertEquals("after", roundTrip(loggedIn, "after"));
    }

    @Test
    void closesAnIdleSession() throws IOException {
        var server = start(new ConnectionLimits(10, 10), Duration.ofMillis(1500), Duration.ZERO, ECHO);
        var idle = connect(server);
        assertEquals("x", roundTrip(idle, "x"));
        assertEquals(-1, idle.getInputStream().read());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeSessions() == 0);
    }

    @Test
    void shutdownDrainsThenForcesAndStopsAccepting() throws Exception {
        var release = new CountDownLatch(1);
        var server = start(new ConnectionLimits(10, 10), Duration.ofSeconds(30), Duration.ZERO, session -> {
            session.out().write('!');
            release.await();
        });
        var busy = connect(server);
        assertEquals('!', busy.getInputStream().read());
        long start = System.nanoTime();
        server.shutdown(Duration.ofMillis(300));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 250, "drained for " + tookMillis + " ms");
        assertEquals(-1, busy.getInputStream().read());
        assertEquals(0, server.activeSessions());
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close());
        release.countDown();
    }

    @Test
    void aGoodbyeThatBlocksForeverDoesNotHoldUpShutdown() throws Exception {
        var never = new CountDownLatch(1);
        var server = start(new ConnectionLimits(10, 10), Duration.ofSeconds(30), Duration.ZERO, session -> {
            session.onServerStop(() -> {
                try {
                    never.await();          // a goodbye written to a peer that never reads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            session.out().write('!');
            session.in().read();
        });
        for (int i = 0; i < 3; i++) {
            assertEquals('!', connect(server).getInputStream().read());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> server.shutdown(Duration.ofMillis(200)));
        assertEquals(0, server.activeSessions());
        never.countDown();
    }

    @Test
    void aConnectionAcceptedAsShutdownBeginsGivesBackItsSocketAndPermit() throws IOException {
        var limiter = new AddressLimiter(new ConnectionLimits(1, 1));
        var stopped = Executors.newVirtualThreadPerTaskExecutor();
        stopped.shutdown();
        try (var peer = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var socket = new Socket(InetAddress.getLoopbackAddress(), peer.getLocalPort());
            var admitted = (AddressLimiter.Admitted) limiter.admit(InetAddress.getLoopbackAddress());
            TcpServer.hand(stopped, socket, admitted.permit(), () -> { });
            assertTrue(socket.isClosed());
            assertTrue(limiter.admit(InetAddress.getLoopbackAddress()) instanceof AddressLimiter.Admitted,
                    "the permit was given back");
        }
    }

    @Test
    void refusesTimeoutsASocketCannotHold() {
        var bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        assertThrows(IllegalArgumentException.class, () -> new TcpServer.Config("t", bind, new ConnectionLimits(1, 1),
                Duration.ofDays(25), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new TcpServer.Config("t", bind, new ConnectionLimits(1, 1),
                Duration.ZERO, Duration.ofMillis(-1)));
    }

    @Test
    void aHandlerFailureEndsOnlyItsSession() throws IOException {
        var server = start(new ConnectionLimits(10, 10), Duration.ofSeconds(30), Duration.ZERO, session -> {
            int b = session.in().read();
            if (b == 'X') {
                throw new IllegalStateException("boom");
            }
            OutputStream out = session.out();
            out.write(b);
        });
        assertEquals(-1, roundTripByte(connect(server), 'X'));
        assertEquals('a', roundTripByte(connect(server), 'a'));
    }

    @Test
    void explainsAPortAlreadyInUse() {
        var server = start(new ConnectionLimits(10, 10), Duration.ofSeconds(30), Duration.ZERO, ECHO);
        var clash = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        var e = assertThrows(StartupException.class, () -> TcpServer.start(
                new TcpServer.Config("clash", clash, new ConnectionLimits(1, 1), Duration.ZERO, Duration.ZERO), ECHO));
        assertEquals("tcp 127.0.0.1:" + server.port() + " is already in use (is another server running?)", e.getMessage());
    }

    @Test
    void aSuspendedSessionOutlivesItsHandlerThreadUntilResumedAndKeepsItsPermit() throws Exception {
        var resume = new java.util.concurrent.LinkedBlockingQueue<Session>();
        var server = TcpServer.start(new TcpServer.Config("test-server", ANY_LOOPBACK, new ConnectionLimits(10, 1),
                Duration.ofSeconds(30), Duration.ZERO, true), session -> {
            session.out().write(session.in().read());
            assertTrue(session.socket().getChannel() != null, "channels were asked for");
            session.suspend(() -> resume.add(session)); // once this thread has returned
        });
        toClose.add(server);
        Socket first = connect(server);
        assertEquals('a', roundTripByte(first, 'a'));
        Session suspended = resume.poll(30, TimeUnit.SECONDS);
        assertEquals(1, server.activeSessions(), "suspended, not ended");
        assertEquals(-1, connect(server).getInputStream().read(), "the permit is still held: a second connection is refused");
        var resumed = Thread.ofVirtual().start(() -> suspended.resume(() -> suspended.out().write(suspended.in().read() + 1)));
        assertEquals('c', roundTripByte(first, 'b'));
        resumed.join();
        assertEquals(-1, first.getInputStream().read(), "the resumed body returned: the session ended");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.activeSessions() == 0);
        Socket third = connect(server);
        assertEquals('x', roundTripByte(third, 'x'));
        resume.poll(30, TimeUnit.SECONDS).resume(() -> { });
        assertEquals(-1, third.getInputStream().read());
    }

    private static int roundTripByte(Socket socket, int b) throws IOException {
        socket.getOutputStream().write(b);
        return socket.getInputStream().read();
    }
}
