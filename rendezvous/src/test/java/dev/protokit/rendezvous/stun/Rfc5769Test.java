package dev.protokit.rendezvous.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.rendezvous.stun.StunAttribute.*;
import dev.protokit.rendezvous.stun.StunIntegrity.Verification;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import dev.protokit.rendezvous.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The four sample messages of RFC 5769 (section 2), byte for byte: each decodes to the
 * attributes the RFC lists, its FINGERPRINT and MESSAGE-INTEGRITY check with the RFC's
 * credentials, and the long-term request is re-encoded to exactly the RFC's bytes.
 */
class Rfc5769Test {
    static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    static final TransactionId TX = TransactionId.ofHex("b7e7a701bc34d686fa87dfae");

    /** 2.1 Sample Request. */
    static final String REQUEST = """
            00010058 2112a442 b7e7a701 bc34d686 fa87dfae   Binding request, length 88, cookie, txid
            80220010 5354554e 20746573 7420636c 69656e74   SOFTWARE "STUN test client"
            00240004 6e0001ff                              PRIORITY 0x6e0001ff
            80290008 932ff9b1 51263b36                     ICE-CONTROLLED tie-breaker
            00060009 6576746a 3a683676 59202020            USERNAME "evtj:h6vY" + 3 padding spaces
            00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2   MESSAGE-INTEGRITY
            80280004 e57a3bcf                              FINGERPRINT
            """;
    /** 2.2 Sample IPv4 Response. */
    static final String RESPONSE_V4 = """
            0101003c 2112a442 b7e7a701 bc34d686 fa87dfae   Binding success, length 60
            8022000b 74657374 20766563 746f7220            SOFTWARE "test vector" + 1 padding space
            00200008 0001a147 e112a643                     XOR-MAPPED-ADDRESS 192.0.2.1:32853
            00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7   MESSAGE-INTEGRITY
            80280004 c07d4c96                              FINGERPRINT
            """;
    /** 2.3 Sample IPv6 Response. */
    static final String RESPONSE_V6 = """
            01010048 2112a442 b7e7a701 bc34d686 fa87dfae   Binding success, length 72
            8022000b 74657374 20766563 746f7220            SOFTWARE "test vector"
            00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9   XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853
            00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41   MESSAGE-INTEGRITY
            80280004 c8fb0b4c                              FINGERPRINT
            """;
    /** 2.4 Sample Request with Long-Term Authentication. */
    static final String LONG_TERM = """
            00010060 2112a442 78ad3433 c6ad72c0 29da412e   Binding request, length 96
            00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000   USERNAME (6 katakana, UTF-8)
            0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341   NONCE
            0014000b 6578616d 706c652e 6f726700            REALM "example.org"
            00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666   MESSAGE-INTEGRITY
            """;
    static final String USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    static final String PASSWORD = "The\u00ADM\u00AAtr\u2168"; // "TheMatrIX" after SASLprep

    static ByteBuffer hex(String annotated) {
        return Fixtures.hex(annotated);
    }

    @Test
    void sampleRequestDecodesAndVerifiesWithShortTermCredentials() {
        StunMessage m = StunCodec.decode(hex(REQUEST));
        assertEquals(StunMethod.BINDING, m.method());
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertEquals(TX, m.transactionId());
        assertEquals(List.of(new Software("STUN test client"), new Priority(0x6e0001ffL),
                new IceRole(false, 0x932ff9b151263b36L), new Username("evtj:h6vY"),
                new MessageIntegrity(Bytes.ofHex("9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2")),
                new Fingerprint(0xe57a3bcf)), m.attributes());
        assertEquals(Verification.VALID, StunIntegrity.verify(hex(REQUEST), IntegrityKey.shortTerm(SHORT_TERM_PASSWORD)));
        assertEquals(Verification.INVALID, StunIntegrity.verify(hex(REQUEST), IntegrityKey.shortTerm("wrong")));
    }

    @Test
    void sampleIpv4ResponseCarriesTheMappedAddress() throws Exception {
        StunMessage m = StunCodec.decode(hex(RESPONSE_V4));
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853),
                m.attribute(XorMappedAddress.class).orElseThrow().address());
        assertEquals("test vector", m.attribute(Software.class).orElseThrow().text());
        assertEquals(Verification.VALID, StunIntegrity.verify(hex(RESPONSE_V4), IntegrityKey.shortTerm(SHORT_TERM_PASSWORD)));
    }

    @Test
    void sampleIpv6ResponseCarriesTheMappedAddress() throws Exception {
        StunMessage m = StunCodec.decode(hex(RESPONSE_V6));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.attribute(XorMappedAddress.class).orElseThrow().address());
        assertEquals(Verification.VALID, StunIntegrity.verify(hex(RESPONSE_V6), IntegrityKey.shortTerm(SHORT_TERM_PASSWORD)));
    }

    @Test
    void longTermRequestVerifiesAndReencodesByteForByte() {
        StunMessage m = StunCodec.decode(hex(LONG_TERM));
        assertEquals(USERNAME, m.attribute(Username.class).orElseThrow().text());
        assertEquals("f//499k954d6OL34oL9FSTvy64sA", m.attribute(Nonce.class).orElseThrow().text());
        assertEquals("example.org", m.attribute(Realm.class).orElseThrow().text());
        IntegrityKey key = IntegrityKey.longTerm(USERNAME, "example.org", PASSWORD, PasswordAlgorithm.MD5);
        assertEquals(Verification.VALID, StunIntegrity.verify(hex(LONG_TERM), key));

        StunMessage unsealed = StunMessage.of(StunMethod.BINDING, StunClass.REQUEST,
                TransactionId.ofHex("78ad3433c6ad72c029da412e"), new Username(USERNAME),
                new Nonce("f//499k954d6OL34oL9FSTvy64sA"), new Realm("example.org"));
        assertEquals(hex(LONG_TERM), StunCodec.encode(unsealed, Seal.integrity(key, true, false, false)));
    }

    @Test
    void passwordIsPreparedWithSaslPrep() {
        assertEquals("TheMatrIX", SaslPrep.prepare(PASSWORD));
        assertThrows(IllegalArgumentException.class, () -> SaslPrep.prepare("a\u0007b"));
    }

    @Test
    void changingOneByteOfASignedVectorBreaksTheFingerprint() {
        ByteBuffer b = hex(RESPONSE_V4);
        b.put(27, (byte) 23); // inside SOFTWARE, as coturn's negative test does
        var e = assertThrows(StunException.class, () -> StunCodec.decode(b));
        assertEquals("BAD_REQUEST FINGERPRINT 0xc07d4c96 at offset 0x0048 expected 0x6b1df9a7", e.getMessage());
    }

    @Test
    void changingOneByteOfTheLongTermVectorBreaksTheIntegrity() {
        ByteBuffer b = hex(LONG_TERM);
        b.put(32, (byte) 10);
        IntegrityKey key = IntegrityKey.longTerm(USERNAME, "example.org", PASSWORD, PasswordAlgorithm.MD5);
        assertEquals(Verification.INVALID, StunIntegrity.verify(b, key));
    }
}
