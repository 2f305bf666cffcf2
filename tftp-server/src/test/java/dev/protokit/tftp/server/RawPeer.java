package dev.protokit.tftp.server;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * A scripted TFTP peer for tests: sends exactly the packets a test says, in the order it says,
 * from one socket, and reports what arrives with its source address. Misbehaviour (drops,
 * duplicates, reordering, silence) is the test's script.
 */
final class RawPeer implements AutoCloseable {
    /** A received packet with its sender. */
    record In(InetSocketAddress from, TftpPacket packet) {}

    private final DatagramChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(TftpCodec.MAX_PACKET + 1);

    RawPeer(InetSocketAddress bindTo) throws IOException {
        channel = DatagramChannel.open().bind(bindTo);
        channel.socket().setSoTimeout(5_000);
    }

    RawPeer() throws IOException {
        this(new InetSocketAddress("127.0.0.1", 0));
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    void send(TftpPacket packet, InetSocketAddress to) throws IOException {
        channel.send(TftpCodec.encode(packet), to);
    }

    void sendRaw(byte[] bytes, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(bytes), to);
    }

    void ack(int block, InetSocketAddress to) throws IOException {
        send(new Ack(block), to);
    }

    void data(int block, byte[] payload, InetSocketAddress to) throws IOException {
        send(Data.of(block, payload), to);
    }

    /** The next packet, or empty when nothing arrives within {@code wait}. */
    Optional<In> receive(Duration wait) throws IOException {
        channel.socket().setSoTimeout((int) Math.max(1, wait.toMillis()));
        var packet = new java.net.DatagramPacket(new byte[TftpCodec.MAX_PACKET + 1], TftpCodec.MAX_PACKET + 1);
        try {
            channel.socket().receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        var bytes = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
        TftpPacket decoded = TftpCodec.decode(bytes);
        if (decoded instanceof Data d) { // the payload view shares the receive buffer: copy it
            decoded = Data.of(d.block(), d.bytes());
        }
        return Optional.of(new In((InetSocketAddress) packet.getSocketAddress(), decoded));
    }

    /** The next packet; fails the test when none arrives within five seconds. */
    In receive() throws IOException {
        return receive(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no packet within 5 s"));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
