package dev.protokit.common.frame;

import static dev.protokit.common.frame.StreamFixtures.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writing frames: exact layout, body length enforcement, round trips through the reader. */
class FrameWriterTest {
    record Put(String name) {
    }

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final FrameWriter writer = new FrameWriter(wire);

    private FrameReader readBack() {
        return new FrameReader(new ByteArrayInputStream(wire.toByteArray()));
    }

    @Test
    void writesHexFixtureLayout() throws IOException {
        writer.write(new Put("a"), ascii("hello"));
        assertArrayEquals(FrameReaderTest.FRAME, wire.toByteArray());
    }

    @Test
    void roundTripsRecordsTreesAndEmptyBodies() throws IOException {
        writer.write(new Put("first"), ascii("one"));
        writer.write(JsonNodeFactory.instance.objectNode().put("type", "ping"), new byte[0]);
        writer.write(Map.of("name", "third"), new ByteArrayInputStream(ascii("three, and more")), 5);
        FrameReader reader = readBack();
        Frame first = reader.next().orElseThrow();
        assertEquals(new Put("first"), first.header().bind(Put.class));
        assertArrayEquals(ascii("one"), first.body().readAllBytes());
        Frame ping = reader.next().orElseThrow();
        assertEquals("{\"type\":\"ping\",\"bodyLength\":0}", ping.header().toString());
        assertEquals(-1, ping.body().read());
        Frame third = reader.next().orElseThrow();
        assertArrayEquals(ascii("three"), third.body().readAllBytes());
        assertTrue(reader.next().isEmpty());
    }

    @Test
    void refusesWritePastBodyLengthWithoutWritingAnyOfIt() throws IOException {
        OutputStream body = writer.begin(new Put("a"), 5);
        body.write(ascii("hel"));
        int before = wire.size();
        FrameException e = assertThrows(FrameException.class, () -> body.write(ascii("lo!!")));
        assertEquals("BODY_OVERRUN write of 0x4 bytes after 0x3 exceeds bodyLength 0x5", e.getMessage());
        assertEquals(before, wire.size());
        body.write(ascii("lo"));
        assertThrows(FrameException.class, () -> body.write('!'));
        body.close();
        assertArrayEquals(FrameReaderTest.FRAME, wire.toByteArray());
    }

    @Test
    void refusesToCloseShortBody() throws IOException {
        OutputStream body = writer.begin(new Put("a"), 5);
        body.write(ascii("hel"));
        FrameException e = assertThrows(FrameException.class, body::close);
        assertEquals("BODY_UNDERRUN body closed after 0x3 of 0x5 body bytes", e.getMessage());
    }

    @Test
    void refusesToBeginNextFrameBeforeBodyIsComplete() throws IOException {
        writer.begin(new Put("a"), 5);
        FrameException e = assertThrows(FrameException.class, () -> writer.begin(new Put("b"), 0));
        assertEquals("BODY_UNDERRUN next frame begun after 0x0 of 0x5 body bytes", e.getMessage());
    }

    @Test
    void reportsSourceEndingBeforeBodyLength() {
        FrameException e = assertThrows(FrameException.class,
                () -> writer.write(new Put("a"), new ByteArrayInputStream(ascii("he")), 5));
        assertEquals("BODY_UNDERRUN source ended after 0x2 of 0x5 body bytes", e.getMessage());
    }

    @Test
    void readsNothingFromSourceBeyondBodyLength() throws IOException {
        writer.write(new Put("a"), StreamFixtures.tripwire(ascii("hello")), 5);
        assertArrayEquals(FrameReaderTest.FRAME, wire.toByteArray());
    }

    @Test
    void refusesWritesAfterClose() throws IOException {
        OutputStream body = writer.begin(new Put("a"), 0);
        body.close();
        body.close();
        IOException e = assertThrows(IOException.class, () -> body.write(1));
        assertEquals("frame body is closed", e.getMessage());
    }

    @Test
    void enforcesItsLimitsOnOutgoingFrames() {
        FrameWriter small = new FrameWriter(wire, new FrameLimits(16, 4));
        assertEquals(FrameError.HEADER_TOO_LARGE,
                assertThrows(FrameException.class, () -> small.begin(new Put("long name"), 0)).error());
        assertEquals(FrameError.BODY_TOO_LARGE,
                assertThrows(FrameException.class, () -> small.begin(Map.of(), 5)).error());
        assertEquals(0, wire.size());
    }
}
