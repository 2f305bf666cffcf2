package dev.protokit.common.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A receive loop on a bound UDP socket, on a platform thread of its own. Each datagram goes to
 * the {@link PacketHandler} on that thread, in a buffer that is reused for the next datagram: a
 * handler copies what it keeps and hands slow work to another thread. A handler's exception is
 * logged and the loop goes on, so one bad packet never stops the daemon.
 */
public final class UdpListener implements AutoCloseable {

    /** Receives one datagram; {@code packet} is valid only during the call. */
    @FunctionalInterface
    public interface PacketHandler {
        void onPacket(InetSocketAddress from, ByteBuffer packet) throws Exception;
    }

    private final String name;
    private final DatagramChannel channel;
    private final PacketHandler handler;
    private final ByteBuffer buffer;
    private final Logger log;
    private final Thread thread;
    private volatile boolean closing;
    private final LogThrottle handlerFailures = LogThrottle.perPeerEvents();

    private UdpListener(String name, DatagramChannel channel, int maxPacketSize, PacketHandler handler) {
        this.name = name;
        this.channel = channel;
        this.handler = handler;
        // One byte more than the largest valid packet, so an oversized datagram is seen as such.
        this.buffer = ByteBuffer.allocateDirect(maxPacketSize + 1);
        this.log = LoggerFactory.getLogger(name);
        this.thread = Thread.ofPlatform().name(name + "-listener").unstarted(this::receiveLoop);
    }

    /**
     * Starts receiving on {@code channel} (already bound, in blocking mode), logging the
     * "listening" line. Datagrams longer than {@code maxPacketSize} reach the handler with
     * {@code maxPacketSize + 1} bytes, so it can refuse them.
     */
    public static UdpListener start(String name, DatagramChannel channel, int maxPacketSize, PacketHandler handler) {
        Objects.requireNonNull(channel, "channel");
        if (maxPacketSize < 1) {
            throw new IllegalArgumentException("maxPacketSize must be >= 1, got " + maxPacketSize);
        }
        var listener = new UdpListener(Objects.requireNonNull(name, "name"), channel, maxPacketSize,
                Objects.requireNonNull(handler, "handler"));
        Announce.listening(listener.log, name, "udp", listener.localAddress());
        listener.thread.start();
        return listener;
    }

    /** The bound address, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": socket closed", e);
        }
    }

    private void receiveLoop() {
        while (!closing) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (AsynchronousCloseException e) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                log.warn("receive failed: {}", e.toString());
                continue;
            }
            buffer.flip();
            try {
                handler.onPacket(from, buffer);
            } catch (IOException e) {
                // A reply the network refused (unreachable, filtered): a peer can cause it at
                // will, so one throttled line, no stack trace.
                handlerFailures.admit().ifPresent(left -> log.warn("reply to {} not sent: {}{}",
                        Addresses.format(from), e.getMessage(), left > 0 ? " (" + left + " more not logged)" : ""));
            } catch (Exception e) {
                if (handlerFailures.admit().isPresent()) {
                    log.error("packet from {} failed in the handler", Addresses.format(from), e);
                }
            }
        }
    }

    /** Stops receiving and closes the socket; waits briefly for the loop to end. */
    @Override
    public void close() {
        closing = true;
        try {
            channel.close();
            thread.join(2_000);
        } catch (IOException e) {
            log.warn("close failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
