package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code stun} command's client: a Binding request for the mapped address and, when the
 * server names an OTHER-ADDRESS, the NAT behaviour discovery of RFC 5780 section 4: mapping
 * (tests I-III: does the mapped address change with the destination's address or port?) and
 * filtering (CHANGE-REQUEST for the other address and port, then the other port only).
 * Requests are retransmitted as RFC 8489 section 6.2.1 describes, shortened (3 tries from 250 ms).
 */
public final class NatProbe implements AutoCloseable {
    /** How a NAT maps or filters (RFC 4787 terms). */
    public enum Behaviour {
        ENDPOINT_INDEPENDENT("endpoint-independent"),
        ADDRESS_DEPENDENT("address-dependent"),
        ADDRESS_AND_PORT_DEPENDENT("address and port-dependent");

        private final String label;

        Behaviour(String label) {
            this.label = label;
        }

        /** RFC 4787's words. */
        public String label() {
            return label;
        }
    }

    /** What the probe found; behaviours are empty when the server has no alternate address. */
    public record Report(InetSocketAddress local, InetSocketAddress mapped, Optional<InetSocketAddress> other,
                         Optional<Behaviour> mapping, Optional<Behaviour> filtering) {}

    private static final Duration FIRST_WAIT = Duration.ofMillis(250);
    private static final int TRIES = 3;

    private final DatagramChannel channel;

    /** Opens a socket for the probe, in the server's address family. */
    public NatProbe(InetSocketAddress server) throws IOException {
        channel = DatagramChannel.open(server.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        channel.bind(null);
        channel.socket().setSoTimeout((int) FIRST_WAIT.toMillis());
    }

    /**
     * Runs the tests against {@code server}.
     *
     * @throws IOException when the server does not answer the first Binding request
     */
    public Report run(InetSocketAddress server) throws IOException {
        StunMessage first = binding(server, null).orElseThrow(
                () -> new IOException("no STUN answer from " + dev.protokit.common.daemon.Addresses.format(server)));
        InetSocketAddress mapped = mapped(first);
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        Optional<InetSocketAddress> other = first.attribute(StunAttribute.OtherAddress.class)
                .map(StunAttribute.OtherAddress::address);
        if (other.isEmpty()) {
            return new Report(local, mapped, other, Optional.empty(), Optional.empty());
        }
        Optional<Behaviour> mapping = mapping(server, mapped, other.get());
        Behaviour filtering;
        if (binding(server, new StunAttribute.ChangeRequest(true, true)).isPresent()) {
            filtering = Behaviour.ENDPOINT_INDEPENDENT;
        } else if (binding(server, new StunAttribute.ChangeRequest(false, true)).isPresent()) {
            filtering = Behaviour.ADDRESS_DEPENDENT;
        } else {
            filtering = Behaviour.ADDRESS_AND_PORT_DEPENDENT;
        }
        return new Report(local, mapped, other, mapping, Optional.of(filtering));
    }

    /**
     * The mapping test alone (RFC 5780 section 4.3, tests I-III): what the peer needs to choose
     * its half of the birthday technique. Empty when the server has no alternate address or
     * does not answer.
     */
    public Optional<Behaviour> mapping(InetSocketAddress server) throws IOException {
        Optional<StunMessage> first = binding(server, null);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetSocketAddress> other = first.get().attribute(StunAttribute.OtherAddress.class)
                .map(StunAttribute.OtherAddress::address);
        return other.isEmpty() ? Optional.empty() : mapping(server, mapped(first.get()), other.get());
    }

    private Optional<Behaviour> mapping(InetSocketAddress server, InetSocketAddress mapped, InetSocketAddress alt)
            throws IOException {
        Optional<StunMessage> two = binding(new InetSocketAddress(alt.getAddress(), server.getPort()), null);
        if (two.isEmpty()) {
            return Optional.empty();
        }
        if (mapped(two.get()).equals(mapped)) {
            return Optional.of(Behaviour.ENDPOINT_INDEPENDENT);
        }
        Optional<StunMessage> three = binding(alt, null);
        return three.map(m -> mapped(m).equals(mapped(two.get()))
                ? Behaviour.ADDRESS_DEPENDENT : Behaviour.ADDRESS_AND_PORT_DEPENDENT);
    }

    private static InetSocketAddress mapped(StunMessage m) {
        return m.attribute(StunAttribute.XorMappedAddress.class).map(StunAttribute.XorMappedAddress::address)
                .or(() -> m.attribute(StunAttribute.MappedAddress.class).map(StunAttribute.MappedAddress::address))
                .orElseThrow(() -> new StunException(dev.protokit.rendezvous.stun.StunError.BAD_REQUEST,
                        "Binding response without XOR-MAPPED-ADDRESS"));
    }

    private Optional<StunMessage> binding(InetSocketAddress to, StunAttribute change) throws IOException {
        TransactionId id = TransactionId.random();
        StunMessage request = change == null
                ? StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, id)
                : StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, id, change);
        ByteBuffer bytes = StunCodec.encode(request, Seal.FINGERPRINT);
        ByteBuffer in = ByteBuffer.allocate(1500);
        long wait = FIRST_WAIT.toMillis();
        for (int attempt = 0; attempt < TRIES; attempt++, wait *= 2) {
            channel.send(bytes.duplicate(), to);
            long end = System.nanoTime() + wait * 1_000_000L;
            while (System.nanoTime() < end) {
                in.clear();
                channel.socket().setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000L));
                try {
                    java.net.DatagramPacket packet = new java.net.DatagramPacket(in.array(), in.capacity());
                    channel.socket().receive(packet);
                    ByteBuffer got = ByteBuffer.wrap(in.array(), 0, packet.getLength());
                    if (!StunCodec.looksLikeStun(got)) {
                        continue;
                    }
                    StunMessage m = StunCodec.decode(got);
                    if (m.transactionId().equals(id) && m.messageClass() == StunClass.SUCCESS_RESPONSE) {
                        return Optional.of(m);
                    }
                } catch (SocketTimeoutException e) {
                    break;
                } catch (StunException e) {
                    // a malformed answer: keep waiting
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
