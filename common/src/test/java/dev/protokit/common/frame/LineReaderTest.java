package dev.protokit.common.frame;

import static dev.protokit.common.frame.StreamFixtures.ascii;
import static dev.protokit.common.frame.StreamFixtures.chunked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Line splitting, strictness, recovery after bad lines, and buffered() reporting. */
class LineReaderTest {
    private static final LineOptions SMALL = LineOptions.strict(16);

    private static LineReader reader(String text, LineOptions options) {
        return new LineReader(new ByteArrayInputStream(ascii(text)), options);
    }

    private static String line(LineReader reader) throws IOException {
        return reader.readLine().orElseThrow();
    }

    private static List<String> allLines(LineReader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Optional<String> line = reader.readLine(); line.isPresent(); line = reader.readLine()) {
            lines.add(line.get());
        }
        return lines;
    }

    @Test
    void releasingTheBufferBetweenLinesLosesNothingAndIsRefusedMidLine() throws IOException {
        LineReader reader = new LineReader(chunked(ascii("NOOP\r\nRETR a\r\nTYPE I\r\n"), 14), SMALL);
        reader.releaseBuffer(); // before any read
        assertEquals("NOOP", line(reader));
        assertEquals(8, reader.buffered(), "the next line read ahead");
        reader.releaseBuffer(); // refused: bytes are buffered
        assertEquals("RETR a", line(reader));
        assertEquals(0, reader.buffered());
        reader.releaseBuffer(); // the next read allocates a buffer again
        assertEquals(List.of("TYPE I"), allLines(reader));
    }

    @Test
    void readsCrlfTerminatedLinesUntilCleanEof() throws IOException {
        LineReader reader = reader("USER anonymous\r\n\r\nPASS x\r\n", LineOptions.DEFAULT);
        assertEquals(List.of("USER anonymous", "", "PASS x"), allLines(reader));
        assertTrue(reader.readLine().isEmpty(), "stays at end of input");
    }

    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = {1, 2, 3, 7, 15, 16, 17, 18})
    void readsLinesWhateverTheReadSizes(int chunk) throws IOException {
        String text = "NOOP\r\nRETR a file name\r\n\r\nTYPE I\r\n";
        LineReader reader = new LineReader(chunked(ascii(text), chunk), SMALL);
        assertEquals(List.of("NOOP", "RETR a file name", "", "TYPE I"), allLines(reader));
    }

    @Test
    void joinsCrlfSplitAcrossReads() throws IOException {
        InputStream split = new SequenceInputStream(new ByteArrayInputStream(ascii("NOOP\r")),
                new ByteArrayInputStream(ascii("\nQUIT\r\n")));
        LineReader reader = new LineReader(split, SMALL);
        assertEquals(List.of("NOOP", "QUIT"), allLines(reader));
    }

    @Test
    void rejectsBareLineFeed() throws IOException {
        LineReader reader = reader("USER a\nPASS b\r\nNOOP\r\n", LineOptions.DEFAULT);
        LineException e = assertThrows(LineException.class, reader::readLine);
        assertEquals("BARE_LF line feed without carriage return at offset 0x00000006", e.getMessage());
        assertTrue(e.recoverable());
        assertEquals("NOOP", line(reader));
    }

    /** Issue #9: what follows a bare LF is part of the refused line, never a command of its own. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 64})
    void refusesLineWithBareLineFeedWholeUpToItsCrlf(int chunk) throws IOException {
        byte[] input = ascii("NOOP\nMKD smuggled_dir\r\n\nX\n\r\nQUIT\r\n");
        LineReader reader = new LineReader(chunked(input, chunk), LineOptions.strict(64));
        LineException first = assertThrows(LineException.class, reader::readLine);
        assertEquals("BARE_LF line feed without carriage return at offset 0x00000004", first.getMessage());
        LineException second = assertThrows(LineException.class, reader::readLine);
        assertEquals("BARE_LF line feed without carriage return at offset 0x00000000", second.getMessage());
        assertEquals(List.of("QUIT"), allLines(reader));
    }

    @Test
    void overlongLineWithBareLineFeedsEndsOnlyAtCrlf() throws IOException {
        LineReader reader = reader("x".repeat(40) + "\nDELE smuggled\r\nNOOP\r\n", SMALL);
        LineTooLongException e = assertThrows(LineTooLongException.class, reader::readLine);
        assertEquals(40 + 1 + 13, e.length());
        assertEquals("NOOP", line(reader));
    }

    @Test
    void acceptsBareLineFeedOnlyWhenAllowed() throws IOException {
        LineReader reader = reader("USER a\nPASS b\r\nQUIT\n", LineOptions.DEFAULT.allowingBareLf());
        assertEquals(List.of("USER a", "PASS b", "QUIT"), allLines(reader));
    }

    @Test
    void rejectsBareCarriageReturnInStrictMode() throws IOException {
        LineReader reader = reader("RETR a\rDELE b\r\nNOOP\r\n", LineOptions.DEFAULT);
        LineException e = assertThrows(LineException.class, reader::readLine);
        assertEquals("BARE_CR carriage return without line feed at offset 0x00000006", e.getMessage());
        assertEquals("NOOP", line(reader));
    }

    @Test
    void keepsBareCarriageReturnAsDataWhenBareLineFeedAllowed() throws IOException {
        LineReader reader = reader("a\rb\r\n", LineOptions.DEFAULT.allowingBareLf());
        assertEquals("a\rb", line(reader));
    }

    @Test
    void recoversAfterOverlongLine() throws IOException {
        LineReader reader = reader("x".repeat(100_000) + "\r\nNOOP\r\n", SMALL);
        LineTooLongException e = assertThrows(LineTooLongException.class, reader::readLine);
        assertEquals("TOO_LONG line of 0x000186a0 bytes exceeds limit 0x00000010", e.getMessage());
        assertEquals(100_000, e.length());
        assertEquals(16, e.limit());
        assertEquals("NOOP", line(reader));
        assertTrue(reader.readLine().isEmpty());
    }

    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = {1, 5, 17, 18, 19, 8191, 8192, 100_000})
    void measuresOverlongLineExactlyWhateverTheReadSizes(int chunk) throws IOException {
        byte[] input = ascii("a".repeat(40_000) + "\r\n" + "b".repeat(18) + "\r\nok\r\n");
        LineReader reader = new LineReader(chunked(input, chunk), SMALL);
        assertEquals(40_000, assertThrows(LineTooLongException.class, reader::readLine).length());
        assertEquals(18, assertThrows(LineTooLongException.class, reader::readLine).length());
        assertEquals("ok", line(reader));
    }

    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = {1, 2, 17, 18, 1000})
    void acceptsLineOfExactlyMaximumLength(int chunk) throws IOException {
        String max = "m".repeat(16);
        byte[] input = ascii(max + "\r\n" + max + "x\r\n" + max + "\r\n");
        LineReader reader = new LineReader(chunked(input, chunk), SMALL);
        assertEquals(max, line(reader));
        assertEquals(17, assertThrows(LineTooLongException.class, reader::readLine).length());
        assertEquals(max, line(reader));
    }

    @Test
    void discardsOverlongLineWithoutStoringIt() throws IOException {
        long length = 256L << 20;
        InputStream endless = new StreamFixtures.Pattern(7).stream(length);
        InputStream noLineFeeds = new java.io.FilterInputStream(endless) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                for (int i = off; i < off + n; i++) {
                    if (b[i] == '\n' || b[i] == '\r') {
                        b[i] = ' ';
                    }
                }
                return n;
            }
        };
        InputStream input = new SequenceInputStream(noLineFeeds, new ByteArrayInputStream(ascii("\r\nNOOP\r\n")));
        LineReader reader = new LineReader(input, LineOptions.strict(1024));
        long before = StreamFixtures.allocatedByThisThread();
        assertEquals(length, assertThrows(LineTooLongException.class, reader::readLine).length());
        long allocated = StreamFixtures.allocatedByThisThread() - before;
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for a 256 MiB line");
        assertEquals("NOOP", line(reader));
    }

    /** Delivers each chunk as one read; a null chunk is a read that times out. */
    private static InputStream scripted(String... chunks) {
        java.util.Iterator<String> script = java.util.Arrays.asList(chunks).iterator();
        return new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException("the reader reads in blocks");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!script.hasNext()) {
                    return -1;
                }
                String chunk = script.next();
                if (chunk == null) {
                    throw new java.net.SocketTimeoutException("Read timed out");
                }
                byte[] bytes = ascii(chunk);
                assertTrue(bytes.length <= len, "test chunk fits the read");
                System.arraycopy(bytes, 0, b, off, bytes.length);
                return bytes.length;
            }
        };
    }

    @Test
    void resumesLineAfterReadTimeout() throws IOException {
        LineReader reader = new LineReader(scripted("NO", null, "OP\r\n"), SMALL);
        assertThrows(java.net.SocketTimeoutException.class, reader::readLine);
        assertEquals(2, reader.buffered());
        assertEquals("NOOP", line(reader));
    }

    @Test
    void keepsDiscardingOverlongLineAfterReadTimeout() throws IOException {
        String padding = "a".repeat(40);
        LineReader reader = new LineReader(scripted(padding, null, "DELE x\r\nNOOP\r\n"), SMALL);
        assertThrows(java.net.SocketTimeoutException.class, reader::readLine);
        LineTooLongException e = assertThrows(LineTooLongException.class, reader::readLine);
        assertEquals(46, e.length(), "the tail of the overlong line is not taken for a command");
        assertEquals("NOOP", line(reader));
    }

    @Test
    void failsOnEndOfInputInsideLine() throws IOException {
        LineReader reader = reader("NOOP\r\nQU", LineOptions.DEFAULT);
        assertEquals("NOOP", line(reader));
        LineException e = assertThrows(LineException.class, reader::readLine);
        assertEquals("TRUNCATED input ended inside a line after 0x00000002 bytes", e.getMessage());
        assertTrue(!e.recoverable());
        assertTrue(reader.readLine().isEmpty());
    }

    @Test
    void failsOnEndOfInputInsideOverlongLine() {
        LineReader reader = reader("y".repeat(100), SMALL);
        LineException e = assertThrows(LineException.class, reader::readLine);
        assertEquals("TRUNCATED input ended inside an overlong line after 0x00000064 bytes", e.getMessage());
    }

    @Test
    void decodesUtf8AndRejectsMalformedBytesRecoverably() throws IOException {
        byte[] input = StreamFixtures.hex("""
                63 61 66 c3 a9 0d 0a     # café CRLF
                61 c3 28 0d 0a           # a, a lead byte followed by '(' CRLF
                6f 6b 0d 0a              # ok CRLF
                """);
        LineReader reader = new LineReader(new ByteArrayInputStream(input));
        assertEquals("café", line(reader));
        LineException e = assertThrows(LineException.class, reader::readLine);
        assertEquals("MALFORMED line is not valid UTF-8 (0x00000003 bytes)", e.getMessage());
        assertInstanceOf(MalformedInputException.class, e.getCause());
        assertEquals("ok", line(reader));
    }

    @Test
    void decodesLatin1WhenAsked() throws IOException {
        byte[] input = StreamFixtures.hex("63 61 66 e9 0d 0a");
        LineReader reader = new LineReader(new ByteArrayInputStream(input),
                LineOptions.DEFAULT.withCharset(StandardCharsets.ISO_8859_1));
        assertEquals("café", line(reader));
    }

    @Test
    void rejectsHighBytesInUsAscii() {
        LineReader reader = new LineReader(new ByteArrayInputStream(StreamFixtures.hex("e9 0d 0a")),
                LineOptions.DEFAULT.withCharset(StandardCharsets.US_ASCII));
        assertEquals(LineError.MALFORMED, assertThrows(LineException.class, reader::readLine).error());
    }

    @Test
    void reportsPipelinedBytesAfterUpgradeCommand() throws IOException {
        LineReader reader = reader("AUTH TLS\r\nUSER injected\r\n", LineOptions.DEFAULT);
        assertEquals("AUTH TLS", line(reader));
        assertEquals("USER injected\r\n".length(), reader.buffered());
        assertEquals("USER injected", line(reader));
        assertEquals(0, reader.buffered());
    }

    @Test
    void reportsNothingBufferedWhenCommandArrivedAlone() throws IOException {
        LineReader reader = new LineReader(chunked(ascii("AUTH TLS\r\n"), 1));
        assertEquals(0, reader.buffered());
        assertEquals("AUTH TLS", line(reader));
        assertEquals(0, reader.buffered());
    }

    @Test
    void returnsBufferedLineWithoutReadingTheStreamAgain() throws IOException {
        LineReader reader = new LineReader(StreamFixtures.tripwire(ascii("NOOP\r\nQUIT\r\n")));
        assertEquals("NOOP", line(reader));
        assertEquals("QUIT", line(reader));
    }

    @Test
    void refusesCharsetsWhereLineFeedIsNotOneByte() {
        assertThrows(IllegalArgumentException.class,
                () -> LineOptions.DEFAULT.withCharset(StandardCharsets.UTF_16));
        assertThrows(IllegalArgumentException.class, () -> LineOptions.strict(0));
    }
}
