package dev.protokit.common.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Layout, buffers and API behaviour of {@link Struct}, case by case; StructCorpusTest does the bulk. */
class StructTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static String message(Runnable action) {
        return assertThrows(StructException.class, action::run).getMessage();
    }

    @Test
    void packsNetworkOrderHeaderWithCountedStrings() {
        Struct header = Struct.compile("!H%dsb5sb".formatted(3));
        byte[] packed = header.pack(0x0102, "abc".getBytes(), -1, "toolong".getBytes(), 7);
        assertArrayEquals(hex("0102 616263 ff 746f6f6c6f 07"), packed);
        StructTuple values = header.unpack(packed);
        assertEquals(0x0102, values.intAt(0));
        assertArrayEquals("toolo".getBytes(), values.bytesAt(3));
        assertEquals(-1, values.longAt(2));
    }

    @Test
    void nativeModeAlignsEachFieldButNotTheEnd() {
        assertEquals(16, Struct.calcsize("@bq"));
        assertEquals(9, Struct.calcsize("@qb"));
        assertEquals(4, Struct.calcsize("xh"));
        assertEquals(8, Struct.calcsize("ci"));
        assertArrayEquals(hex("61000000 05000000"), Struct.compile("@ci").pack(new byte[] {'a'}, 5));
    }

    @Test
    void zeroRepeatCountAlignsTheEndWithoutAddingAValue() {
        Struct struct = Struct.compile("@b0i");
        assertEquals(4, struct.size());
        assertEquals(1, struct.itemCount());
        assertArrayEquals(hex("09000000"), struct.pack(9));
    }

    @Test
    void standardSizesNeverAlign() {
        for (String order : List.of("=", "<", ">", "!")) {
            assertEquals(9, Struct.calcsize(order + "bq"), order);
            assertEquals(4 + 4, Struct.calcsize(order + "lL"), order + " l and L are 4 bytes");
        }
        assertEquals(16, Struct.calcsize("@lL"));
    }

    @Test
    void whitespaceIsAllowedBetweenCodesButNotAfterACount() {
        assertEquals(10, Struct.calcsize("< h\t2i\n"));
        assertEquals("bad char in struct format", message(() -> Struct.calcsize("2 i")));
        assertEquals("bad char in struct format", message(() -> Struct.calcsize(" <h")));
        assertEquals("repeat count given without format specifier", message(() -> Struct.calcsize("<4")));
    }

    @Test
    void nativeOnlyCodesAreBadCharsInStandardModes() {
        assertEquals(24, Struct.calcsize("nNP"));
        assertEquals("bad char in struct format", message(() -> Struct.calcsize("<P")));
        assertEquals("bad char in struct format", message(() -> Struct.calcsize("=n")));
    }

    @Test
    void sizesBeyondJavaArraysFailAsTooLong() {
        assertEquals(Integer.MAX_VALUE, Struct.calcsize("2147483647x"));
        // CPython accepts this (its sizes are 64-bit); a Java array cannot hold it.
        assertEquals("total struct size too long", message(() -> Struct.calcsize("2147483648x")));
        assertEquals("total struct size too long", message(() -> Struct.calcsize("9223372036854775808x")));
    }

    @Test
    void nonAsciiFormatFailsWithPythonsCodecMessage() {
        assertEquals("'ascii' codec can't encode character '\\xe9' in position 1: ordinal not in range(128)",
                message(() -> Struct.compile("b\u00e9")));
        assertEquals("embedded null character", message(() -> Struct.compile("b\0b")));
    }

    @Test
    void countMismatchNamesTheOperation() {
        Struct struct = Struct.compile("2i");
        assertEquals("pack expected 2 items for packing (got 1)", message(() -> struct.pack(1)));
        assertEquals("pack_into expected 2 items for packing (got 3)",
                message(() -> struct.packInto(new byte[8], 0, 1, 2, 3)));
    }

    @Test
    void packIntoWritesAtAbsoluteIndexAndLeavesPositionAndOrderAlone() {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).position(5);
        Struct.compile(">H").packInto(buffer, 2, 0xabcd);
        assertEquals(5, buffer.position());
        assertEquals(ByteOrder.LITTLE_ENDIAN, buffer.order());
        assertArrayEquals(hex("0000abcd00000000"), buffer.array());
    }

    @Test
    void negativeOffsetsCountBackFromTheLimit() {
        byte[] buffer = new byte[6];
        Struct struct = Struct.compile(">H");
        struct.packInto(buffer, -2, 0x0102);
        assertArrayEquals(hex("000000000102"), buffer);
        assertEquals(0x0102, struct.unpackFrom(buffer, -2).intAt(0));
        assertEquals("no space to pack 2 bytes at offset -1", message(() -> struct.packInto(buffer, -1, 1)));
        assertEquals("offset -7 out of range for 6-byte buffer", message(() -> struct.unpackFrom(buffer, -7)));
    }

    @Test
    void unpackUsesTheLimitAndIgnoresThePosition() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("00010002ffff")).limit(4).position(3);
        assertEquals(List.of(1L, 2L), Struct.compile(">HH").unpack(buffer));
        assertEquals("unpack requires a buffer of 6 bytes", message(() -> Struct.compile(">3H").unpack(buffer)));
        assertEquals(3, buffer.position());
    }

    @Test
    void unpackFromReportsWhatItNeeded() {
        assertEquals("unpack_from requires a buffer of at least 7 bytes for unpacking 4 bytes at offset 3"
                + " (actual buffer size is 6)", message(() -> Struct.compile("i").unpackFrom(new byte[6], 3)));
    }

    @Test
    void packIntoRefusesReadOnlyBuffers() {
        ByteBuffer readOnly = ByteBuffer.allocate(4).asReadOnlyBuffer();
        assertTrue(message(() -> Struct.compile("i").packInto(readOnly, 0, 1)).startsWith("argument must be read-write"));
    }

    @Test
    void failedPackIntoLeavesEarlierFieldsWrittenAsCPythonDoes() {
        byte[] buffer = hex("aaaaaaaaaaaa");
        assertEquals("'h' format requires -32768 <= number <= 32767",
                message(() -> Struct.compile(">hhh").packInto(buffer, 0, 1, 2, 40000)));
        assertArrayEquals(hex("000100020000"), buffer);
    }

    @Test
    void iterUnpackReadsOneTuplePerStructUntilTheEnd() {
        Iterator<StructTuple> tuples = Struct.compile("<h").iterUnpack(hex("0100feff"));
        assertEquals(1, tuples.next().intAt(0));
        assertEquals(-2, tuples.next().intAt(0));
        assertFalse(tuples.hasNext());
        assertThrows(NoSuchElementException.class, tuples::next);
        assertEquals("iterative unpacking requires a buffer of a multiple of 2 bytes",
                message(() -> Struct.compile("<h").iterUnpack(new byte[3])));
        assertEquals("cannot iteratively unpack with a struct of length 0",
                message(() -> Struct.compile("0s").iterUnpack(new byte[0])));
    }

    @Test
    void zeroLengthPascalStringIsEmptyInsteadOfCPythonsSystemError() {
        Struct struct = Struct.compile("B0pB");
        assertArrayEquals(hex("0102"), struct.pack(1, new byte[] {9, 9}, 2));
        assertEquals(3, struct.unpack(hex("0102")).size());
        assertArrayEquals(new byte[0], struct.unpack(hex("0102")).bytesAt(1));
    }

    @Test
    void compileReusesTheCompiledFormat() {
        assertSame(Struct.compile("!HHI"), Struct.compile("!HHI"));
        assertEquals("Struct('!HHI')", Struct.compile("!HHI").toString());
    }

    @Test
    void oneStructIsSafeToShareAcrossThreads() throws Exception {
        Struct struct = Struct.compile("!HqdI8s");
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    for (long i = seed; i < 20_000; i += 4) {
                        byte[] bytes = struct.pack(i & 0xffff, i * 31, i / 3.0, i, Long.toString(i).getBytes());
                        StructTuple back = struct.unpack(bytes);
                        if (back.longAt(1) != i * 31 || back.doubleAt(2) != i / 3.0 || back.longAt(3) != i) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(2, java.util.concurrent.TimeUnit.MINUTES));
            }
        }
    }
}
