package dev.protokit.common.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Java side of the value mapping in docs/struct.md: what packs from what, what unpacks to what. */
class StructValueMappingTest {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static StructException failure(String format, Object value) {
        return assertThrows(StructException.class, () -> Struct.compile(format).pack(value));
    }

    @Test
    void integerCodesAcceptEveryIntegralJavaNumberAndBoolean() {
        Struct struct = Struct.compile("<8h");
        byte[] packed = struct.pack(1L, 2, (short) 3, (byte) 4, BigInteger.valueOf(5),
                new AtomicInteger(6), new AtomicLong(7), true);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 1L), struct.unpack(packed));
    }

    @Test
    void integerCodesRejectFloatsStringsAndNullLikePython() {
        for (Object notAnInt : new Object[] {1.0, 1.0f, new BigDecimal("1"), "1", null, new byte[] {1}}) {
            assertEquals("required argument is not an integer", failure("<i", notAnInt).getMessage());
        }
    }

    @Test
    void unsignedEightByteValuesAboveLongMaxUnpackAsBigInteger() {
        StructTuple values = Struct.compile("<QQ").unpack(HexFormat.of().parseHex("ffffffffffffff7f" + "ffffffffffffffff"));
        assertEquals(Long.MAX_VALUE, assertInstanceOf(Long.class, values.get(0)));
        assertEquals(TWO_TO_64.subtract(BigInteger.ONE), assertInstanceOf(BigInteger.class, values.get(1)));
        assertEquals(-1L, values.longAt(1), "longAt gives the two's complement bits");
    }

    @Test
    void unsignedEightByteValuesPackFromBigIntegerButNotFromNegativeLongs() {
        assertEquals("ffffffffffffffff", hex(Struct.compile(">Q").pack(TWO_TO_64.subtract(BigInteger.ONE))));
        assertEquals("int too large to convert", failure(">Q", -1L).getMessage());
        assertEquals("argument out of range", failure("<Q", -1L).getMessage());
        assertEquals("argument out of range", failure("<Q", TWO_TO_64).getMessage());
    }

    @Test
    void rangeErrorsDependOnWhichCPythonRoutinePacksTheCode() {
        assertEquals("short format requires -32768 <= number <= 32767", failure("<h", 40000).getMessage());
        assertEquals("'h' format requires -32768 <= number <= 32767", failure(">h", 40000).getMessage());
        assertEquals("ushort format requires 0 <= number <= 65535", failure("<H", -1).getMessage());
        assertEquals("argument out of range", failure("!H", -1).getMessage());
        assertEquals("'l' format requires -2147483648 <= number <= 2147483647", failure("<l", 1L << 31).getMessage());
        assertEquals("byte format requires -128 <= number <= 127", failure("!b", 128).getMessage());
        assertEquals("'I' format requires 0 <= number <= 4294967295", failure("@I", 1L << 32).getMessage());
    }

    @Test
    void pointerCodeTakesNegativeAndFullUnsignedRange() {
        assertEquals("ffffffffffffffff", hex(Struct.compile("P").pack(-1)));
        assertEquals(TWO_TO_64.subtract(BigInteger.ONE), Struct.compile("P").unpack(Struct.compile("P").pack(-1)).get(0));
        assertEquals("int too large to convert", failure("P", TWO_TO_64).getMessage());
    }

    @Test
    void boolPacksByPythonTruthiness() {
        Struct struct = Struct.compile("12?");
        byte[] packed = struct.pack(null, false, 0, -0.0, Double.NaN, "", "x", new byte[0], List.of(),
                List.of(0), Optional.empty(), BigInteger.TEN);
        assertEquals("000000000100010000010001", hex(packed));
        assertEquals(Boolean.TRUE, Struct.compile("?").unpack(new byte[] {2}).get(0), "any nonzero byte is True");
    }

    @Test
    void floatCodesTakeAnyNumberAndUnpackToDouble() {
        Struct struct = Struct.compile("<efd");
        StructTuple values = struct.unpack(struct.pack(1, 2.5f, new BigDecimal("0.1")));
        assertEquals(List.of(1.0, 2.5, 0.1), values);
        assertEquals("required argument is not a float", failure("<d", "1.0").getMessage());
        assertEquals("required argument is not a float", failure("<d", BigInteger.ONE.shiftLeft(1024)).getMessage());
    }

    @Test
    void floatOverflowFailsInStandardModeButBecomesInfinityInNativeMode() {
        assertEquals("float too large to pack with f format", failure("<f", 1e300).getMessage());
        assertEquals(Double.POSITIVE_INFINITY, Struct.compile("@f").unpack(Struct.compile("@f").pack(1e300)).doubleAt(0));
    }

    @Test
    void intOverflowingAFloatCodeSaysIntTooLargeAndKeepsTheCause() {
        StructException e = failure("e", (1L << 53) + 1);
        assertEquals("int too large to convert", e.getMessage());
        assertEquals("float too large to pack with e format", e.getCause().getMessage());
        assertEquals("float too large to pack with e format", failure("e", 65520.0).getMessage());
    }

    @Test
    void halfFloatRoundsHalfToEvenStraightFromDouble() {
        Struct half = Struct.compile(">e");
        assertEquals("7bff", hex(half.pack(65519.99)), "just below the overflow threshold");
        assertEquals("3c00", hex(half.pack(1.0 + Math.pow(2, -11))), "tie between 0x3c00 and 0x3c01 goes to even");
        assertEquals("3c02", hex(half.pack(1.0 + 3 * Math.pow(2, -11))), "tie between 0x3c01 and 0x3c02 goes to even");
        assertEquals("3c01", hex(half.pack(Math.nextUp(1.0 + Math.pow(2, -11)))), "past the tie rounds up");
        assertEquals("0000", hex(half.pack(Math.pow(2, -25))), "half the smallest subnormal ties to zero");
        assertEquals("0001", hex(half.pack(Math.nextUp(Math.pow(2, -25)))));
        assertEquals("8000", hex(half.pack(-0.0)));
        assertEquals("fe00", hex(half.pack(Double.longBitsToDouble(0xfff8_0000_0000_0001L))), "NaN keeps only its sign");
    }

    @Test
    void halfFloatUnpacksSubnormalsInfinitiesAndNaNs() {
        Struct half = Struct.compile("<e");
        assertEquals(Math.pow(2, -24), half.unpack(new byte[] {1, 0}).doubleAt(0));
        assertEquals(Double.NEGATIVE_INFINITY, half.unpack(new byte[] {0, (byte) 0xfc}).doubleAt(0));
        assertEquals(0x7ff8_0000_0000_0000L, Double.doubleToRawLongBits(half.unpack(new byte[] {1, 0x7c}).doubleAt(0)));
    }

    @Test
    void charAndStringCodesTakeAndGiveByteArrays() {
        assertEquals("char format requires a bytes object of length 1", failure("c", new byte[2]).getMessage());
        assertEquals("argument for 's' must be a bytes object", failure("3s", "abc").getMessage());
        assertEquals("6162000000", hex(Struct.compile("5s").pack("ab".getBytes())));
        assertEquals("6162", hex(Struct.compile("2s").pack("abc".getBytes())));
    }

    @Test
    void pascalStringKeepsCountMinusOneBytesAndCapsTheLengthByteAt255() {
        assertEquals("026162", hex(Struct.compile("3p").pack("abcdef".getBytes())));
        byte[] long300 = Struct.compile("300p").pack(new byte[400]);
        assertEquals(0xff, long300[0] & 0xff);
        assertEquals(255, Struct.compile("300p").unpack(long300).bytesAt(0).length, "the length byte wins");
        assertEquals(2, Struct.compile("3p").unpack(new byte[] {9, 'a', 'b'}).bytesAt(0).length, "capped by the room");
    }

    @Test
    void tupleComparesBytesByValueAndPrintsLikePython() {
        Struct struct = Struct.compile("<h2s?d");
        StructTuple values = struct.unpack(struct.pack(-3, "a'".getBytes(), true, 1.5));
        assertEquals(struct.unpack(struct.pack(-3, "a'".getBytes(), true, 1.5)), values);
        assertEquals(struct.unpack(struct.pack(-3, "a'".getBytes(), true, 1.5)).hashCode(), values.hashCode());
        assertNotEquals(struct.unpack(struct.pack(-3, "ab".getBytes(), true, 1.5)), values);
        assertEquals("(-3, b\"a'\", True, 1.5)", values.toString());
        assertEquals("(b'\\x00\\\\\\'\"',)", Struct.compile("4s").unpack(new byte[] {0, '\\', '\'', '"'}).toString());
        assertThrows(UnsupportedOperationException.class, () -> values.set(0, 1L));
        assertThrows(ClassCastException.class, () -> values.doubleAt(0));
    }

    @Test
    void intAtRefusesValuesThatDoNotFit() {
        StructTuple values = Struct.compile("<Iq").unpack(Struct.compile("<Iq").pack(4_000_000_000L, 7));
        assertThrows(ArithmeticException.class, () -> values.intAt(0));
        assertEquals(4_000_000_000L, values.longAt(0));
        assertEquals(7, values.intAt(1));
        assertArrayEquals(new byte[] {1}, Struct.compile("c").unpack(new byte[] {1}).bytesAt(0));
    }
}
