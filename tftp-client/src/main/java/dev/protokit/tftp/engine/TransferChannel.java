package dev.protokit.tftp.engine;

import dev.protokit.common.daemon.UdpBatchSender;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One transfer's socket, which is its transfer ID (RFC 1350 section 4), talking to one peer.
 * It owns the channel and closes it. Packets from any other address or port are answered with
 * ERROR 5 (Unknown transfer ID) and otherwise ignored, so they do not disturb the transfer.
 *
 * <p>A client does not know the server's TID until the first reply: {@link #awaitingReply} sends
 * to the server's well-known port and locks onto the first reply's source port from the server's
 * host. With {@code connect} the channel is connected to the peer once it is known: sends and
 * receives are then cheaper, and the kernel itself drops strays (no ERROR 5 is possible then).
 *
 * <p>The channel is in blocking mode and a wait is one timed receive on its socket adaptor:
 * on a virtual thread that parks the thread until the JDK's poller sees the datagram, with no
 * selector (a selector's wait on a virtual thread is two extra {@code epoll_wait} calls, an
 * {@code epoll_ctl} and its lock per packet); on a platform thread it is one {@code poll} and
 * one {@code recvfrom}. Closing the channel from another thread (a server's cut) ends a wait at
 * once.
 *
 * <p>Not thread-safe: one transfer, one thread.
 */
public final class TransferChannel implements Closeable {
    private static final ByteBuffer UNKNOWN_TID =
            TftpCodec.encode(TftpError.of(ErrorCode.UNKNOWN_TID)).asReadOnlyBuffer();
    /** At most this many ERROR 5 replies per second, so strays cannot use us as an amplifier. */
    private static final int STRAY_REPLIES_PER_SECOND = 10;

    private final DatagramChannel channel;
    private final DatagramSocket socket;
    /** Receives land here (the adaptor copies into an array), then in the caller's buffer. */
    private DatagramPacket packet = new DatagramPacket(new byte[0], 0);
    private final boolean connect;
    /** One sendmmsg per window where the platform has it ({@link #enableBatches}); else null. */
    private UdpBatchSender batch;
    private final String peerRole;
    private InetSocketAddress peer;
    private boolean locked;
    private long strayWindowStart;
    private int strayReplies;
    private long straysSeen;

    private TransferChannel(DatagramChannel channel, InetSocketAddress peer, boolean locked,
                            boolean connect) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.locked = locked;
        this.connect = connect;
        this.peerRole = locked ? "client" : "server";
        channel.configureBlocking(true);
        this.socket = channel.socket();
        if (locked && connect && !channel.isConnected()) {
            channel.connect(peer);
        }
    }

    /**
     * A transfer with a known peer, as on a server: the request's source is the client's TID.
     *
     * @param channel a bound, open channel; the transfer owns it from now on
     * @param peer    the peer's address and port
     * @param connect connect the channel to the peer (faster; strays dropped by the kernel)
     */
    public static TransferChannel open(DatagramChannel channel, InetSocketAddress peer, boolean connect)
            throws IOException {
        return new TransferChannel(channel, peer, true, connect);
    }

    /**
     * A client transfer: packets go to {@code server} (its well-known port) until the first
     * packet from the server's host arrives; its source port is then the server's TID.
     */
    public static TransferChannel awaitingReply(DatagramChannel channel, InetSocketAddress server,
                                                boolean connect) throws IOException {
        return new TransferChannel(channel, server, false, connect);
    }

    /** The peer: its TID once locked, else the server's request address. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** True once the peer's TID is known. */
    public boolean isLocked() {
        return locked;
    }

    /** What the peer is, for messages: "server" when we are the client, else "client". */
    String peerRole() {
        return peerRole;
    }

    /** Stray packets seen (from a wrong address or port) so far. */
    public long straysSeen() {
        return straysSeen;
    }

    /** The local address, for logs. */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Per-datagram kernel overhead in a socket buffer (sk_buff and its rounding), on top of the payload. */
    private static final int DATAGRAM_OVERHEAD = 1024;

    /**
     * The socket buffer a transfer wants: a whole window of datagrams as the kernel counts them
     * (payload plus overhead), twice over, so the receiver never drops a window it was promised.
     * The old size stopped at 1024 blocks, and a 2032-block window of 512-byte blocks lost most
     * of each window (issue #9: 3.3 MB/s against 85 MB/s at windowsize 512).
     */
    static int bufferFor(TransferParameters params) {
        long perDatagram = TftpCodec.DATA_HEADER + params.blockSize() + DATAGRAM_OVERHEAD;
        return (int) Math.min(MAX_BUFFER, 2 * perDatagram * params.windowSize());
    }

    private static final int MAX_BUFFER = 16 << 20;

    /**
     * Asks the kernel for socket buffers of at least {@code bytes} each way (capped by the system,
     * e.g. net.core.rmem_max), so a whole window fits without drops. Best effort.
     */
    void reserveBuffers(int bytes) {
        try {
            int want = Math.min(bytes, MAX_BUFFER);
            if (channel.getOption(java.net.StandardSocketOptions.SO_RCVBUF) < want) {
                channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, want);
            }
            if (channel.getOption(java.net.StandardSocketOptions.SO_SNDBUF) < want) {
                channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, want);
            }
        } catch (IOException | RuntimeException e) {
            // The defaults still work; a large window may just see more drops.
        }
    }

    /** Sends one datagram, from the buffer's position to its limit, to the peer. */
    public void send(ByteBuffer packet) throws IOException {
        try {
            if (channel.isConnected()) {
                channel.write(packet);
            } else {
                channel.send(packet, peer);
            }
        } catch (IOException e) {
            throw interruptedOr(e);
        }
    }

    /**
     * Lets {@link #send(ByteBuffer[], int, int)} send up to {@code perCall} datagrams in one
     * system call ({@code sendmmsg} through {@link UdpBatchSender}); where that is not available
     * they go one {@code send} each, as before. For a windowed sender, once.
     */
    void enableBatches(int perCall) {
        if (perCall > 1 && batch == null) {
            batch = UdpBatchSender.open(channel, Math.min(perCall, 1024)).orElse(null);
        }
    }

    /**
     * Sends {@code packets[offset .. offset + count)} to the peer in order, each from its
     * position to its limit, and leaves their positions where they were: a window in one system
     * call when batches are enabled; what a full socket buffer refuses goes one by one,
     * waiting as {@link #send(ByteBuffer)} does.
     */
    void send(ByteBuffer[] packets, int offset, int count) throws IOException {
        int done = 0;
        if (batch != null) {
            while (done < count) {
                int n = Math.min(count - done, batch.capacity());
                int sent = batch.send(packets, offset + done, n, peer);
                done += sent;
                if (sent < n) {
                    break; // the send buffer is full: the channel waits for room
                }
            }
        }
        for (int i = done; i < count; i++) {
            ByteBuffer packet = packets[offset + i];
            int position = packet.position();
            send(packet);
            packet.position(position);
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for a datagram from the peer. The buffer is cleared, and
     * on success flipped to hold the datagram (cut to the buffer's capacity, so a buffer one
     * byte longer than the longest valid packet tells a long datagram).
     *
     * @return the datagram's length, or -1 if the time ran out
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    public int receive(ByteBuffer dst, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        int room = dst.capacity();
        if (packet.getData().length < room) {
            packet = new DatagramPacket(new byte[room], room);
        }
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            packet.setLength(room);
            try {
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999))));
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                checkInterrupt();
                return -1;
            } catch (PortUnreachableException e) {
                // An ICMP error for an earlier send of ours (a retransmission that crossed the
                // peer's last ACK as it closed): Linux reports it before datagrams already
                // queued, and ICMP can be forged. Read on; silence ends in the caller's timeout.
                checkInterrupt();
                continue;
            } catch (IOException e) {
                throw interruptedOr(e);
            }
            if (channel.isConnected() || accept((InetSocketAddress) packet.getSocketAddress())) {
                dst.clear();
                dst.put(packet.getData(), 0, packet.getLength()).flip();
                return packet.getLength();
            }
        }
    }

    /** Sends an ERROR to the peer, best effort: the transfer is over either way. */
    public void sendError(TftpError error) {
        try {
            send(TftpCodec.encode(error));
        } catch (IOException | RuntimeException e) {
            // Best effort (RFC 1350: an ERROR is never retransmitted); the caller reports the failure.
        }
    }

    /** Closes the channel (and the batch sender's own descriptor of its socket). */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (batch != null) {
                batch.close();
            }
        }
    }

    private boolean accept(InetSocketAddress from) throws IOException {
        if (locked && from.equals(peer)) {
            return true;
        }
        if (!locked && from.getAddress().equals(peer.getAddress())) {
            peer = from; // RFC 1350 section 4: the reply's source port is the server's TID
            locked = true;
            if (connect) {
                channel.connect(peer);
            }
            return true;
        }
        straysSeen++;
        answerStray(from);
        return false;
    }

    /** RFC 1350 section 4: a packet from a wrong TID gets ERROR 5 and the transfer goes on. */
    private void answerStray(InetSocketAddress from) {
        long now = System.nanoTime();
        if (now - strayWindowStart > 1_000_000_000L) {
            strayWindowStart = now;
            strayReplies = 0;
        }
        if (strayReplies++ < STRAY_REPLIES_PER_SECOND) {
            try {
                channel.send(UNKNOWN_TID.duplicate(), from);
            } catch (IOException e) {
                // A stray that cannot be answered is simply ignored.
            }
        }
    }

    /** An interrupted thread ends its transfer (a server interrupts on forced shutdown); the flag stays set. */
    private static void checkInterrupt() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("transfer interrupted");
        }
    }

    /**
     * An interrupt closes a channel blocked on it (InterruptibleChannel): report it as the
     * interrupt it is, not as the closed socket it leaves.
     */
    private static IOException interruptedOr(IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            var interrupted = new InterruptedIOException("transfer interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        return e;
    }
}
