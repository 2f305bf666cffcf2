package dev.protokit.rendezvous.peer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A long relayed session, compressed: a scripted relay grants a 2 s allocation and keeps
 * permissions 1.5 s and channel bindings 2 s, and the client renews on a schedule shortened in
 * the same proportion as RFC 8656's 10 minutes, 5 minutes and 10 minutes to the real one. Every
 * renewal must arrive before what it renews expires, for as long as the session runs, and one
 * that fails must be tried again rather than end the renewals.
 */
class TurnRenewalTest {
    private static final TurnRenewal.Schedule FAST = new TurnRenewal.Schedule(
            Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofMillis(150));
    private final LinkedBlockingQueue<PeerPacket> arrived = new LinkedBlockingQueue<>();
    private ScriptedTurnRelay relay;
    private PeerSocket socket;
    private TurnClient turn;

    @BeforeEach
    void start() throws Exception {
        relay = new ScriptedTurnRelay(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(2));
        socket = PeerSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Handler());
        turn = new TurnClient(socket, relay.address(), "user", "password", FAST);
    }

    @AfterEach
    void stop() throws Exception {
        turn.close();
        socket.close();
        relay.close();
    }

    @Test
    void renewsTheAllocationThePermissionsAndTheChannelForAsLongAsTheSessionRuns() throws Exception {
        bindTheChannel();
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.count(StunMethod.REFRESH) >= 2
                && relay.count(StunMethod.CREATE_PERMISSION) >= 6 && relay.count(StunMethod.CHANNEL_BIND) >= 4);
        assertEquals(List.of(), relay.lapses(), "every renewal came before what it renews expired");
        assertTrue(turn.channelBound());
    }

    @Test
    void aFailedRenewalIsRetriedAndAChannelWhoseFirstBindFailedIsBoundAgain() throws Exception {
        relay.fail(StunMethod.CHANNEL_BIND, 1);
        relay.fail(StunMethod.REFRESH, 1);
        relay.fail(StunMethod.CREATE_PERMISSION, 3); // the first (from permit) and the next two renewals
        InetSocketAddress relayed = turn.allocate();
        assertEquals(9, relayed.getPort());
        try {
            turn.permit(List.of(InetAddress.getLoopbackAddress()));
        } catch (java.io.IOException expected) {
            // refused once: the renewal installs it on its next round
        }
        turn.presentAs(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7));
        relay.indicate(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242), probe(1));
        assertEquals(1, ((PeerProbe) arrived.poll(20, TimeUnit.SECONDS)).nonce());
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.count(StunMethod.REFRESH) >= 3
                && relay.count(StunMethod.CHANNEL_BIND) >= 3 && relay.count(StunMethod.CREATE_PERMISSION) >= 6);
        assertTrue(turn.channelBound(), "the channel whose first ChannelBind was refused is bound by the renewal");
        assertEquals(List.of(), relay.lapses(), "the renewals went on after the failures, each in time");
    }

    private void bindTheChannel() throws Exception {
        turn.allocate();
        turn.permit(List.of(InetAddress.getLoopbackAddress()));
        turn.presentAs(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7));
        relay.indicate(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242), probe(1));
        assertEquals(1, ((PeerProbe) arrived.poll(20, TimeUnit.SECONDS)).nonce());
        await().atMost(Duration.ofSeconds(20)).until(turn::channelBound);
    }

    private static byte[] probe(long nonce) {
        return PeerCodec.toBytes(new PeerProbe(false, 7, nonce));
    }

    /** Routes as the connector's router does: STUN and ChannelData from the relay to the client. */
    private final class Handler implements PeerSocket.Handler {
        @Override
        public void onPeer(InetSocketAddress from, PeerPacket packet) {
            arrived.add(packet);
        }

        @Override
        public void onOther(InetSocketAddress from, ByteBuffer datagram) {
            if (turn == null || !from.equals(turn.server())) {
                return;
            }
            if (StunCodec.looksLikeStun(datagram)) {
                turn.onStun(datagram);
            } else if (ChannelData.looksLikeChannelData(datagram)) {
                turn.onChannelData(datagram);
            }
        }
    }
}
