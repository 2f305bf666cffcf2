package dev.protokit.tftp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted misbehaving network between one client and one server: a UDP relay that asks a
 * {@link Script} what to do with each packet (deliver, drop, duplicate, delay - and so reorder).
 * The client talks to {@link #address()}; the server's transfer ID is mirrored by a relay
 * socket of its own, so the client sees a normal TFTP exchange.
 */
final class ImpairedLink implements AutoCloseable {
    /** Which way a packet goes. */
    enum Direction { TO_SERVER, TO_CLIENT }

    /**
     * Decides a packet's fate: the delays (ms) of its copies; an empty list drops it, [0] delivers
     * it, [0, 0] duplicates it, [30] delays it so later packets overtake it.
     */
    interface Script {
        List<Integer> decide(Direction direction, int opcode, int block, int index);
    }

    static final List<Integer> DELIVER = List.of(0);
    static final List<Integer> DROP = List.of();

    private record Pending(long due, DatagramChannel via, SocketAddress to, ByteBuffer bytes, long seq) {}

    private final InetSocketAddress server;
    private final Script script;
    private final Selector selector = Selector.open();
    private final DatagramChannel clientFacing;
    private final DatagramChannel serverFacing;
    private DatagramChannel tidFacing;
    private volatile SocketAddress client;
    private SocketAddress serverTid;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long seq;
    private final AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger()};
    private final Thread thread;

    ImpairedLink(InetSocketAddress server, Script script) throws IOException {
        this.server = server;
        this.script = script;
        InetAddress host = server.getAddress();
        clientFacing = open(host);
        serverFacing = open(host);
        thread = Thread.ofPlatform().daemon().name("impaired-link").start(this::run);
    }

    /** Where the client should send its request. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) clientFacing.getLocalAddress();
    }

    /** The client's address (its TID) once it has sent something. */
    java.util.Optional<InetSocketAddress> client() {
        return java.util.Optional.ofNullable((InetSocketAddress) client);
    }

    /** Packets seen going one way. */
    int count(Direction direction) {
        return counts[direction.ordinal()].get();
    }

    private DatagramChannel open(InetAddress host) throws IOException {
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(host, 0));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        return ch;
    }

    private void run() {
        ByteBuffer in = ByteBuffer.allocate(70_000);
        try {
            while (selector.isOpen()) {
                long wait = queue.isEmpty() ? 100 : Math.max(1, (queue.peek().due - System.nanoTime()) / 1_000_000);
                selector.select(wait);
                selector.selectedKeys().clear();
                for (DatagramChannel ch : new DatagramChannel[] {clientFacing, serverFacing, tidFacing}) {
                    if (ch == null) {
                        continue;
                    }
                    SocketAddress from;
                    while ((from = ch.receive(in.clear())) != null) {
                        route(ch, from, in.flip());
                    }
                }
                while (!queue.isEmpty() && queue.peek().due <= System.nanoTime()) {
                    Pending p = queue.poll();
                    p.via.send(p.bytes.duplicate(), p.to);
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        }
    }

    private void route(DatagramChannel ch, SocketAddress from, ByteBuffer packet) throws IOException {
        if (ch == clientFacing) {
            client = from;
            schedule(Direction.TO_SERVER, serverFacing, server, packet);
        } else if (ch == serverFacing) {
            if (serverTid == null) {
                serverTid = from;
                tidFacing = open(server.getAddress());
            }
            if (from.equals(serverTid)) {
                schedule(Direction.TO_CLIENT, tidFacing, client, packet);
            }
        } else if (from.equals(client)) {
            schedule(Direction.TO_SERVER, serverFacing, serverTid, packet);
        }
    }

    private void schedule(Direction direction, DatagramChannel via, SocketAddress to, ByteBuffer packet) {
        int opcode = packet.remaining() >= 2 ? Short.toUnsignedInt(packet.getShort(0)) : -1;
        int block = packet.remaining() >= 4 ? Short.toUnsignedInt(packet.getShort(2)) : -1;
        int index = counts[direction.ordinal()].getAndIncrement();
        ByteBuffer copy = ByteBuffer.allocate(packet.remaining()).put(packet).flip();
        for (int delay : script.decide(direction, opcode, block, index)) {
            queue.add(new Pending(System.nanoTime() + delay * 1_000_000L, via, to, copy, seq++));
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        clientFacing.close();
        serverFacing.close();
        if (tidFacing != null) {
            tidFacing.close();
        }
    }
}
