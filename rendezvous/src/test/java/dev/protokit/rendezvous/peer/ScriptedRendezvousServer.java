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
 * introduction's candidates ({@code candidates} filter) to steer which path opens.
 */
final class ScriptedRendezvousServer implements AutoCloseable {
    private record Registration(InetSocketAddress observed, RendezvousMessage.Register register) {}

    private final DatagramChannel channel;
    private final Thread thread;
    private final List<Registration> registrations = new ArrayList<>();
    volatile java.util.function.UnaryOperator<List<Candidate>> candidates = c -> c;

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
                RendezvousMessage m = RendezvousCodec.decode(buffer);
                if (m instanceof RendezvousMessage.Register r) {
                    channel.send(RendezvousCodec.encode(new RendezvousMessage.Registered(r.transactionId(), from,
                            Duration.ofSeconds(60), Duration.ofSeconds(15), new RendezvousMessage.Probe(1, 2))), from);
                    if (registrations.stream().noneMatch(x -> x.register().peerId() == r.peerId())) {
                        registrations.add(new Registration(from, r));
                        if (registrations.size() == 2) {
                            introduce(registrations.get(0), registrations.get(1), RendezvousMessage.Role.FIRST);
                            introduce(registrations.get(1), registrations.get(0), RendezvousMessage.Role.SECOND);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void introduce(Registration to, Registration other, RendezvousMessage.Role role) throws IOException {
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
