package dev.protokit.rendezvous.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunAttribute.Fingerprint;
import dev.protokit.rendezvous.stun.StunAttribute.MappedAddress;
import dev.protokit.rendezvous.stun.StunAttribute.OtherAddress;
import dev.protokit.rendezvous.stun.StunAttribute.ResponseOrigin;
import dev.protokit.rendezvous.stun.StunAttribute.XorMappedAddress;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an unauthenticated Binding answer keeps within 48 bytes of the request: FINGERPRINT goes
 * first when the request had none, so RFC 5780's answer to a 20-byte request keeps MAPPED-ADDRESS
 * (section 6.1 asks for it beside XOR-MAPPED-ADDRESS). Before, MAPPED-ADDRESS went first and
 * nmap's stun-info, which reads only it, printed nothing against a server with
 * --alternate-address.
 */
class StunResponderBoundTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 3478);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private static ByteBuffer answer(Endpoints endpoints, InetSocketAddress from, InetSocketAddress local, Seal seal) {
        ByteBuffer raw = StunCodec.encode(StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random()),
                seal);
        StunMessage request = StunCodec.decode(raw.duplicate());
        return new StunResponder(endpoints, Optional.empty()).binding(request, raw, from, local).orElseThrow().answer();
    }

    private static List<Class<?>> kinds(ByteBuffer answer) {
        return StunCodec.decode(answer.duplicate()).attributes().stream().map(StunAttribute::getClass)
                .<Class<?>>map(c -> c).toList();
    }

    @Test
    void rfc5780AnswersToATwentyByteRequestKeepMappedAddressAndDropFingerprint() throws Exception {
        var endpoints = new Endpoints(LOCAL, Optional.of(InetAddress.getByName("127.0.0.2")), 3479);
        ByteBuffer plain = answer(endpoints, CLIENT, LOCAL, Seal.NONE);
        assertEquals(68, plain.remaining());
        assertEquals(List.of(XorMappedAddress.class, MappedAddress.class, OtherAddress.class, ResponseOrigin.class),
                kinds(plain));
        // A client that uses FINGERPRINT sends one, which buys the room for the answer's.
        ByteBuffer withFingerprint = answer(endpoints, CLIENT, LOCAL, Seal.FINGERPRINT);
        assertEquals(76, withFingerprint.remaining());
        assertEquals(List.of(XorMappedAddress.class, MappedAddress.class, OtherAddress.class, ResponseOrigin.class,
                Fingerprint.class), kinds(withFingerprint));
    }

    @Test
    void plainAnswersAreUnchangedAndIpv6KeepsBothAddresses() throws Exception {
        var endpoints = new Endpoints(LOCAL, Optional.empty(), 3479);
        ByteBuffer v4 = answer(endpoints, CLIENT, LOCAL, Seal.NONE);
        assertEquals(52, v4.remaining());
        assertEquals(List.of(XorMappedAddress.class, MappedAddress.class, Fingerprint.class), kinds(v4));

        var local6 = new InetSocketAddress(InetAddress.getByName("::1"), 3478);
        ByteBuffer v6 = answer(new Endpoints(local6, Optional.empty(), 3479),
                new InetSocketAddress(InetAddress.getByName("::1"), 40000), local6, Seal.NONE);
        assertEquals(68, v6.remaining());
        assertEquals(List.of(XorMappedAddress.class, MappedAddress.class), kinds(v6));
    }
}
