package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.stun.Bytes;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted TURN relay on loopback for the client's renewals: it answers every request with
 * success and no authentication (so the client never needs its 401 dance), grants a short
 * allocation lifetime, and keeps permissions and channel bindings for short lifetimes of its
 * own. A renewal that arrives after what it renews has expired is counted as a lapse: a real
 * relay would have dropped the other peer's data by then. It can answer chosen requests with an
 * error, and send the client a Data indication as the other peer's first datagram would.
 */
final class ScriptedTurnRelay implements AutoCloseable {
    /** One request as it arrived. */
    record Request(StunMethod method, long at) {}

    private final DatagramSocket socket;
    private final Duration allocation;
    private final Duration permission;
    private final Duration channel;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> lapses = new CopyOnWriteArrayList<>();
    private final Map<StunMethod, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final Map<StunMethod, Long> expires = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile InetSocketAddress client;

    ScriptedTurnRelay(Duration allocation, Duration permission, Duration channel) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.allocation = allocation;
        this.permission = permission;
        this.channel = channel;
        this.reader = Thread.ofVirtual().name("scripted-turn").start(this::serve);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The next {@code count} requests of {@code method} get 500 Server Error. */
    void fail(StunMethod method, int count) {
        failNext.computeIfAbsent(method, m -> new AtomicInteger()).addAndGet(count);
    }

    /** Requests of {@code method} seen so far. */
    long count(StunMethod method) {
        return requests.stream().filter(r -> r.method() == method).count();
    }

    /** Renewals that came after what they renew had expired. */
    List<String> lapses() {
        return List.copyOf(lapses);
    }

    /** Sends the client a Data indication from {@code peer} carrying {@code data}. */
    void indicate(InetSocketAddress peer, byte[] data) throws IOException {
        send(StunMessage.of(StunMethod.DATA, StunClass.INDICATION, TransactionId.random(),
                new StunAttribute.XorPeerAddress(peer), new StunAttribute.Data(Bytes.of(data))), client);
    }

    private void serve() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
                StunMessage m = StunCodec.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
                if (m.messageClass() == StunClass.REQUEST) {
                    client = (InetSocketAddress) p.getSocketAddress();
                    send(answer(m), client);
                }
            } catch (StunException e) {
                // not for this relay
            } catch (IOException e) {
                return;
            }
        }
    }

    private StunMessage answer(StunMessage m) {
        long now = System.nanoTime();
        requests.add(new Request(m.method(), now));
        AtomicInteger failures = failNext.get(m.method());
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return m.error(new StunAttribute.ErrorCode(500, "Server Error"));
        }
        Duration lasts = switch (m.method()) {
            case ALLOCATE, REFRESH -> allocation;
            case CREATE_PERMISSION -> permission;
            case CHANNEL_BIND -> channel;
            default -> Duration.ZERO;
        };
        StunMethod renews = m.method() == StunMethod.ALLOCATE ? StunMethod.REFRESH : m.method();
        Long until = expires.get(renews);
        if (m.method() != StunMethod.ALLOCATE && until != null && now - until > 0) {
            lapses.add(m.method() + " " + Duration.ofNanos(now - until).toMillis() + " ms after it expired");
        }
        expires.put(renews, now + lasts.toNanos());
        if (m.method() == StunMethod.ALLOCATE) {
            return m.success(new StunAttribute.XorRelayedAddress(new InetSocketAddress(address().getAddress(), 9)),
                    new StunAttribute.Lifetime(allocation.toSeconds()));
        }
        return m.method() == StunMethod.REFRESH ? m.success(new StunAttribute.Lifetime(allocation.toSeconds()))
                : m.success();
    }

    private void send(StunMessage m, InetSocketAddress to) throws IOException {
        ByteBuffer bytes = StunCodec.encode(m, Seal.FINGERPRINT);
        socket.send(new DatagramPacket(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(), to));
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(Duration.ofSeconds(5));
    }
}
