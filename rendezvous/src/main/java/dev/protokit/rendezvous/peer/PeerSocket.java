package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerPacketType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's one UDP socket: the rendezvous server, STUN, the TURN relay and the other peer
 * all reach it on the same local port, so the NAT mapping the server observes is the one the
 * other peer punches. A reader thread tells datagrams apart by their first byte (RFC 7983
 * style: 0xC0..0xC5 are peer datagrams, see {@link PeerPacketType}; everything else goes to
 * the {@link Handler}'s {@code onOther}, which splits STUN, ChannelData and rendezvous).
 * A thread that sends on it must never be interrupted (see {@link Halt}): the channel is
 * interruptible, so the interrupt would close the socket.
 */
public final class PeerSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSocket.class);
    private static final int RECEIVE_BUFFER = 2048;

    /** Where datagrams go; called on the reader thread, so handlers return quickly. */
    public interface Handler {
        /** A decoded peer datagram. */
        void onPeer(InetSocketAddress from, PeerPacket packet);

        /** Any other datagram (STUN, TURN, rendezvous), from position to limit. */
        void onOther(InetSocketAddress from, ByteBuffer datagram);
    }

    private final DatagramChannel channel;
    private final Thread reader;
    private volatile Handler handler;
    private volatile long malformed;

    private PeerSocket(DatagramChannel channel, Handler handler) {
        this.channel = channel;
        this.handler = handler;
        this.reader = Thread.ofVirtual().name("rdv-peer-socket").unstarted(this::read);
    }

    /**
     * Opens a socket on {@code bind} (port 0 for any), IPv6 with IPv4 mapped when the address is
     * the IPv6 wildcard, and starts reading.
     */
    public static PeerSocket open(InetSocketAddress bind, Handler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        DatagramChannel channel = bind.getAddress() instanceof java.net.Inet4Address
                ? DatagramChannel.open(StandardProtocolFamily.INET)
                : DatagramChannel.open(StandardProtocolFamily.INET6);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            channel.bind(bind);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        PeerSocket socket = new PeerSocket(channel, handler);
        socket.reader.start();
        return socket;
    }

    /** Replaces the handler (the session is built after the socket). */
    public void handler(Handler next) {
        this.handler = Objects.requireNonNull(next, "handler");
    }

    /** The bound local address. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket is closed", e);
        }
    }

    /** Datagrams that looked like peer datagrams but did not parse. */
    public long malformed() {
        return malformed;
    }

    /**
     * Sends one datagram; false when the network refused it (no route for an IPv6 candidate,
     * say), which for hole punching is an answer rather than an error.
     */
    public boolean send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            channel.send(datagram.duplicate(), to);
            return true;
        } catch (java.nio.channels.ClosedByInterruptException e) {
            // A bug, not the network: the sending thread was interrupted, which closed the socket.
            LOG.warn("send to {} closed the socket: the sending thread was interrupted", to);
            return false;
        } catch (IOException e) {
            LOG.debug("send to {} failed: {}", to, e.toString());
            return false;
        }
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        while (channel.isOpen()) {
            SocketAddress from;
            buffer.clear();
            try {
                from = channel.receive(buffer);
            } catch (AsynchronousCloseException e) {
                return;
            } catch (IOException e) {
                LOG.debug("receive failed: {}", e.toString());
                continue;
            }
            buffer.flip();
            if (!(from instanceof InetSocketAddress source) || !buffer.hasRemaining()) {
                continue;
            }
            // The JDK reports IPv4-mapped senders on a dual-stack socket as plain IPv4 addresses.
            dispatch(source, buffer);
        }
    }

    /** Routes one datagram; a peer datagram carried inside TURN arrives here too, unwrapped. */
    void dispatch(InetSocketAddress from, ByteBuffer datagram) {
        int first = Byte.toUnsignedInt(datagram.get(datagram.position()));
        try {
            if (PeerPacketType.isPeer(first)) {
                PeerPacket packet;
                try {
                    packet = PeerCodec.decode(datagram);
                } catch (PeerException e) {
                    malformed++;
                    return;
                }
                handler.onPeer(from, packet);
            } else {
                handler.onOther(from, datagram);
            }
        } catch (RuntimeException e) {
            LOG.warn("datagram from {} failed in its handler", from, e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        reader.interrupt();
    }
}
