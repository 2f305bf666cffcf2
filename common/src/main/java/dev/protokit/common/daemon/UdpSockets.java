package dev.protokit.common.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening half of {@link UdpServer}: its bound sockets, one {@link UdpListener} thread
 * reading each, and sends from them (thread-safe: {@code DatagramChannel.send}). Closing stops
 * the listeners and closes the sockets, once.
 */
final class UdpSockets implements AutoCloseable {
    private final String name;
    private final List<DatagramChannel> sockets;
    private final List<UdpListener> listeners = new ArrayList<>();

    UdpSockets(String name, List<DatagramChannel> bound) {
        this.name = name;
        this.sockets = List.copyOf(bound);
    }

    /** One listener per socket, each handing its datagrams to {@code handler}. */
    void listen(int maxPacketSize, Handler handler) throws IOException {
        for (DatagramChannel socket : sockets) {
            socket.configureBlocking(true);
            listeners.add(UdpListener.start(name, socket, maxPacketSize,
                    (from, packet) -> handler.onDatagram(socket, from, packet)));
        }
    }

    /** Receives one datagram with the socket it arrived on. */
    @FunctionalInterface
    interface Handler {
        void onDatagram(DatagramChannel socket, InetSocketAddress from, ByteBuffer packet) throws Exception;
    }

    InetSocketAddress first() {
        return localAddress(sockets.getFirst());
    }

    List<InetSocketAddress> all() {
        return sockets.stream().map(UdpSockets::localAddress).toList();
    }

    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        sockets.getFirst().send(datagram, to);
    }

    void send(InetSocketAddress local, ByteBuffer datagram, InetSocketAddress to) throws IOException {
        for (DatagramChannel socket : sockets) {
            if (localAddress(socket).equals(local)) {
                socket.send(datagram, to);
                return;
            }
        }
        throw new IllegalArgumentException("no socket bound to " + Addresses.format(local));
    }

    /** Stops the listeners and closes every socket; safe to call twice. */
    @Override
    public void close() {
        listeners.forEach(UdpListener::close);
        sockets.forEach(UdpSockets::closeQuietly);
    }

    static InetSocketAddress localAddress(DatagramChannel socket) {
        try {
            return (InetSocketAddress) socket.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket closed", e);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }
}
