package dev.protokit.rendezvous.stun;

import static dev.protokit.rendezvous.stun.Rfc5769Test.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.stun.StunAttribute.*;
import dev.protokit.rendezvous.stun.StunIntegrity.Verification;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Message types bit by bit, every attribute round-tripped, sealing with each integrity variant. */
class StunCodecTest {
    static final TransactionId TX = TransactionId.ofHex("0102030405060708090a0b0c");

    @ParameterizedTest(name = "{0} {1} = {2}")
    @CsvSource({
        "BINDING,           REQUEST,          0x0001",
        "BINDING,           SUCCESS_RESPONSE, 0x0101",
        "BINDING,           ERROR_RESPONSE,   0x0111",
        "ALLOCATE,          REQUEST,          0x0003",
        "ALLOCATE,          ERROR_RESPONSE,   0x0113",
        "SEND,              INDICATION,       0x0016",
        "DATA,              INDICATION,       0x0017",
        "CHANNEL_BIND,      SUCCESS_RESPONSE, 0x0109",
        "CREATE_PERMISSION, REQUEST,          0x0008",
    })
    void messageTypeInterleavesClassBits(StunMethod method, StunClass cls, String wire) {
        int type = Integer.decode(wire);
        assertEquals(type, StunCodec.messageType(method, cls));
        assertEquals(method.wireValue(), StunCodec.methodBits(type));
        assertEquals(cls.wireValue(), StunCodec.classBits(type));
    }

    @Test
    void plainBindingRequestIsTwentyBytes() {
        var m = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TX);
        assertEquals(hex("00010000 2112a442 01020304 05060708 090a0b0c"), StunCodec.encode(m, Seal.NONE));
    }

    @Test
    void bindingResponseWithFingerprintIsFortyBytes() throws Exception {
        var m = StunMessage.of(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, TX,
                new XorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)));
        ByteBuffer wire = StunCodec.encode(m, Seal.FINGERPRINT);
        assertEquals(40, wire.remaining());
        assertEquals(hex("""
                01010014 2112a442 01020304 05060708 090a0b0c   success, length 20
                00200008 0001a147 e112a643                     XOR-MAPPED-ADDRESS 192.0.2.1:32853
                """), wire.duplicate().limit(32));
        StunMessage back = StunCodec.decode(wire);
        assertEquals(m.attributes().get(0), back.attributes().get(0));
        assertTrue(back.has(Fingerprint.class));
    }

    static List<StunAttribute> everyAttribute() throws Exception {
        var v4 = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 3478);
        var v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::42"), 65535);
        return List.of(new MappedAddress(v4), new XorMappedAddress(v6), new XorPeerAddress(v4),
                new XorRelayedAddress(v6), new AlternateServer(v4), new ResponseOrigin(v6), new OtherAddress(v4),
                new Username("1735689600:alice"), new Realm("protokit"), new Nonce("abc\u00e9"), new Software("x"),
                new ErrorCode(438, "Stale Nonce"), new UnknownAttributes(List.of(0x7777, 0x0002, 0x0004)),
                new ChannelNumber(0x4001), new Lifetime(0xffff_ffffL), new Data(Bytes.ofHex("00ff10")),
                new RequestedAddressFamily(AddressFamily.IPV6), new AdditionalAddressFamily(AddressFamily.IPV6),
                new EvenPort(true), new EvenPort(false), new RequestedTransport(17), new DontFragment(),
                new ReservationToken(Bytes.ofHex("0102030405060708")), new Icmp(3, 13, 0x12345678L),
                new ChangeRequest(true, false), new ChangeRequest(false, true), new ResponsePort(1),
                new Padding(5), new Priority(1L << 31), new UseCandidate(), new IceRole(true, -1L),
                new IceRole(false, 7L), new Unknown(0x7777, Bytes.ofHex("abcdef")), new Unknown(0xc001, Bytes.of()));
    }

    @Test
    void everyAttributeRoundTrips() throws Exception {
        var m = new StunMessage(StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE, TX, everyAttribute());
        StunMessage back = StunCodec.decode(StunCodec.encode(m, Seal.NONE));
        assertEquals(m, back);
        assertEquals(List.of(0x7777), back.unknownComprehensionRequired());
    }

    @Test
    void sealedMessagesVerifyWithTheirKeyOnly() throws Exception {
        IntegrityKey key = IntegrityKey.longTerm("alice", "protokit", "secret", PasswordAlgorithm.SHA_256);
        var m = new StunMessage(StunMethod.ALLOCATE, StunClass.REQUEST, TX, everyAttribute());
        for (Seal seal : List.of(Seal.integrity(key, true, false, true), Seal.integrity(key, false, true, true),
                Seal.integrity(key, true, true, false))) {
            ByteBuffer wire = StunCodec.encode(m, seal);
            assertEquals(StunCodec.encodedLength(m, seal), wire.remaining());
            StunCodec.decode(wire.duplicate()); // checks the FINGERPRINT
            assertEquals(Verification.VALID, StunIntegrity.verify(wire, key));
            assertEquals(Verification.INVALID, StunIntegrity.verify(wire, IntegrityKey.shortTerm("secret")));
        }
        assertEquals(Verification.ABSENT, StunIntegrity.verify(StunCodec.encode(m, Seal.FINGERPRINT), key));
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredButFingerprintIsKept() {
        IntegrityKey key = IntegrityKey.shortTerm("pw");
        var m = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TX, new Username("u"));
        ByteBuffer sealed = StunCodec.encode(m, Seal.integrity(key, true, false, false));
        // Append SOFTWARE after MESSAGE-INTEGRITY, then a FINGERPRINT over it all.
        ByteBuffer out = ByteBuffer.allocate(sealed.remaining() + 8 + 8);
        out.put(sealed.duplicate());
        StunCodec.putAttribute(new Software("late"), TX, out);
        out.putShort(2, (short) (out.position() - 20));
        StunIntegrity.seal(out, 0, Seal.FINGERPRINT);
        StunMessage back = StunCodec.decode(out.flip());
        assertFalse(back.has(Software.class));
        assertTrue(back.has(MessageIntegrity.class) && back.has(Fingerprint.class));
    }

    @Test
    void demultiplexingLooksAtCookieAndTopBits() {
        assertTrue(StunCodec.looksLikeStun(hex("00010000 2112a442 01020304 05060708 090a0b0c")));
        assertFalse(StunCodec.looksLikeStun(hex("40010000 2112a442 01020304 05060708 090a0b0c")));
        assertFalse(StunCodec.looksLikeStun(hex("00010000 2112a443 01020304 05060708 090a0b0c")));
        assertTrue(ChannelData.looksLikeChannelData(hex("40000000")));
        assertFalse(ChannelData.looksLikeChannelData(hex("80000000")));
    }
}
