package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReliableChannelTest {
    private static final ChannelConfig CONFIG = ChannelConfig.DEFAULT;

    private static ByteBuffer msg(int i) {
        return ByteBuffer.wrap(("message " + i).getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends {@code count} messages A to B as fast as the window allows, reading B as it goes. */
    private static List<String> transfer(LossyLink link, int count) {
        List<String> got = new ArrayList<>();
        int[] sent = {0};
        boolean done = link.runUntil(() -> {
            while (sent[0] < count && link.a.canSend()) {
                link.a.send(msg(sent[0]++), link.now);
            }
            for (var m = link.b.poll(link.now); m.isPresent(); m = link.b.poll(link.now)) {
                got.add(StandardCharsets.US_ASCII.decode(m.get()).toString());
            }
            return got.size() == count;
        }, Duration.ofMinutes(10));
        assertTrue(done, "delivered " + got.size() + " of " + count);
        return got;
    }

    private static void drain(LossyLink link, List<String> got) {
        for (var m = link.b.poll(link.now); m.isPresent(); m = link.b.poll(link.now)) {
            got.add(StandardCharsets.US_ASCII.decode(m.get()).toString());
        }
    }

    private static List<String> expected(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("message " + i);
        }
        return out;
    }

    @Test
    void deliversInOrderOverAPerfectLinkWithoutRetransmitting() {
        LossyLink link = new LossyLink(CONFIG, 1);
        assertEquals(expected(500), transfer(link, 500));
        assertEquals(0, link.a.retransmissions());
        assertEquals(Duration.ofMillis(40), link.a.rtt().orElseThrow(), "two 20 ms legs");
    }

    @ParameterizedTest(name = "drop {0}, duplicate {1}, reorder {2}")
    @CsvSource({"0.05, 0.0, 0.0", "0.10, 0.05, 0.2", "0.30, 0.10, 0.3", "0.0, 0.5, 0.5"})
    void deliversEverythingOnceAndInOrderOverALossyLink(double drop, double duplicate, double reorder) {
        LossyLink link = new LossyLink(CONFIG, 42);
        link.drop = drop;
        link.duplicate = duplicate;
        link.reorder = reorder;
        assertEquals(expected(2000), transfer(link, 2000));
        if (drop > 0) {
            assertTrue(link.a.retransmissions() > 0);
        }
        assertEquals(ReliableChannel.State.OPEN, link.a.state());
    }

    @Test
    void retransmitsALostMessageOnlyAfterTheTimeout() {
        LossyLink link = new LossyLink(CONFIG, 1);
        link.dropIf = s -> s.frame() instanceof PeerFrame.Data d && d.sequence() == 0
                && link.log().stream().filter(x -> x.frame() instanceof PeerFrame.Data y && y.sequence() == 0).count() == 1;
        link.a.send(msg(0), 0);
        assertTrue(link.runUntil(() -> link.b.poll(link.now).isPresent(), Duration.ofSeconds(5)));
        List<Long> sends = link.log().stream()
                .filter(s -> s.frame() instanceof PeerFrame.Data).map(LossyLink.Sent::at).toList();
        assertEquals(2, sends.size());
        assertEquals(CONFIG.initialRto().toNanos(), sends.get(1) - sends.get(0),
                "before any RTT sample the timeout is the initial 1 s");
    }

    @Test
    void selectiveAcknowledgementResendsOnlyTheHole() {
        LossyLink link = new LossyLink(CONFIG, 1);
        link.dropIf = s -> s.frame() instanceof PeerFrame.Data d && d.sequence() == 3
                && link.log().stream().filter(x -> x.frame() instanceof PeerFrame.Data y && y.sequence() == 3).count() == 1;
        for (int i = 0; i < 10; i++) {
            link.a.send(msg(i), 0);
        }
        List<String> got = new ArrayList<>();
        assertTrue(link.runUntil(() -> {
            drain(link, got);
            return got.size() == 10;
        }, Duration.ofSeconds(5)));
        assertEquals(expected(10), got);
        assertEquals(1, link.a.retransmissions(), "only message 3 went twice");
        long dataFrames = link.log().stream().filter(s -> s.frame() instanceof PeerFrame.Data).count();
        assertEquals(11, dataFrames);
        assertTrue(link.log().stream().anyMatch(s -> s.frame() instanceof PeerFrame.Ack a && !a.received().isEmpty()),
                "the receiver reported the messages after the hole");
    }

    @Test
    void aReaderThatStopsReadingStopsTheSenderAtItsWindow() {
        ChannelConfig small = new ChannelConfig(64, 20, Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofSeconds(8), Duration.ofSeconds(25), Duration.ofSeconds(80), 20);
        LossyLink link = new LossyLink(small, 1);
        for (int i = 0; i < 40; i++) {
            link.a.send(msg(i), 0);
        }
        assertEquals(16, link.log().size(), "before any acknowledgement, the initial window of 16");
        link.runUntil(() -> false, Duration.ofSeconds(3));
        long distinct = link.log().stream().filter(s -> s.frame() instanceof PeerFrame.Data)
                .map(s -> ((PeerFrame.Data) s.frame()).sequence()).distinct().count();
        assertEquals(20, distinct, "no message beyond the receiver's window while it does not read");
        List<String> got = new ArrayList<>();
        assertTrue(link.runUntil(() -> {
            drain(link, got);
            return got.size() == 40;
        }, Duration.ofSeconds(30)), "reading reopens the window");
        assertEquals(expected(40), got);
    }

    @Test
    void keepsTheMappingAliveWithAPingEvery25Seconds() {
        LossyLink link = new LossyLink(CONFIG, 1);
        link.runUntil(() -> false, Duration.ofSeconds(101));
        List<Long> fromA = link.log().stream().filter(s -> s.way() == LossyLink.Way.A_TO_B)
                .map(LossyLink.Sent::at).toList();
        long previous = 0;
        for (long at : fromA) {
            assertTrue(at - previous <= Duration.ofSeconds(25).toNanos() + Duration.ofMillis(50).toNanos(),
                    "A stayed silent from " + previous + " to " + at);
            previous = at;
        }
        assertTrue(link.log().stream().filter(s -> s.frame() instanceof PeerFrame.Ping).count() >= 3);
        assertFalse(link.log().stream().anyMatch(s -> s.frame() instanceof PeerFrame.Ping && s.at() < 25_000_000_000L),
                "no ping before the interval");
        assertEquals(ReliableChannel.State.OPEN, link.a.state(), "pongs keep it alive");
        assertTrue(link.a.rtt().isPresent(), "pongs measure the round trip");
    }

    @Test
    void failsWhenTheOtherPeerFallsSilent() {
        LossyLink link = new LossyLink(CONFIG, 1);
        link.drop = 1.0;
        link.a.send(msg(0), 0);
        link.runUntil(() -> link.a.state() == ReliableChannel.State.FAILED, Duration.ofMinutes(5));
        assertEquals(ReliableChannel.State.FAILED, link.a.state());
        assertEquals(PeerError.TIMEOUT, link.a.failure().orElseThrow().error());
        assertFalse(link.a.canSend());
    }

    @Test
    void saysGoodbyeAfterEverythingIsAcknowledgedEvenOverLoss() {
        LossyLink link = new LossyLink(CONFIG, 7);
        link.drop = 0.2;
        for (int i = 0; i < 50; i++) {
            link.a.send(msg(i), 0);
        }
        link.a.close(0);
        List<String> got = new ArrayList<>();
        assertTrue(link.runUntil(() -> {
            drain(link, got);
            return link.a.state() == ReliableChannel.State.CLOSED && link.b.state() == ReliableChannel.State.CLOSED;
        }, Duration.ofMinutes(2)));
        link.runUntil(() -> got.size() == 50, Duration.ofSeconds(1));
        assertEquals(expected(50), got, "the goodbye never overtakes data");
        assertTrue(link.b.peerClosed());
        long byeIndex = link.log().indexOf(link.log().stream().filter(s -> s.frame() instanceof PeerFrame.Bye)
                .findFirst().orElseThrow());
        assertTrue(link.log().subList((int) byeIndex, link.log().size()).stream()
                .noneMatch(s -> s.way() == LossyLink.Way.A_TO_B && s.frame() instanceof PeerFrame.Data));
    }
}
