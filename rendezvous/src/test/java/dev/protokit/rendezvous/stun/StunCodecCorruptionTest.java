package dev.protokit.rendezvous.stun;

import static dev.protokit.rendezvous.stun.Rfc5769Test.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Valid messages (no FINGERPRINT, so the structure checks speak) with one byte changed, or cut
 * short, fail with BAD_REQUEST and a message naming the problem and the bad value in hex.
 */
class StunCodecCorruptionTest {
    /** Binding request: header, then XOR-MAPPED-ADDRESS (IPv4), then USERNAME "ab". */
    static final String FIXTURE = "00010014 2112a442 01020304 05060708 090a0b0c 00200008 0001a147 e112a643 00060002 61620000";

    @ParameterizedTest(name = "byte {0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "0  | 40 | BAD_REQUEST message type 0x4001",
        "1  | 02 | BAD_REQUEST method 0x0002",
        "1  | 05 | BAD_REQUEST method 0x0005",
        "3  | 15 | BAD_REQUEST header length 0x0015 for 0x0014 bytes",
        "3  | 18 | BAD_REQUEST header length 0x0018 for 0x0014 bytes",
        "4  | 22 | BAD_REQUEST magic cookie 0x2212a442",
        "7  | 43 | BAD_REQUEST magic cookie 0x2112a443",
        "21 | 09 | BAD_REQUEST ERROR-CODE class/number 0x0147",
        "21 | 08 | BAD_REQUEST MESSAGE-INTEGRITY length 0x0008",
        "23 | 09 | BAD_REQUEST XOR-MAPPED-ADDRESS length 0x0009",
        "23 | 11 | BAD_REQUEST attribute 0x0020 length 0x0011 at offset 0x0014",
        "23 | 04 | BAD_REQUEST XOR-MAPPED-ADDRESS length 0x0004",
        "25 | 03 | BAD_REQUEST XOR-MAPPED-ADDRESS family 0x0003",
        "25 | 02 | BAD_REQUEST XOR-MAPPED-ADDRESS length 0x0008",
        "35 | 05 | BAD_REQUEST attribute 0x0006 length 0x0005 at offset 0x0020",
        "36 | ff | BAD_REQUEST USERNAME is not UTF-8",
        "33 | 08 | BAD_REQUEST MESSAGE-INTEGRITY length 0x0002",
    })
    void corruptOneByte(int index, String value, String message) {
        ByteBuffer m = hex(FIXTURE);
        m.put(index, (byte) Integer.parseInt(value, 16));
        var e = assertThrows(StunException.class, () -> StunCodec.decode(m));
        assertEquals(StunError.BAD_REQUEST, e.error());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "cut to {0}")
    @CsvSource(delimiter = '|', value = {
        "0  | BAD_REQUEST message length 0x0000",
        "19 | BAD_REQUEST message length 0x0013",
        "20 | BAD_REQUEST header length 0x0014 for 0x0000 bytes",
        "36 | BAD_REQUEST header length 0x0014 for 0x0010 bytes",
    })
    void truncated(int length, String message) {
        ByteBuffer m = hex(FIXTURE).limit(length);
        assertEquals(message, assertThrows(StunException.class, () -> StunCodec.decode(m)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "00010008 2112a442 01020304 05060708 090a0b0c 00090004 00000464 | BAD_REQUEST ERROR-CODE class/number 0x0464",
        "00010008 2112a442 01020304 05060708 090a0b0c 000a0001 00000000 | BAD_REQUEST UNKNOWN-ATTRIBUTES length 0x0001",
        "00010008 2112a442 01020304 05060708 090a0b0c 00190001 11000000 | BAD_REQUEST REQUESTED-TRANSPORT length 0x0001",
        "0001000c 2112a442 01020304 05060708 090a0b0c 00170004 01000000 | BAD_REQUEST header length 0x000c for 0x0008 bytes",
        "00010008 2112a442 01020304 05060708 090a0b0c 00170004 03000000 | BAD_REQUEST REQUESTED-ADDRESS-FAMILY family 0x0003",
        "00010008 2112a442 01020304 05060708 090a0b0c 001c0004 00000000 | BAD_REQUEST MESSAGE-INTEGRITY-SHA256 length 0x0004",
        "00010008 2112a442 01020304 05060708 090a0b0c 80280004 00000000 | BAD_REQUEST FINGERPRINT 0x00000000 at offset 0x0014 expected 0x5b20f9cc",
        "00010010 2112a442 01020304 05060708 090a0b0c 80280004 aa612f2f 80220004 61626364 | BAD_REQUEST attribute 0x8022 after FINGERPRINT",
        "00010002 2112a442 01020304 05060708 090a0b0c 0006 | BAD_REQUEST header length 0x0002 for 0x0002 bytes",
    })
    void badAttributeValues(String fixture, String message) {
        assertEquals(message, assertThrows(StunException.class, () -> StunCodec.decode(hex(fixture))).getMessage());
    }
}
