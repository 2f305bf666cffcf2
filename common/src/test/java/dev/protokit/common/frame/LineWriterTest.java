package dev.protokit.common.frame;

import static dev.protokit.common.frame.StreamFixtures.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CRLF line output: injection refusal, charsets, buffering and flushing. */
class LineWriterTest {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final LineWriter writer = new LineWriter(wire);

    @Test
    void writesLinesWithCrlfOnFlush() throws IOException {
        writer.writeLine("220 ready").writeLine("");
        assertEquals(0, wire.size(), "nothing sent before flush");
        assertEquals(13, writer.pending());
        writer.flush();
        assertArrayEquals(ascii("220 ready\r\n\r\n"), wire.toByteArray());
        writer.writeLineAndFlush("221 bye");
        assertArrayEquals(ascii("220 ready\r\n\r\n221 bye\r\n"), wire.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"550 a\r\n230 forged", "550 a\n230 forged", "550 a\r", "\n"})
    void refusesLineContainingCarriageReturnOrLineFeed(String line) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> writer.writeLine(line));
        writer.flush();
        assertEquals(0, wire.size(), "nothing of the refused line is written");
    }

    @Test
    void namesTheFirstLineBreakInTheRefusal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.writeLine("550 x\ny\rz"));
        assertEquals("line contains LF at index 5; refusing to write it (reply injection)", e.getMessage());
    }

    @Test
    void refusesCharactersTheCharsetCannotEncode() throws IOException {
        LineWriter latin1 = new LineWriter(wire, StandardCharsets.ISO_8859_1);
        latin1.writeLineAndFlush("café");
        assertArrayEquals(StreamFixtures.hex("63 61 66 e9 0d 0a"), wire.toByteArray());
        assertThrows(IllegalArgumentException.class, () -> latin1.writeLine("5 €"));
        assertThrows(IllegalArgumentException.class, () -> writer.writeLine("lone \ud800 surrogate"));
    }

    @Test
    void writesLinesLongerThanItsBuffer() throws IOException {
        String longLine = "x".repeat(20_000);
        writer.writeLine("short").writeLine(longLine).writeLine("end").flush();
        LineReader reader = new LineReader(new ByteArrayInputStream(wire.toByteArray()), LineOptions.strict(20_000));
        assertEquals("short", reader.readLine().orElseThrow());
        assertEquals(longLine, reader.readLine().orElseThrow());
        assertEquals("end", reader.readLine().orElseThrow());
    }

    @Test
    void roundTripsUtf8ThroughTheReader() throws IOException {
        writer.writeLine("257 \"/tmp/naïve ☃\" created").flush();
        LineReader reader = new LineReader(new ByteArrayInputStream(wire.toByteArray()));
        assertEquals("257 \"/tmp/naïve ☃\" created", reader.readLine().orElseThrow());
    }
}
