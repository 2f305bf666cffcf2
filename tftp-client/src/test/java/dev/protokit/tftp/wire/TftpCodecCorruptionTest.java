package dev.protokit.tftp.wire;

import static dev.protokit.tftp.wire.TftpCodecTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Valid fixtures with one byte changed, or cut short, must fail with ILLEGAL_OPERATION and a
 * message naming the problem and the bad value in hex.
 */
class TftpCodecCorruptionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // fixture                                  | byte index | new value | message
        "0001 6100 6f6374657400                     | 1  | 09 | ILLEGAL_OPERATION opcode 0x0009",
        "0001 6100 6f6374657400                     | 0  | 01 | ILLEGAL_OPERATION opcode 0x0101",
        "0001 6100 6f6374657400                     | 3  | 61 | ILLEGAL_OPERATION unterminated mode at offset 0x000a",
        "0001 6100 6f6374657400                     | 9  | 61 | ILLEGAL_OPERATION unterminated mode at offset 0x0004",
        "0001 6100 6f6374657400                     | 2  | 00 | ILLEGAL_OPERATION mode (empty)",
        "0002 6100 6f6374657400                     | 4  | 78 | ILLEGAL_OPERATION mode 0x7863746574",
        "0001 6100 6f63746574 00 6100 3100          | 13 | 41 | ILLEGAL_OPERATION unterminated option value at offset 0x000c",
        "0001 6100 6f63746574 00 6100 3100 4200 3200 | 14 | 41 | ILLEGAL_OPERATION duplicate option 0x41",
        "0001 6100 6f63746574 00 6100 3100          | 10 | 00 | ILLEGAL_OPERATION empty option name",
        "0003 0001 aa                               | 1  | 07 | ILLEGAL_OPERATION opcode 0x0007",
        "0004 0001                                  | 1  | 00 | ILLEGAL_OPERATION opcode 0x0000",
        "0005 0001 6100                             | 3  | 09 | ILLEGAL_OPERATION error code 0x0009",
        "0005 0001 6100                             | 5  | 61 | ILLEGAL_OPERATION unterminated error message at offset 0x0004",
        "0005 0001 6100                             | 4  | 00 | ILLEGAL_OPERATION trailing bytes after error message at offset 0x0005",
        "0006 6100 3100                             | 5  | 31 | ILLEGAL_OPERATION unterminated option value at offset 0x0004",
        "0006 6100 3100                             | 1  | 05 | ILLEGAL_OPERATION error code 0x6100",
    })
    void corruptOneByte(String fixture, int index, String value, String message) {
        ByteBuffer packet = hex(fixture);
        packet.put(index, (byte) Integer.parseInt(value, 16));
        var e = assertThrows(TftpException.class, () -> TftpCodec.decode(packet));
        assertEquals(ErrorCode.ILLEGAL_OPERATION, e.code());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0} cut to {1}")
    @CsvSource(delimiter = '|', value = {
        "0004 0001        | 3 | ILLEGAL_OPERATION ACK length 0x0003",
        "0004 0001        | 1 | ILLEGAL_OPERATION packet length 0x0001",
        "0003 0001 aa     | 3 | ILLEGAL_OPERATION DATA length 0x0003",
        "0005 0001 6100   | 4 | ILLEGAL_OPERATION ERROR length 0x0004",
        "0001 6100 6f6300 | 4 | ILLEGAL_OPERATION unterminated mode at offset 0x0004",
        "0001 6100 6f6300 | 2 | ILLEGAL_OPERATION unterminated filename at offset 0x0002",
    })
    void truncated(String fixture, int length, String message) {
        ByteBuffer packet = hex(fixture).limit(length);
        assertEquals(message, assertThrows(TftpException.class, () -> TftpCodec.decode(packet)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0004 0001 00 | ILLEGAL_OPERATION ACK length 0x0005",
    })
    void tooLong(String fixture, String message) {
        assertEquals(message, assertThrows(TftpException.class, () -> TftpCodec.decode(hex(fixture))).getMessage());
    }
}
