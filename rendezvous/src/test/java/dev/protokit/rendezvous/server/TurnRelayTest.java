package dev.protokit.rendezvous.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.stun.Bytes;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.PasswordAlgorithm;
import dev.protokit.rendezvous.stun.RestCredentials;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunAttribute.*;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunIntegrity;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TURN over UDP against the real server: long-term REST auth, permissions, Send/Data, channels, Refresh. */
class TurnRelayTest {
    private final RestCredentials rest = new RestCredentials("north".getBytes(StandardCharsets.UTF_8));
    private RendezvousServer server;
    private DatagramSocket client;
    private DatagramSocket peer;

    @BeforeEach
    void start() throws Exception {
        server = RendezvousServer.start(RendezvousServerConfig.forTests().withTurn(TurnConfig.defaults(rest)));
        client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client.setSoTimeout(10_000);
        peer.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() {
        client.close();
        peer.close();
        server.close();
    }

    private ByteBuffer exchange(StunMessage m, Seal seal) throws Exception {
        ByteBuffer out = StunCodec.encode(m, seal);
        client.send(new DatagramPacket(out.array(), out.remaining(), server.localAddress()));
        return receive(client);
    }

    private static ByteBuffer receive(DatagramSocket s) throws Exception {
        var p = new DatagramPacket(new byte[4096], 4096);
        s.receive(p);
        return ByteBuffer.wrap(p.getData(), 0, p.getLength()).slice();
    }

    private static int code(StunMessage m) {
        return m.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
    }

    /** A signed request: USERNAME, REALM, NONCE, then MESSAGE-INTEGRITY with the MD5 long-term key. */
    private ByteBuffer signed(StunMethod method, String user, String nonce, StunAttribute... more) throws Exception {
        var list = new java.util.ArrayList<StunAttribute>(java.util.List.of(more));
        list.addAll(java.util.List.of(new Username(user), new Realm("protokit"), new Nonce(nonce)));
        var m = new StunMessage(method, StunClass.REQUEST, TransactionId.random(), list);
        IntegrityKey key = IntegrityKey.longTerm(user, "protokit", rest.password(user), PasswordAlgorithm.MD5);
        ByteBuffer answer = exchange(m, Seal.integrity(key, true, false, true));
        StunMessage decoded = StunCodec.decode(answer.duplicate());
        if (decoded.messageClass() == StunClass.SUCCESS_RESPONSE) {
            assertEquals(StunIntegrity.Verification.VALID, StunIntegrity.verify(answer, key));
        }
        return answer;
    }

    private String nonce() throws Exception {
        var request = StunMessage.of(StunMethod.ALLOCATE, StunClass.REQUEST, TransactionId.random(),
                new RequestedTransport(RequestedTransport.UDP));
        ByteBuffer raw = exchange(request, Seal.NONE);
        StunMessage challenge = StunCodec.decode(raw.duplicate());
        assertEquals(401, code(challenge));
        assertEquals("protokit", challenge.attribute(Realm.class).orElseThrow().text());
        assertTrue(raw.remaining() <= StunCodec.encodedLength(request, Seal.NONE) + Reply.ALLOWANCE + "protokit".length());
        return challenge.attribute(Nonce.class).orElseThrow().text();
    }

    @Test
    void allocatesAndRelaysBothWaysThroughSendDataAndChannels() throws Exception {
        String user = rest.mint("alice", Instant.now().plus(Duration.ofHours(1))).username();
        String nonce = nonce();
        StunMessage ok = StunCodec.decode(signed(StunMethod.ALLOCATE, user, nonce, new RequestedTransport(17)));
        assertEquals(StunClass.SUCCESS_RESPONSE, ok.messageClass());
        InetSocketAddress relayed = ok.attribute(XorRelayedAddress.class).orElseThrow().address();
        assertEquals(client.getLocalSocketAddress(), ok.attribute(XorMappedAddress.class).orElseThrow().address());
        var peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();

        // A stranger (another IP: permissions are per IP, RFC 8656 9) is dropped; the permitted peer gets through.
        try (var stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            stranger.send(new DatagramPacket(new byte[] {9}, 1, relayed));
        }
        assertEquals(StunClass.SUCCESS_RESPONSE, StunCodec.decode(
                signed(StunMethod.CREATE_PERMISSION, user, nonce, new XorPeerAddress(peerAddress))).messageClass());
        ByteBuffer send = StunCodec.encode(StunMessage.of(StunMethod.SEND, StunClass.INDICATION, TransactionId.random(),
                new XorPeerAddress(peerAddress), new Data(Bytes.of("hello".getBytes()))), Seal.NONE);
        client.send(new DatagramPacket(send.array(), send.remaining(), server.localAddress()));
        var got = new DatagramPacket(new byte[100], 100);
        peer.receive(got);
        assertEquals("hello", new String(got.getData(), 0, got.getLength()));
        assertEquals(relayed, got.getSocketAddress());
        peer.send(new DatagramPacket("back".getBytes(), 4, relayed));
        StunMessage data = StunCodec.decode(receive(client));
        assertEquals(StunMethod.DATA, data.method());
        assertEquals(peerAddress, data.attribute(XorPeerAddress.class).orElseThrow().address());
        assertArrayEquals("back".getBytes(), data.attribute(Data.class).orElseThrow().value().toArray());

        // A channel: ChannelData both ways.
        assertEquals(StunClass.SUCCESS_RESPONSE, StunCodec.decode(signed(StunMethod.CHANNEL_BIND, user, nonce,
                new ChannelNumber(0x4001), new XorPeerAddress(peerAddress))).messageClass());
        var cd = new ChannelData(0x4001, ByteBuffer.wrap("via channel".getBytes()));
        ByteBuffer framed = ByteBuffer.allocate(cd.encodedLength());
        cd.encode(framed);
        client.send(new DatagramPacket(framed.array(), framed.position(), server.localAddress()));
        peer.receive(got);
        assertEquals("via channel", new String(got.getData(), 0, got.getLength()));
        peer.send(new DatagramPacket("ch back".getBytes(), 7, relayed));
        ChannelData back = ChannelData.decode(receive(client));
        assertEquals(0x4001, back.channel());
        assertEquals(ByteBuffer.wrap("ch back".getBytes()), back.data());

        // A second Allocate on the same 5-tuple is a mismatch; Refresh 0 deletes.
        assertEquals(437, code(StunCodec.decode(signed(StunMethod.ALLOCATE, user, nonce, new RequestedTransport(17)))));
        StunMessage gone = StunCodec.decode(signed(StunMethod.REFRESH, user, nonce, new Lifetime(0)));
        assertEquals(0, gone.attribute(Lifetime.class).orElseThrow().seconds());
        await().atMost(Duration.ofSeconds(20)).until(() -> server.allocations() == 0);
    }

    @Test
    void refusesExpiredUsersWrongPasswordsForgedNoncesAndTcpRelaying() throws Exception {
        String nonce = nonce();
        String expired = rest.mint("bob", Instant.now().minusSeconds(5)).username();
        assertEquals(401, code(StunCodec.decode(signed(StunMethod.ALLOCATE, expired, nonce, new RequestedTransport(17)))));
        assertEquals(438, code(StunCodec.decode(signed(StunMethod.ALLOCATE,
                rest.mint("bob", Instant.now().plusSeconds(600)).username(), "AAAAAAAAAAAAAAAA",
                new RequestedTransport(17)))));
        String user = rest.mint("bob", Instant.now().plusSeconds(600)).username();
        var m = StunMessage.of(StunMethod.ALLOCATE, StunClass.REQUEST, TransactionId.random(), new RequestedTransport(17),
                new Username(user), new Realm("protokit"), new Nonce(nonce));
        IntegrityKey wrong = IntegrityKey.longTerm(user, "protokit", "not the password", PasswordAlgorithm.MD5);
        assertEquals(401, code(StunCodec.decode(exchange(m, Seal.integrity(wrong, true, false, false)))));
        assertEquals(442, code(StunCodec.decode(signed(StunMethod.ALLOCATE, user, nonce, new RequestedTransport(6)))));
        assertEquals(0, server.allocations());
    }

    /**
     * RFC 8489 6.3 and RFC 8656 7.2: authentication comes before the unknown-attribute check, so
     * an unsigned Allocate with DONT-FRAGMENT is challenged (it got an unsigned 420 before), and
     * the signed one gets a 420 signed with MESSAGE-INTEGRITY, which the client checks (9.2.5).
     * A request signed both ways is answered with MESSAGE-INTEGRITY alone (9.2.4: no
     * PASSWORD-ALGORITHMS offered, so processed as MD5).
     */
    @Test
    void dontFragmentIsChallengedFirstThenRefusedWithASigned420() throws Exception {
        var unsigned = StunMessage.of(StunMethod.ALLOCATE, StunClass.REQUEST, TransactionId.random(),
                new RequestedTransport(17), new DontFragment());
        StunMessage challenge = StunCodec.decode(exchange(unsigned, Seal.FINGERPRINT));
        assertEquals(401, code(challenge));
        String nonce = challenge.attribute(Nonce.class).orElseThrow().text();
        String user = rest.mint("carol", Instant.now().plusSeconds(600)).username();
        IntegrityKey key = IntegrityKey.longTerm(user, "protokit", rest.password(user), PasswordAlgorithm.MD5);
        ByteBuffer refused = signed(StunMethod.ALLOCATE, user, nonce, new RequestedTransport(17), new DontFragment());
        assertEquals(420, code(StunCodec.decode(refused.duplicate())));
        assertEquals(java.util.List.of(0x001a),
                StunCodec.decode(refused.duplicate()).attribute(UnknownAttributes.class).orElseThrow().types());
        assertEquals(StunIntegrity.Verification.VALID, StunIntegrity.verify(refused, key));
        assertEquals(0, server.allocations());

        var both = new StunMessage(StunMethod.ALLOCATE, StunClass.REQUEST, TransactionId.random(), java.util.List.of(
                new RequestedTransport(17), new Username(user), new Realm("protokit"), new Nonce(nonce)));
        ByteBuffer ok = exchange(both, Seal.integrity(key, true, true, true));
        StunMessage allocated = StunCodec.decode(ok.duplicate());
        assertEquals(StunClass.SUCCESS_RESPONSE, allocated.messageClass());
        assertTrue(allocated.has(MessageIntegrity.class));
        assertEquals(false, allocated.has(MessageIntegritySha256.class));
        assertEquals(StunIntegrity.Verification.VALID, StunIntegrity.verify(ok, key));
    }
}
