package dev.protokit.rendezvous.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.stun.AttributeType;
import dev.protokit.rendezvous.stun.Bytes;
import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunAttribute.*;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunIntegrity;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real server on loopback, port 0, answering real sockets. */
class StunServerTest {
    private RendezvousServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Answer(StunMessage message, ByteBuffer raw, SocketAddress from) {}

    static Answer exchange(DatagramChannel client, InetSocketAddress to, StunMessage request, Seal seal) throws Exception {
        client.send(StunCodec.encode(request, seal), to);
        var packet = new java.net.DatagramPacket(new byte[2048], 2048);
        client.socket().receive(packet); // the adaptor honours the 10 s timeout; a missing answer fails the test
        ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
        return new Answer(StunCodec.decode(in.duplicate()), in, packet.getSocketAddress());
    }

    static DatagramChannel client() throws Exception {
        DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        c.socket().setSoTimeout(10_000);
        return c;
    }

    /** The server on {@code primary} with RFC 5780's alternate address. */
    static RendezvousServer startWithAlternate(InetAddress primary, InetAddress alternate) throws Exception {
        var base = RendezvousServerConfig.forTests();
        return RendezvousServer.start(new RendezvousServerConfig(new InetSocketAddress(primary, 0), base.alternate(),
                base.stunCredentials(), base.limits(), base.idleTimeout(), base.handshakeTimeout(), base.requestRate(),
                base.rendezvous(), base.turn(), false).withAlternate(alternate));
    }

