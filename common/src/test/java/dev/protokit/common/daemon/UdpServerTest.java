package dev.protokit.common.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.AddressLimiter.Admitted;
import dev.protokit.common.daemon.AddressLimiter.Refused;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UdpServerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration LONG = Duration.ofSeconds(20);

    private static UdpServer.Config config(int max, int perAddress, Duration idle, Duration handshake) {
        return new UdpServer.Config("udp-test", new ConnectionLimits(max, perAddress), idle, handshake,
                RequestRate.Policy.defaults(), 512, UdpServer.SessionThreads.VIRTUAL);
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void answersInTheListenerThreadAndSurvivesAFailingHandler() throws Exception {
        try (var server = UdpServer.start(config(4, 4, Duration.ZERO, Duration.ZERO), LOOPBACK, srv -> in -> {
                 String request = text(in.packet());
                 if (request.equals("boom")) {
                     throw new IllegalStateException("handler failure");
                 }
                 if (in.withinRate()) {
                     in.reply(bytes(request.toUpperCase()));
                 }
             });
             var client = DatagramChannel.open()) {
            client.socket().setSoTimeout(10_000);
            for (String s : List.of("boom", "one", "two")) {
                client.send(bytes(s), server.localAddress());
            }
            var answers = new CopyOnWriteArrayList<String>();
            for (int i = 0; i < 2; i++) {
                var in = ByteBuffer.allocate(64);
                client.receive(in);
                answers.add(text(in.flip()));
            }
            assertEquals(List.of("ONE", "TWO"), answers);
        }
    }

    @Test
    void cutsASessionThatNeverCompletesItsHandshakeAndFreesItsPlaceAtOnce() throws Exception {
        var release = new CountDownLatch(1);
        var cuts = new CopyOnWriteArrayList<SessionOutcome>();
        try (var server = UdpServer.start(config(1, 1, Duration.ZERO, Duration.ofMillis(300)), LOOPBACK, srv -> in -> { })) {
            var peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);
            var permit = assertInstanceOf(Admitted.class, server.admit(peer.getAddress())).permit();
            var session = server.startSession(permit, peer, s -> {
                s.onCut(cuts::add);
                // A task deaf to interrupts (stuck in uninterruptible work) still loses its place.
                while (!release.await(10, TimeUnit.SECONDS)) {
                    Thread.onSpinWait();
                }
            });
            assertTrue(session.isPresent());
            assertTrue(server.hasSession(peer));
            assertInstanceOf(Refused.class, server.admit(InetAddress.getLoopbackAddress()));
            await().atMost(LONG).until(() -> server.activeSessions() == 0);
            assertEquals(List.of(SessionOutcome.HANDSHAKE_TIMEOUT), cuts);
            assertEquals(0, server.limiter().active());
            assertInstanceOf(Admitted.class, server.admit(InetAddress.getLoopbackAddress()));
            assertEquals(SessionOutcome.HANDSHAKE_TIMEOUT, session.get().cutReason().orElseThrow());
            release.countDown();
        }
    }

    @Test
    void cutsAnIdleSessionByItsOwnLimitAndKeepsOneThatProgresses() throws Exception {
        var stop = new CountDownLatch(1);
        try (var server = UdpServer.start(config(8, 8, Duration.ofMinutes(5), Duration.ZERO), LOOPBACK, srv -> in -> { })) {
            var idle = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001);
            var busy = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_002);
            var idleSession = server.startSession(server.limiter().tryAcquire(idle.getAddress()).orElseThrow(), idle, s -> {
                s.idleLimit(Duration.ofMillis(400));
                stop.await();
            }).orElseThrow();
            var busySession = server.startSession(server.limiter().tryAcquire(busy.getAddress()).orElseThrow(), busy, s -> {
                s.idleLimit(Duration.ofMillis(400));
                while (!stop.await(50, TimeUnit.MILLISECONDS)) {
                    s.progressed();
                }
            }).orElseThrow();
            await().atMost(LONG).until(() -> idleSession.cutReason().isPresent());
            assertEquals(SessionOutcome.IDLE_TIMEOUT, idleSession.cutReason().get());
            assertFalse(busySession.cutReason().isPresent());
            assertEquals(1, server.activeSessions());
            stop.countDown();
            await().atMost(LONG).until(() -> server.activeSessions() == 0);
        }
    }

    @Test
    void theWatchdogSurvivesAFailingCutAction() throws Exception {
        var cut = new AtomicInteger();
        try (var server = UdpServer.start(config(8, 8, Duration.ofMillis(200), Duration.ZERO), LOOPBACK, srv -> in -> { })) {
            for (int port = 40_010; port < 40_013; port++) {
                var peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                server.startSession(server.limiter().tryAcquire(peer.getAddress()).orElseThrow(), peer, s -> {
                    s.onCut(why -> {
                        cut.incrementAndGet();
                        throw new IllegalStateException("cut action failure");
                    });
                    new CountDownLatch(1).await();
                }).orElseThrow();
            }
            await().atMost(LONG).until(() -> cut.get() == 3 && server.activeSessions() == 0);
        }
    }

    @Test
    void shutdownDrainsForTheGraceThenCutsTheRest() throws Exception {
        var finishing = new CountDownLatch(1);
        var started = new CountDownLatch(2);
        var outcomes = new CopyOnWriteArrayList<SessionOutcome>();
        var server = UdpServer.start(config(8, 8, Duration.ZERO, Duration.ZERO), LOOPBACK, srv -> in -> { });
        var quick = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_020);
        var stuck = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_021);
        server.startSession(server.limiter().tryAcquire(quick.getAddress()).orElseThrow(), quick,
                s -> {
                    started.countDown();
                    finishing.await();
                }).orElseThrow();
        var stuckSession = server.startSession(server.limiter().tryAcquire(stuck.getAddress()).orElseThrow(), stuck, s -> {
            s.onCut(outcomes::add);
            started.countDown();
            new CountDownLatch(1).await();
        }).orElseThrow();
        assertTrue(started.await(20, TimeUnit.SECONDS));
        finishing.countDown(); // the quick session ends inside the grace period, the stuck one never
        long begin = System.nanoTime();
        server.shutdown(Duration.ofSeconds(1));
        assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(15));
        assertEquals(List.of(SessionOutcome.SHUTDOWN), outcomes);
        assertEquals(SessionOutcome.SHUTDOWN, stuckSession.cutReason().orElseThrow());
        assertEquals(0, server.activeSessions());
        var late = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_022);
        assertTrue(server.startSession(server.limiter().tryAcquire(late.getAddress()).orElseThrow(), late, s -> { }).isEmpty());
        assertEquals(0, server.limiter().active());
    }

    /**
     * Each configured kind of session thread is what the session runs on (AUTO: a platform
     * thread while few run), and a shutdown still ends a session blocked in a socket receive on
     * any of them: the cut closes the socket and interrupts the thread (a platform thread is not
     * parked on the poller, so only that wakes it).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(UdpServer.SessionThreads.class)
    void runsSessionsOnTheConfiguredThreadsAndCutsThemAtShutdown(UdpServer.SessionThreads kind) throws Exception {
        var virtual = new CopyOnWriteArrayList<Boolean>();
        var blocked = new CountDownLatch(2);
        var outcomes = new CopyOnWriteArrayList<SessionOutcome>();
        var server = UdpServer.start(config(8, 8, Duration.ZERO, Duration.ZERO).withThreads(kind), LOOPBACK, srv -> in -> { });
        for (int port = 40_030; port < 40_032; port++) {
            var peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            var socket = DatagramChannel.open().bind(LOOPBACK);
            server.startSession(server.limiter().tryAcquire(peer.getAddress()).orElseThrow(), peer, s -> {
                s.onCut(why -> {
                    outcomes.add(why);
                    socket.close();
                });
                virtual.add(Thread.currentThread().isVirtual());
                blocked.countDown();
                socket.receive(ByteBuffer.allocate(16)); // nothing ever arrives
            }).orElseThrow();
        }
        assertTrue(blocked.await(20, TimeUnit.SECONDS));
        long begin = System.nanoTime();
        server.shutdown(Duration.ofMillis(200));
        assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(15));
        boolean expectVirtual = kind == UdpServer.SessionThreads.VIRTUAL;
        assertEquals(List.of(expectVirtual, expectVirtual), List.copyOf(virtual));
        assertEquals(List.of(SessionOutcome.SHUTDOWN, SessionOutcome.SHUTDOWN), List.copyOf(outcomes));
        assertEquals(0, server.activeSessions());
        assertEquals(0, server.limiter().active());
    }

    /**
     * A session that sends on the listening socket and is cut mid-send (here by the idle limit)
     * must not have its thread interrupted: the interrupt would close the listening channel, and
     * the server would go deaf. With interruptOnCut(false) the cut action alone ends it.
     */
    @Test
    void aCutNeverClosesTheListeningSocketUnderASessionThatSendsOnIt() throws Exception {
        var server = UdpServer.start(config(8, 8, Duration.ofMillis(300), Duration.ZERO), LOOPBACK, srv -> in -> { });
        try (var sink = DatagramChannel.open().bind(LOOPBACK)) {
            var to = (InetSocketAddress) sink.getLocalAddress();
            var cut = new CountDownLatch(1);
            var interrupted = new CopyOnWriteArrayList<Boolean>();
            var peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_040);
            server.startSession(server.limiter().tryAcquire(peer.getAddress()).orElseThrow(), peer, s -> {
                s.interruptOnCut(false);
                s.onCut(why -> cut.countDown());
                s.handshakeComplete();
                while (cut.getCount() > 0) {
                    server.send(ByteBuffer.wrap(new byte[] {1}), to); // sending all the time the cut comes
                }
                interrupted.add(Thread.currentThread().isInterrupted());
            }).orElseThrow();
            assertTrue(cut.await(20, TimeUnit.SECONDS));
            await().atMost(LONG).until(() -> server.activeSessions() == 0);
            assertEquals(List.of(false), List.copyOf(interrupted));
            server.send(ByteBuffer.wrap(new byte[] {2}), to); // the listening socket is still open
        } finally {
            server.shutdown(Duration.ofMillis(200));
        }
    }
}
