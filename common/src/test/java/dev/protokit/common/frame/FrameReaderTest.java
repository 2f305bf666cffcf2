package dev.protokit.common.frame;

import static dev.protokit.common.frame.StreamFixtures.ascii;
import static dev.protokit.common.frame.StreamFixtures.hex;
import static dev.protokit.common.frame.StreamFixtures.tripwire;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading frames from a stream: fixtures, corruption, truncation and limits. */
class FrameReaderTest {
    /** {"name":"a","bodyLength":5} then "hello". */
    static final byte[] FRAME = hex("""
            00 00 00 1b                                      # header length 27
            7b 22 6e 61 6d 65 22 3a 22 61 22 2c              # {"name":"a",
            22 62 6f 64 79 4c 65 6e 67 74 68 22 3a 35 7d     # "bodyLength":5}
            68 65 6c 6c 6f                                   # body: hello
            """);

    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(new ByteArrayInputStream(bytes));
    }

    private static FrameException firstFrameFails(byte[] bytes) {
        return assertThrows(FrameException.class, () -> {
            Frame frame = reader(bytes).next().orElseThrow();
            frame.body().readAllBytes();
        });
    }

    @Test
    void readsHexFixture() throws IOException {
        FrameReader reader = reader(FRAME);
        Frame frame = reader.next().orElseThrow();
        assertEquals("a", frame.header().text("name").orElseThrow());
        assertEquals(5, frame.header().bodyLength());
        assertArrayEquals(ascii("hello"), frame.body().readAllBytes());
        assertTrue(reader.next().isEmpty(), "clean end of input between frames");
    }

    @ParameterizedTest(name = "byte {0} = {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "0  | 01 | HEADER_TOO_LARGE header length 0x0100001b exceeds limit 0x00010000",
        "1  | 01 | HEADER_TOO_LARGE header length 0x0001001b exceeds limit 0x00010000",
        "3  | 00 | EMPTY_HEADER header length 0x00000000",
        "3  | 1a | HEADER_NOT_JSON header is not valid JSON: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])",
        "4  | 5b | HEADER_NOT_JSON header is not valid JSON: Unexpected character (':' (code 58)): was expecting comma to separate Array entries",
        "13 | ff | HEADER_NOT_UTF8 header is not valid UTF-8 at offset 0x00000009",
        "29 | 2d | HEADER_NOT_JSON header is not valid JSON: Unexpected character ('}' (code 125)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value",
        "29 | 78 | HEADER_NOT_JSON header is not valid JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        "29 | 39 | TRUNCATED_BODY input ended after 0x5 of 0x9 body bytes",
        "30 | 5d | HEADER_NOT_JSON header is not valid JSON: Unexpected close marker ']': expected '}' (for Object starting at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])",
    })
    void rejectsCorruptByteWithExactMessage(int offset, String value, String message) {
        byte[] corrupt = FRAME.clone();
        corrupt[offset] = (byte) Integer.parseInt(value, 16);
        assertEquals(message, firstFrameFails(corrupt).getMessage());
    }

    @Test
    void headerLengthOneTooLongSwallowsBodyByteAsTrailingToken() {
        byte[] corrupt = FRAME.clone();
        corrupt[3] = 0x1c;
        FrameException e = firstFrameFails(corrupt);
        assertEquals(FrameError.HEADER_NOT_JSON, e.error());
        assertTrue(e.underlyingCause().isPresent());
    }

    @Test
    void everySingleByteCorruptionFailsCleanlyOrParses() throws IOException {
        for (int offset = 0; offset < FRAME.length; offset++) {
            for (int value = 0; value < 256; value++) {
                byte[] corrupt = FRAME.clone();
                corrupt[offset] = (byte) value;
                try {
                    FrameReader reader = reader(corrupt);
                    while (reader.next().isPresent()) {
                        // next() skips each body; only the framing is under test
                    }
                } catch (FrameException expected) {
                    assertTrue(expected.getMessage().startsWith(expected.error().name() + " "));
                }
            }
        }
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @CsvSource(delimiter = '|', value = {
        "1  | TRUNCATED_LENGTH input ended after 1 of 4 header length bytes",
        "3  | TRUNCATED_LENGTH input ended after 3 of 4 header length bytes",
        "4  | TRUNCATED_HEADER input ended after 0x00000000 of 0x0000001b header bytes",
        "30 | TRUNCATED_HEADER input ended after 0x0000001a of 0x0000001b header bytes",
        "31 | TRUNCATED_BODY input ended after 0x0 of 0x5 body bytes",
        "35 | TRUNCATED_BODY input ended after 0x4 of 0x5 body bytes",
    })
    void reportsTruncatedInput(int keep, String message) {
        assertEquals(message, firstFrameFails(Arrays.copyOf(FRAME, keep)).getMessage());
    }

    @Test
    void reportsTruncatedBodyWhenSkippingIt() throws IOException {
        FrameReader reader = reader(Arrays.copyOf(FRAME, 33));
        reader.next().orElseThrow();
        FrameException e = assertThrows(FrameException.class, reader::next);
        assertEquals("TRUNCATED_BODY input ended after 0x2 of 0x5 body bytes", e.getMessage());
    }

    @Test
    void checksHeaderLengthBeforeAllocatingOrReading() {
        InputStream hostile = tripwire(hex("7f ff ff ff"));
        long before = StreamFixtures.allocatedByThisThread();
        FrameException e = assertThrows(FrameException.class, () -> new FrameReader(hostile).next());
        long allocated = StreamFixtures.allocatedByThisThread() - before;
        assertEquals("HEADER_TOO_LARGE header length 0x7fffffff exceeds limit 0x00010000", e.getMessage());
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void checksBodyLengthBeforeReadingBody() {
        byte[] head = Arrays.copyOf(FRAME, 31);
        FrameReader reader = new FrameReader(tripwire(head), FrameLimits.DEFAULT.withMaxBodyBytes(4));
        FrameException e = assertThrows(FrameException.class, reader::next);
        assertEquals("BODY_TOO_LARGE bodyLength 0x5 exceeds limit 0x4", e.getMessage());
    }

    @Test
    void bodyViewStopsAtEndOfBody() throws IOException {
        FrameReader reader = reader(concat(FRAME, FRAME));
        InputStream body = reader.next().orElseThrow().body();
        byte[] big = new byte[100];
        assertEquals(5, body.read(big, 0, 100));
        assertEquals(-1, body.read(big, 0, 100));
        assertEquals(-1, body.read());
        assertArrayEquals(ascii("hello"), reader.next().orElseThrow().body().readAllBytes());
    }

    @Test
    void skipsUnreadAndPartlyReadBodies() throws IOException {
        FrameReader reader = reader(concat(FRAME, FRAME, FRAME));
        reader.next().orElseThrow();
        Frame second = reader.next().orElseThrow();
        assertEquals('h', second.body().read());
        Frame third = reader.next().orElseThrow();
        assertArrayEquals(ascii("hello"), third.body().readAllBytes());
        assertTrue(reader.next().isEmpty());
        IOException stale = assertThrows(IOException.class, () -> second.body().read());
        assertEquals("frame body is closed", stale.getMessage());
    }

    @Test
    void readsBodyIntoMemoryOnlyWithinCap() throws IOException {
        Frame frame = reader(FRAME).next().orElseThrow();
        assertEquals("BODY_TOO_LARGE bodyLength 0x5 exceeds limit 0x4",
                assertThrows(FrameException.class, () -> frame.readBody(4)).getMessage());
        assertArrayEquals(ascii("hello"), frame.readBody(5));
    }

    @Test
    void readsFramesDeliveredOneByteAtATime() throws IOException {
        FrameReader reader = new FrameReader(StreamFixtures.chunked(concat(FRAME, FRAME), 1));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(ascii("hello"), reader.next().orElseThrow().body().readAllBytes());
        }
        assertTrue(reader.next().isEmpty());
    }

    static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