    @Test
    void plainBindingGetsTheSourceAddressInFiftyTwoBytes() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests());
        try (DatagramChannel c = client()) {
            var request = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random());
            Answer a = exchange(c, server.localAddress(), request, Seal.NONE);
            assertEquals(52, a.raw().remaining());
            assertEquals(StunClass.SUCCESS_RESPONSE, a.message().messageClass());
            assertEquals(request.transactionId(), a.message().transactionId());
            assertEquals(c.getLocalAddress(), a.message().attribute(XorMappedAddress.class).orElseThrow().address());
            // Also the legacy attribute, which nmap's stun-info and other old clients read.
            assertEquals(c.getLocalAddress(), a.message().attribute(MappedAddress.class).orElseThrow().address());
            assertTrue(a.message().has(Fingerprint.class));
            assertEquals(server.localAddress(), a.from());
        }
    }

    @Test
    void unknownComprehensionRequiredAttributesGet420AndMalformedMessagesNothing() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests());
        try (DatagramChannel c = client()) {
            c.send(ByteBuffer.wrap(new byte[] {0, 1, 0, 4, 0x21, 0x12, (byte) 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                11, 12}), server.localAddress()); // length field past the end: dropped
            var request = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random(),
                    new Unknown(0x7001, Bytes.ofHex("00000000")), new Unknown(0xc001, Bytes.of()));
            Answer a = exchange(c, server.localAddress(), request, Seal.FINGERPRINT);
            assertEquals(request.transactionId(), a.message().transactionId()); // the malformed one got nothing
            assertEquals(StunClass.ERROR_RESPONSE, a.message().messageClass());
            assertEquals(420, a.message().attribute(ErrorCode.class).orElseThrow().code());
            assertEquals(List.of(0x7001), a.message().attribute(UnknownAttributes.class).orElseThrow().types());
            assertTrue(a.raw().remaining() <= StunCodec.encodedLength(request, Seal.FINGERPRINT) + Reply.ALLOWANCE);
        }
    }

    @Test
    void signedRequestsAreCheckedAndAnsweredSigned() throws Exception {
        var key = IntegrityKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBt");
        server = RendezvousServer.start(RendezvousServerConfig.forTests()
                .withStunCredentials(new StunResponder.ShortTerm("evtj:h6vY", key)));
        try (DatagramChannel c = client()) {
            var request = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random(),
                    new Username("evtj:h6vY"));
            Answer ok = exchange(c, server.localAddress(), request, Seal.integrity(key, false, true, true));
            assertEquals(StunClass.SUCCESS_RESPONSE, ok.message().messageClass());
            assertEquals(StunIntegrity.Verification.VALID, StunIntegrity.verify(ok.raw(), key));
            assertTrue(ok.message().has(MessageIntegritySha256.class));
            Answer bad = exchange(c, server.localAddress(), request,
                    Seal.integrity(IntegrityKey.shortTerm("wrong"), true, false, true));
            assertEquals(401, bad.message().attribute(ErrorCode.class).orElseThrow().code());
        }
    }

    @Test
    void withAnAlternateAddressChangeRequestIsAnsweredFromTheOtherEndpoint() throws Exception {
        InetAddress primary = InetAddress.getByName("127.0.0.1");
        InetAddress alternate = InetAddress.getByName("127.0.0.2");
        server = startWithAlternate(primary, alternate);
        int port = server.localAddress().getPort();
        try (DatagramChannel c = client()) {
            Answer plain = exchange(c, server.localAddress(),
                    StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random()), Seal.NONE);
            assertEquals(new InetSocketAddress(alternate, port + 1),
                    plain.message().attribute(OtherAddress.class).orElseThrow().address());
            Answer both = exchange(c, server.localAddress(), StunMessage.of(StunMethod.BINDING, StunClass.REQUEST,
                    TransactionId.random(), new ChangeRequest(true, true)), Seal.NONE);
            assertEquals(new InetSocketAddress(alternate, port + 1), both.from());
            assertEquals(new InetSocketAddress(alternate, port + 1),
                    both.message().attribute(ResponseOrigin.class).orElseThrow().address());
            Answer portOnly = exchange(c, server.localAddress(), StunMessage.of(StunMethod.BINDING, StunClass.REQUEST,
                    TransactionId.random(), new ChangeRequest(false, true)), Seal.NONE);
            assertEquals(new InetSocketAddress(primary, port + 1), portOnly.from());
        }
    }

    /** Sends an RFC 3489 request (cookie field 0x6b8b4567) and reads the answer's raw bytes. */
    static Answer exchangeRfc3489(DatagramChannel client, InetSocketAddress to, StunAttribute... attributes)
            throws Exception {
        var id = TransactionId.random();
        ByteBuffer request = StunCodec.encode(StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, id, attributes),
                Seal.NONE);
        request.putInt(4, 0x6b8b4567);
        client.send(request, to);
        var packet = new java.net.DatagramPacket(new byte[2048], 2048);
        client.socket().receive(packet);
        ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
        assertEquals(0x6b8b4567, in.getInt(4), "the client's cookie field comes back");
        ByteBuffer parsed = ByteBuffer.allocate(in.remaining()).put(in.duplicate()).flip().putInt(4, StunCodec.MAGIC_COOKIE);
        StunMessage m = StunCodec.decode(parsed);
        assertEquals(id, m.transactionId());
        assertTrue(in.remaining() <= request.capacity() + Reply.ALLOWANCE);
        return new Answer(m, in, packet.getSocketAddress());
    }

    @Test
    void rfc3489BindingRequestGetsMappedAddressWithItsOwnTransactionId() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests());
        try (DatagramChannel c = client()) {
            c.socket().setSoTimeout(2_000); // before RFC 3489 support the request was dropped
            Answer a = exchangeRfc3489(c, server.localAddress());
            assertEquals(StunClass.SUCCESS_RESPONSE, a.message().messageClass());
            assertEquals(List.of(new MappedAddress((InetSocketAddress) c.getLocalAddress())), a.message().attributes());
            assertEquals(32, a.raw().remaining());
            Answer change = exchangeRfc3489(c, server.localAddress(), new ChangeRequest(true, false));
            assertEquals(420, change.message().attribute(ErrorCode.class).orElseThrow().code());
            assertEquals(List.of(AttributeType.CHANGE_REQUEST.wireValue(), AttributeType.CHANGE_REQUEST.wireValue()),
                    change.message().attribute(UnknownAttributes.class).orElseThrow().types()); // RFC 3489: an even count
            Answer responseAddress = exchangeRfc3489(c, server.localAddress(), new Unknown(0x0002, Bytes.ofHex("0001000a7f000001")));
            assertEquals(420, responseAddress.message().attribute(ErrorCode.class).orElseThrow().code());
        }
    }

    @Test
    void rfc3489NatDiscoveryGetsSourceAndChangedAddressAndChangeRequestHonoured() throws Exception {
        InetAddress primary = InetAddress.getByName("127.0.0.1");
        InetAddress alternate = InetAddress.getByName("127.0.0.2");
        server = startWithAlternate(primary, alternate);
        int port = server.localAddress().getPort();
        try (DatagramChannel c = client()) {
            c.socket().setSoTimeout(2_000);
            Answer test1 = exchangeRfc3489(c, server.localAddress(), new ChangeRequest(false, false));
            assertEquals(List.of(new MappedAddress((InetSocketAddress) c.getLocalAddress()),
                    new SourceAddress(server.localAddress()), new ChangedAddress(new InetSocketAddress(alternate, port + 1))),
                    test1.message().attributes());
            Answer test2 = exchangeRfc3489(c, server.localAddress(), new ChangeRequest(true, true));
            assertEquals(new InetSocketAddress(alternate, port + 1), test2.from());
            assertEquals(new SourceAddress(new InetSocketAddress(alternate, port + 1)),
                    test2.message().attribute(SourceAddress.class).orElseThrow());
            Answer test3 = exchangeRfc3489(c, server.localAddress(), new ChangeRequest(false, true));
            assertEquals(new InetSocketAddress(primary, port + 1), test3.from());
        }
    }

    @Test
    void aFloodOfGarbageGetsNoAnswerAndDoesNotStopTheServer() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests());
        try (DatagramChannel c = client()) {
            var random = new java.util.Random(8);
            for (int i = 0; i < 3000; i++) {
                byte[] junk = new byte[1 + random.nextInt(600)];
                random.nextBytes(junk);
                if (i % 3 == 0 && junk.length >= 20) { // some with a valid cookie, to reach the decoder
                    junk[0] &= 0x3f;
                    System.arraycopy(new byte[] {0x21, 0x12, (byte) 0xa4, 0x42}, 0, junk, 4, 4);
                }
                c.send(ByteBuffer.wrap(junk), server.localAddress());
            }
            // The kernel may drop a request while the flood fills the socket buffer: retransmit, as
            // STUN clients do (RFC 8489 6.2.1), until answered. Nothing in the flood is ever answered.
            var request = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random());
            c.socket().setSoTimeout(500);
            Answer a = null;
            for (int attempt = 0; a == null && attempt < 40; attempt++) {
                try {
                    a = exchange(c, server.localAddress(), request, Seal.NONE);
                } catch (java.net.SocketTimeoutException e) {
                    // retransmit
                }
            }
            assertTrue(a != null, "no answer after the flood");
            assertEquals(request.transactionId(), a.message().transactionId());
        }
    }

    @Test
    void responsePortIsRefusedSoNothingGoesElsewhere() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests());
        try (DatagramChannel c = client()) {
            Answer a = exchange(c, server.localAddress(), StunMessage.of(StunMethod.BINDING, StunClass.REQUEST,
                    TransactionId.random(), new ResponsePort(9)), Seal.NONE);
            assertEquals(List.of(AttributeType.RESPONSE_PORT.wireValue()),
                    a.message().attribute(UnknownAttributes.class).orElseThrow().types());
        }
    }

    @Test
    void stunOverTcpAnswersOnTheSamePort() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests());
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            for (int i = 0; i < 2; i++) {
                var request = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random());
                s.getOutputStream().write(StunCodec.encode(request, Seal.NONE).array());
                var in = new DataInputStream(s.getInputStream());
                byte[] header = new byte[20];
                in.readFully(header);
                byte[] message = new byte[20 + (((header[2] & 0xff) << 8) | (header[3] & 0xff))];
                System.arraycopy(header, 0, message, 0, 20);
                in.readFully(message, 20, message.length - 20);
                StunMessage answer = StunCodec.decode(ByteBuffer.wrap(message));
                assertEquals(request.transactionId(), answer.transactionId());
                assertEquals(s.getLocalSocketAddress(), answer.attribute(XorMappedAddress.class).orElseThrow().address());
            }
        }
    }
}
