package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.RendezvousCodec;
import dev.protokit.rendezvous.wire.RendezvousMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A scripted stand-in for the rendezvous server, enough for the peer's tests: answers REGISTER
 * with REGISTERED and, once two peers registered in one session, introduces each to the other
 * (observed address first, then the announced candidates). It can also hold back the
 * introduction's candidates ({@code candidates} filter) to steer which path opens, and lose
 * the first introductions to the first peer ({@code loseIntroductions}), as a lossy path
 * would. Like the real server it sends INTRODUCE once, and again to a peer that echoes a
 * probe after the introduction (the echo of a KEEPALIVE's REGISTERED).
 */
final class ScriptedRendezvousServer implements AutoCloseable {
    private record Registration(InetSocketAddress observed, RendezvousMessage.Register register) {}

    private final DatagramChannel channel;
    private final Thread thread;
    private final List<Registration> registrations = new ArrayList<>();
    volatile java.util.function.UnaryOperator<List<Candidate>> candidates = c -> c;
    volatile int loseIntroductions;
    final java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
    /** Counted down when the first peer has echoed its probe (it then only waits). */
    final java.util.concurrent.CountDownLatch firstEchoed = new java.util.concurrent.CountDownLatch(1);

    ScriptedRendezvousServer() throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = Thread.ofVirtual().name("scripted-rendezvous").start(this::serve);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (channel.isOpen()) {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                if (!RendezvousCodec.looksLikeRendezvous(buffer)) {
                    continue; // the peer's STUN mapping test: this server does not speak STUN
                }
                RendezvousMessage m = RendezvousCodec.decode(buffer);
                switch (m) {
                    case RendezvousMessage.Register r -> {
                        registered(r.transactionId(), from);
                        if (registrations.stream().noneMatch(x -> x.register().peerId() == r.peerId())) {
                            registrations.add(new Registration(from, r));
                            if (registrations.size() == 2) {
                                introduce(registrations.get(0), registrations.get(1), RendezvousMessage.Role.FIRST);
                                introduce(registrations.get(1), registrations.get(0), RendezvousMessage.Role.SECOND);
                            }
                        }
                    }
                    case RendezvousMessage.Keepalive k -> registered(k.transactionId(), from);
                    case RendezvousMessage.ProbeEcho e -> {
                        if (registrations.getFirst().register().peerId() == e.peerId()) {
                            firstEchoed.countDown();
                        }
                        if (registrations.size() == 2) {
                            boolean first = registrations.get(0).register().peerId() == e.peerId();
                            introduce(registrations.get(first ? 0 : 1), registrations.get(first ? 1 : 0),
                                    first ? RendezvousMessage.Role.FIRST : RendezvousMessage.Role.SECOND);
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void registered(long tx, InetSocketAddress to) throws IOException {
        channel.send(RendezvousCodec.encode(new RendezvousMessage.Registered(tx, to, Duration.ofSeconds(60),
                Duration.ofSeconds(15), new RendezvousMessage.Probe(1, 2))), to);
    }

    private void introduce(Registration to, Registration other, RendezvousMessage.Role role) throws IOException {
        if (to == registrations.getFirst() && lost.get() < loseIntroductions) {
            lost.incrementAndGet();
            return;
        }
        List<Candidate> list = new ArrayList<>();
        list.add(Candidate.reflexive(other.observed()));
        list.addAll(other.register().candidates());
        list = candidates.apply(list);
        channel.send(RendezvousCodec.encode(new RendezvousMessage.Introduce(7, to.register().session(),
                other.register().peerId(), role, Duration.ofMillis(50), list.subList(0, Math.min(8, list.size())),
                Optional.empty())), to.observed());
    }

    @Override
    public void close() throws IOException {
        channel.close();
        thread.interrupt();
    }
}
