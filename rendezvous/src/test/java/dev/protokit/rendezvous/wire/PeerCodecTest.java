package dev.protokit.rendezvous.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static PeerPacket decode(String hex) {
        return PeerCodec.decode(ByteBuffer.wrap(HEX.parseHex(hex.replace(" ", ""))));
    }

    private static PeerException rejects(String hex) {
        return assertThrows(PeerException.class, () -> decode(hex));
    }

    @Test
    void decodesAnAnnotatedProbe() {
        PeerPacket probe = decode("c0" + "01" + "0000" + "0102030405060708" + "1112131415161718");
        //                         type flags(reply) reserved session tag         nonce
        assertEquals(new PeerProbe(true, 0x0102030405060708L, 0x1112131415161718L), probe);
        assertEquals("c0010000010203040506070811121314151617 18".replace(" ", ""),
                HEX.formatHex(PeerCodec.toBytes(probe)));
    }

    @Test
    void decodesAnAnnotatedConfirmAndAbort() {
        assertEquals(new PeerConfirm("ab", BigInteger.valueOf(-2)), decode("c3 00 02 6162 01 fe"));
        //                                                       type rsv idlen "ab" len tag(-2)
        assertEquals(new PeerAbort(PeerError.WRONG_CODE, "ab"), decode("c5 04 02 6162"));
    }

    @Test
    void roundTripsEveryHandshakePacket() {
        BigInteger big = BigInteger.TWO.pow(3071).add(BigInteger.valueOf(12345));
        List<PeerPacket> packets = List.of(
                new PeerProbe(false, -1L, 42L),
                new PeerHello("rdv1-7-00ff", 2, big, big.subtract(BigInteger.ONE), BigInteger.TWO.pow(255)),
                new PeerKeyShare("rdv1-7-00ff", big, big, BigInteger.ONE),
                new PeerConfirm("rdv1-7-00ff", BigInteger.TWO.pow(255).negate()),
                new PeerAbort(PeerError.HANDSHAKE, "x"),
                new PeerSealed(7, ByteBuffer.wrap(new byte[40])));
        for (PeerPacket p : packets) {
            assertEquals(p, PeerCodec.decode(ByteBuffer.wrap(PeerCodec.toBytes(p))), p.toString());
        }
    }

    @Test
    void rejectsCorruptDatagramsNamingTheField() {
        assertEquals("MALFORMED type 0x07", rejects("07").getMessage());
        assertEquals("MALFORMED type 0xc6", rejects("c6 00").getMessage());
        assertEquals("MALFORMED type truncated at 0x0000", rejects("").getMessage());
        assertEquals("MALFORMED probe length 0x0013", rejects("c0 00 0000 0102030405060708 11121314151617").getMessage());
        assertEquals("MALFORMED probe flags 0x02", rejects("c0 02 0000 0102030405060708 1112131415161718").getMessage());
        assertEquals("MALFORMED hello part 0x03", rejects("c1 03 01 61 0001 05 0001 05 0001 05").getMessage());
        assertEquals("MALFORMED participant id byte 0x20", rejects("c1 01 01 20 0001 05 0001 05 0001 05").getMessage());
        assertEquals("MALFORMED participant id length 0x00", rejects("c1 01 00 0001 05 0001 05 0001 05").getMessage());
        assertEquals("MALFORMED gx length 0x0000", rejects("c1 01 01 61 0000").getMessage());
        assertEquals("MALFORMED gx out of range (0 bits)", rejects("c1 01 01 61 0001 00 0001 05 0001 05").getMessage());
        assertEquals("MALFORMED gv truncated at 0x0001", rejects("c1 01 01 61 0001 05 0002 05").getMessage());
        assertEquals("MALFORMED 0x0001 trailing bytes after hello",
                rejects("c1 01 01 61 0001 05 0001 05 0001 05 ff").getMessage());
        assertEquals("MALFORMED key share reserved byte 0x01", rejects("c2 01 01 61").getMessage());
        assertEquals("MALFORMED mac tag length 0x22", rejects("c3 00 01 61 22").getMessage());
        assertEquals("MALFORMED abort reason 0x09", rejects("c5 09 01 61").getMessage());
        assertEquals("MALFORMED sequence 8000000000000000",
                rejects("c4 8000000000000000 00000000000000000000000000000000").getMessage());
        assertEquals("MALFORMED datagram length 0x04b1", rejects("c4" + "00".repeat(1200)).getMessage());
    }

    @Test
    void everyTypeByteIsOutsideStunAndChannelData() {
        for (PeerPacketType type : PeerPacketType.values()) {
            int b = type.wireValue();
            assertEquals(type, PeerPacketType.fromWire(b));
            assertEquals(false, b <= 3 || (b >= 64 && b <= 79), type.name());
        }
    }
}
