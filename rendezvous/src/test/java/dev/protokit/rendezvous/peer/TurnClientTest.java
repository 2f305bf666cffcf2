package dev.protokit.rendezvous.peer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.server.RendezvousServer;
import dev.protokit.rendezvous.server.RendezvousServerConfig;
import dev.protokit.rendezvous.server.TurnConfig;
import dev.protokit.rendezvous.stun.RestCredentials;
import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The peer's TURN client against our real server on loopback: allocate, permit, the first
 * datagram from the other peer as a Data indication, then a channel bound to the address the
 * relay saw, and what follows as ChannelData (4-byte header), in order and unchanged.
 */
class TurnClientTest {
    private final RestCredentials rest = new RestCredentials("north".getBytes(StandardCharsets.UTF_8));
    private final LinkedBlockingQueue<PeerPacket> arrived = new LinkedBlockingQueue<>();
    private RendezvousServer server;
    private PeerSocket socket;
    private TurnClient turn;
    private DatagramSocket other;

    @BeforeEach
    void start() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests().withTurn(TurnConfig.defaults(rest)));
        Router router = new Router();
        socket = PeerSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router);
        var credential = rest.mint("peer", Instant.now().plus(Duration.ofHours(1)));
        turn = new TurnClient(socket, server.localAddress(), credential.username(), credential.password());
        router.turn = turn;
        other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws Exception {
        turn.close();
        socket.close();
        other.close();
        server.close();
    }

    @Test
    void theFirstDatagramComesAsADataIndicationTheRestOverABoundChannel() throws Exception {
        InetSocketAddress relayed = turn.allocate();
        turn.permit(List.of(InetAddress.getLoopbackAddress()));
        InetSocketAddress presented = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        turn.presentAs(presented);
        send(relayed, 1);
        assertEquals(1, ((PeerProbe) arrived.poll(20, TimeUnit.SECONDS)).nonce());
        await().atMost(Duration.ofSeconds(20)).until(turn::channelBound);
        for (int i = 2; i <= 20; i++) {
            send(relayed, i);
        }
        for (int i = 2; i <= 20; i++) {
            PeerPacket p = arrived.poll(20, TimeUnit.SECONDS);
            assertTrue(p instanceof PeerProbe, "datagram " + i + " arrived");
            assertEquals(i, ((PeerProbe) p).nonce());
        }
        assertEquals(19, turn.channelFrames(), "after the binding, the relay framed every datagram as ChannelData");
    }

    private void send(InetSocketAddress to, long nonce) throws Exception {
        byte[] bytes = PeerCodec.toBytes(new PeerProbe(false, 7, nonce));
        other.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** Routes as the connector's router does: STUN and ChannelData from the relay to the client. */
    private final class Router implements PeerSocket.Handler {
        volatile TurnClient turn;

        @Override
        public void onPeer(InetSocketAddress from, PeerPacket packet) {
            arrived.add(packet);
        }

        @Override
        public void onOther(InetSocketAddress from, ByteBuffer datagram) {
            TurnClient t = turn;
            if (t == null || !from.equals(t.server())) {
                return;
            }
            if (dev.protokit.rendezvous.stun.StunCodec.looksLikeStun(datagram)) {
                t.onStun(datagram);
            } else if (dev.protokit.rendezvous.stun.ChannelData.looksLikeChannelData(datagram)) {
                t.onChannelData(datagram);
            }
        }
    }
}
