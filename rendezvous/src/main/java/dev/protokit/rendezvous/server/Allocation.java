package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.common.daemon.UdpSession;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute.Data;
import dev.protokit.rendezvous.stun.StunAttribute.XorPeerAddress;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import dev.protokit.rendezvous.stun.Bytes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TURN allocation (RFC 8656 section 2.2): the client's 5-tuple, its relayed socket, its
 * permissions (peer IP -> expiry) and channels (number <-> peer), its lifetime and its budget.
 * The relay loop ({@link #relayFromPeers}) runs on the allocation's own virtual thread as a
 * runtime session; the listener thread calls the other methods. Memory is bounded: one 2 KiB
 * receive buffer, at most {@link #MAX_PERMISSIONS} permissions and {@link #MAX_CHANNELS} channels.
 */
final class Allocation {
    static final int MAX_PERMISSIONS = 64;
    static final int MAX_CHANNELS = 64;
    /** Peer datagrams larger than this are dropped (TURN over UDP carries MTU-sized data). */
    static final int MAX_RELAYED = 2048;
    private static final long PERMISSION_NANOS = 300L * 1_000_000_000L;   // RFC 8656 9: 300 s
    private static final long CHANNEL_NANOS = 600L * 1_000_000_000L;      // RFC 8656 12: 10 min

    final InetSocketAddress client;
    final InetSocketAddress local;
    final String username;
    final DatagramSocket relay;
    private final TurnRelay owner;
    private final Budget budget;
    private final long endsAt;
    private final Map<InetAddress, Long> permissions = new ConcurrentHashMap<>();
    private final Map<Integer, InetSocketAddress> channelPeers = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Integer> peerChannels = new ConcurrentHashMap<>();
    private final Map<Integer, Long> channelExpiry = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long expiresAt;
    private volatile boolean closed;
    volatile TransactionId allocateTx;
    volatile ByteBuffer allocateResponse;

    Allocation(TurnRelay owner, InetSocketAddress client, InetSocketAddress local, String username,
               DatagramSocket relay, Budget budget, long expiresAt, long endsAt) {
        this.owner = owner;
        this.client = client;
        this.local = local;
        this.username = username;
        this.relay = relay;
        this.budget = budget;
        this.expiresAt = expiresAt;
        this.endsAt = endsAt;
    }

    InetSocketAddress relayedAddress() {
        return (InetSocketAddress) relay.getLocalSocketAddress();
    }

    void refresh(long expiresAt) {
        this.expiresAt = expiresAt;
    }

    boolean expired(long now) {
        return closed || now - expiresAt > 0 || now - endsAt > 0;
    }

    /** Installs or refreshes a permission; false when the allocation holds as many as allowed. */
    boolean permit(InetAddress peer, long now) {
        lock.lock();
        try {
            permissions.values().removeIf(t -> now - t > 0);
            if (!permissions.containsKey(peer) && permissions.size() >= MAX_PERMISSIONS) {
                return false;
            }
            permissions.put(peer, now + PERMISSION_NANOS);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Binds {@code channel} to {@code peer} (or refreshes the binding); false if either is
     * bound to something else (RFC 8656 12.2: 400) or too many channels are bound.
     */
    boolean bind(int channel, InetSocketAddress peer, long now) {
        lock.lock();
        try {
            InetSocketAddress bound = channelPeers.get(channel);
            Integer existing = peerChannels.get(peer);
            if ((bound != null && !bound.equals(peer)) || (existing != null && existing != channel)) {
                return false;
            }
            if (bound == null && channelPeers.size() >= MAX_CHANNELS) {
                return false;
            }
            if (!permit(peer.getAddress(), now)) {
                return false;
            }
            channelPeers.put(channel, peer);
            peerChannels.put(peer, channel);
            channelExpiry.put(channel, now + CHANNEL_NANOS);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean permitted(InetAddress peer, long now) {
        Long until = permissions.get(peer);
        return until != null && now - until <= 0;
    }

    /** A Send indication or ChannelData from the client: relay to a permitted peer, within budget. */
    void toPeer(InetSocketAddress peer, ByteBuffer data, long now) throws IOException {
        if (!permitted(peer.getAddress(), now) || !budget.spend(data.remaining(), now)) {
            return;
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        relay.send(new DatagramPacket(bytes, bytes.length, peer));
    }

    /** ChannelData from the client on {@code channel}. */
    void toPeer(int channel, ByteBuffer data, long now) throws IOException {
        InetSocketAddress peer = channelPeers.get(channel);
        Long until = channelExpiry.get(channel);
        if (peer != null && until != null && now - until <= 0) {
            toPeer(peer, data, now);
        }
    }

    /** The session task: relays datagrams from permitted peers to the client until the allocation ends. */
    void relayFromPeers(UdpSession session) throws IOException {
        session.handshakeComplete();
        // Closing the relayed socket ends the receive below; an interrupt could land inside
        // toClient's send on the listening socket and close it for every client.
        session.interruptOnCut(false);
        session.onCut(why -> close());
        byte[] buffer = new byte[MAX_RELAYED + 1];
        var packet = new DatagramPacket(buffer, buffer.length);
        relay.setSoTimeout(1000);
        try {
            while (!closed) {
                long now = System.nanoTime();
                if (expired(now)) {
                    session.outcome(now - endsAt > 0 ? SessionOutcome.TIMED_OUT : SessionOutcome.OK);
                    return;
                }
                packet.setLength(buffer.length);
                try {
                    relay.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    if (closed) {
                        session.outcome(SessionOutcome.OK); // deleted by a Refresh with LIFETIME 0
                        return;
                    }
                    throw e;
                }
                now = System.nanoTime();
                var from = (InetSocketAddress) packet.getSocketAddress();
                int length = packet.getLength();
                if (length > MAX_RELAYED || !permitted(from.getAddress(), now) || !budget.spend(length, now)) {
                    continue; // RFC 8656 11.5/12.5: no permission, silently dropped
                }
                session.progressed();
                owner.toClient(this, wrap(from, ByteBuffer.wrap(buffer, 0, length)));
            }
        } finally {
            close();
            session.detail("relayed", budget.spent());
        }
    }

    /** ChannelData if the peer has a channel, else a Data indication (RFC 8656 11.5, 12.5). */
    private ByteBuffer wrap(InetSocketAddress peer, ByteBuffer data) {
        Integer channel = peerChannels.get(peer);
        if (channel != null) {
            var cd = new ChannelData(channel, data);
            ByteBuffer out = ByteBuffer.allocate(cd.encodedLength());
            cd.encode(out);
            return out.flip();
        }
        var m = StunMessage.of(StunMethod.DATA, StunClass.INDICATION, TransactionId.random(),
                new XorPeerAddress(peer), new Data(Bytes.of(data)));
        return StunCodec.encode(m, Seal.NONE);
    }

    Optional<Integer> channelOf(InetSocketAddress peer) {
        return Optional.ofNullable(peerChannels.get(peer));
    }

    void close() {
        closed = true;
        relay.close();
        owner.removed(this);
    }
}
