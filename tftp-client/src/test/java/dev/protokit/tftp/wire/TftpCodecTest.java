package dev.protokit.tftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Hex fixtures for every packet type, decoded and encoded both ways. */
class TftpCodecTest {
    static ByteBuffer hex(String annotated) {
        String digits = annotated.replaceAll("#[^\\n]*", "").replaceAll("\\s", "");
        return ByteBuffer.wrap(HexFormat.of().parseHex(digits));
    }

    static String hexOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void assertRoundTrip(String fixture, TftpPacket expected) {
        assertEquals(expected, TftpCodec.decode(hex(fixture)));
        assertEquals(hexOf(hex(fixture)), hexOf(TftpCodec.encode(expected)));
    }

    @Test
    void readRequestWithOptions() {
        assertRoundTrip("""
                0001                      # RRQ
                626f6f742e696d67 00       # "boot.img"
                6f63746574 00             # "octet"
                626c6b73697a65 00 31343638 00           # blksize 1468
                77696e646f7773697a65 00 3634 00         # windowsize 64
                """, new ReadRequest("boot.img", TransferMode.OCTET,
                TftpOptions.of("blksize", "1468", "windowsize", "64")));
    }

    @Test
    void writeRequestPlain() {
        assertRoundTrip("""
                0002 6100 6e65746173636969 00  # WRQ "a" "netascii"
                """, new WriteRequest("a", TransferMode.NETASCII));
    }

    @Test
    void modeAndOptionNamesAreCaseInsensitive() {
        var packet = (ReadRequest) TftpCodec.decode(hex("""
                0001 6600 4f43746554 00        # "f" "OCteT"
                424c4b53495a45 00 353132 00    # "BLKSIZE" "512"
                """));
        assertEquals(TransferMode.OCTET, packet.mode());
        assertEquals("512", packet.options().get("blksize").orElseThrow());
        assertEquals("512", packet.options().get(TftpOption.BLKSIZE).orElseThrow());
    }

    /**
     * NUL bytes to the end of a request or OACK are padding, not an empty option name: uftpd sent
     * OACKs with four (troglobit/uftpd#43), and a client that refuses them cannot talk to it.
     */
    @Test
    void trailingNulPaddingIsIgnored() {
        assertEquals(new ReadRequest("f", TransferMode.OCTET), TftpCodec.decode(hex("""
                0001 6600 6f6374657400         # RRQ "f" "octet"
                000000                         # padding
                """)));
        assertEquals(new OptionAck(TftpOptions.of("blksize", "8192")), TftpCodec.decode(hex("""
                0006 626c6b73697a65 00 38313932 00   # OACK blksize 8192
                00000000                             # padding (uftpd)
                """)));
        var e = assertThrows(TftpException.class, () -> TftpCodec.decode(hex("0006 6100 3100 00 6200 3200")));
        assertEquals("ILLEGAL_OPERATION empty option name", e.getMessage());
    }

    @Test
    void mailModeDecodesSoItCanBeRefused() {
        assertEquals(TransferMode.MAIL, ((WriteRequest) TftpCodec.decode(hex("0002 6100 6d61696c00"))).mode());
    }

    @Test
    void data() {
        assertRoundTrip("0003 ffff 01020304", Data.of(65535, new byte[] {1, 2, 3, 4}));
        assertRoundTrip("0003 0000", Data.of(0, new byte[0]));
    }

    @Test
    void ack() {
        assertRoundTrip("0004 0000", new Ack(0));
        assertRoundTrip("0004 1234", new Ack(0x1234));
    }

    @Test
    void error() {
        assertRoundTrip("""
                0005 0001                      # ERROR, File not found
                6e6f70652e74787400             # "nope.txt"
                """, new TftpError(ErrorCode.FILE_NOT_FOUND, "nope.txt"));
        assertRoundTrip("0005 0008 00", new TftpError(ErrorCode.OPTION_NEGOTIATION_FAILED, ""));
    }

    @Test
    void optionAck() {
        assertRoundTrip("""
                0006                           # OACK
                7473697a65 00 3130323400       # tsize 1024
                """, new OptionAck(TftpOptions.of("tsize", "1024")));
        assertRoundTrip("0006", new OptionAck(TftpOptions.empty()));
    }

    @Test
    void fastPathHeadersMatchTheCodec() {
        ByteBuffer out = ByteBuffer.allocate(4);
        TftpCodec.putAck(out, 65536 + 7); // block numbers roll over: 65543 is block 7 on the wire
        assertEquals("00040007", hexOf(out.flip()));
        ByteBuffer data = ByteBuffer.allocate(4);
        TftpCodec.putDataHeader(data, 0, 0x1_0001L);
        assertEquals("00030001", hexOf(data));
        assertEquals(3, TftpCodec.peekOpcode(data));
        assertEquals(1, TftpCodec.peekBlock(data));
        assertEquals(-1, TftpCodec.peekOpcode(ByteBuffer.allocate(1)));
    }

    @Test
    void decodedDataIsReadOnlyAndComparesByContent() {
        var data = (Data) TftpCodec.decode(hex("0003 0001 aabb"));
        assertEquals(true, data.payload().isReadOnly());
        assertEquals(Data.of(1, new byte[] {(byte) 0xaa, (byte) 0xbb}), data);
        assertEquals(Data.of(1, new byte[] {(byte) 0xaa, (byte) 0xbb}).hashCode(), data.hashCode());
        assertEquals("Data[block=1, length=2, payload=aabb]", data.toString());
    }

    @Test
    void refusesARequestOver512Bytes() {
        var e = assertThrows(TftpException.class, () -> TftpCodec.encode(
                new ReadRequest("x".repeat(520), TransferMode.OCTET)));
        assertEquals("ILLEGAL_OPERATION request length 0x0211", e.getMessage());
        ByteBuffer big = ByteBuffer.allocate(513).putShort((short) 1);
        while (big.hasRemaining()) {
            big.put((byte) 'a');
        }
        e = assertThrows(TftpException.class, () -> TftpCodec.decode(big.flip()));
        assertEquals("ILLEGAL_OPERATION RRQ length 0x0201", e.getMessage());
    }

    @Test
    void recordsValidateTheirFields() {
        assertEquals("ILLEGAL_OPERATION block 0x10000",
                assertThrows(TftpException.class, () -> new Ack(65536)).getMessage());
        assertEquals("ILLEGAL_OPERATION block 0xffffffff",
                assertThrows(TftpException.class, () -> new Ack(-1)).getMessage());
        assertEquals("ILLEGAL_OPERATION data length 0xffb9",
                assertThrows(TftpException.class, () -> new Data(1, ByteBuffer.allocate(65465))).getMessage());
        assertEquals("ILLEGAL_OPERATION empty filename",
                assertThrows(TftpException.class, () -> new ReadRequest("", TransferMode.OCTET)).getMessage());
        assertEquals("ILLEGAL_OPERATION filename char 0x0100 at 1",
                assertThrows(TftpException.class, () -> new ReadRequest("a\u0100", TransferMode.OCTET)).getMessage());
        assertEquals("ILLEGAL_OPERATION duplicate option 0x626c6b73697a65",
                assertThrows(TftpException.class, () -> TftpOptions.of("blksize", "8", "BLKSIZE", "9")).getMessage());
    }
}
