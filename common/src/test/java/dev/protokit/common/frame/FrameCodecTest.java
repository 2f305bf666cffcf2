package dev.protokit.common.frame;

import static dev.protokit.common.frame.StreamFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure header codec: layout, JSON hardening and bodyLength rules. */
class FrameCodecTest {
    record Put(String name) {
    }

    record Sized(String name, long size) {
    }

    private static final FrameLimits LIMITS = FrameLimits.DEFAULT;

    private static FrameHeader decode(String json) {
        return FrameCodec.decodeHeader(json.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    private static FrameException rejected(String json) {
        return assertThrows(FrameException.class, () -> decode(json));
    }

    @Test
    void encodesLengthPrefixThenJsonHeaderWithBodyLength() {
        byte[] head = FrameCodec.encodeHead(new Put("a"), 5, LIMITS);
        assertArrayEquals(hex("""
                00 00 00 1b                                      # header length 27, u32 big-endian
                7b 22 6e 61 6d 65 22 3a 22 61 22 2c              # {"name":"a",
                22 62 6f 64 79 4c 65 6e 67 74 68 22 3a 35 7d     # "bodyLength":5}
                """), head);
    }

    @Test
    void decodesHeaderFieldsAndBindsToRecord() {
        FrameHeader header = decode("{\"name\":\"a.bin\",\"size\":7,\"bodyLength\":5}");
        assertEquals(5, header.bodyLength());
        assertEquals("a.bin", header.text("name").orElseThrow());
        assertTrue(header.text("size").isEmpty(), "a number is not text");
        assertEquals(new Sized("a.bin", 7), header.bind(Sized.class));
        assertEquals(7, header.json().get("size").asInt());
    }

    @Test
    void treatsAbsentBodyLengthAsEmptyBody() {
        assertEquals(0, decode("{\"type\":\"ping\"}").bodyLength());
    }

    @Test
    void handsOutCopiesSoTheHeaderCannotBeChanged() {
        FrameHeader header = decode("{\"name\":\"a\"}");
        header.json().put("name", "changed");
        assertEquals("a", header.text("name").orElseThrow());
    }

    @Test
    void neverInstantiatesTypesNamedByThePeer() {
        FrameHeader header = decode("{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"sh\"]}");
        assertInstanceOf(Map.class, header.bind(Object.class));
    }

    @Test
    void reportsHeaderThatDoesNotBind() {
        FrameException e = assertThrows(FrameException.class,
                () -> decode("{\"name\":\"a\",\"size\":\"big\"}").bind(Sized.class));
        assertEquals(FrameError.HEADER_MISMATCH, e.error());
        assertTrue(e.getMessage().startsWith("HEADER_MISMATCH header does not bind to Sized: "), e.getMessage());
        assertTrue(e.underlyingCause().isPresent());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"bodyLength\":-1}                     | BAD_BODY_LENGTH bodyLength -1 is negative",
        "{\"bodyLength\":1.5}                    | BAD_BODY_LENGTH bodyLength 1.5 is not an integer",
        "{\"bodyLength\":1e3}                    | BAD_BODY_LENGTH bodyLength 1000.0 is not an integer",
        "{\"bodyLength\":\"12\"}                 | BAD_BODY_LENGTH bodyLength \"12\" is not an integer",
        "{\"bodyLength\":null}                   | BAD_BODY_LENGTH bodyLength null is not an integer",
        "{\"bodyLength\":99999999999999999999}   | BAD_BODY_LENGTH bodyLength 99999999999999999999 does not fit in 64 bits",
        "[1,2]                                   | HEADER_NOT_OBJECT header is a JSON ARRAY, not an OBJECT",
        "\"text\"                                | HEADER_NOT_OBJECT header is a JSON STRING, not an OBJECT",
        "null                                    | HEADER_NOT_OBJECT header is a JSON NULL, not an OBJECT",
        "`   `                                   | HEADER_NOT_JSON header holds no JSON value",
    })
    void rejectsBadHeadersWithExactMessage(String json, String message) {
        assertEquals(message, rejected(json).getMessage());
    }

    @Test
    void rejectsBodyLengthOverLimit() {
        FrameLimits small = FrameLimits.DEFAULT.withMaxBodyBytes(0x400);
        FrameException e = assertThrows(FrameException.class,
                () -> FrameCodec.decodeHeader("{\"bodyLength\":1025}".getBytes(StandardCharsets.UTF_8), small));
        assertEquals("BODY_TOO_LARGE bodyLength 0x401 exceeds limit 0x400", e.getMessage());
    }

    @Test
    void rejectsInvalidUtf8WithOffset() {
        byte[] json = "{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        json[9] = (byte) 0xff;
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decodeHeader(json, LIMITS));
        assertEquals("HEADER_NOT_UTF8 header is not valid UTF-8 at offset 0x00000009", e.getMessage());
        assertInstanceOf(java.nio.charset.MalformedInputException.class, e.getCause());
    }

    @Test
    void rejectsUtf8EncodedSurrogates() {
        byte[] json = hex("7b 22 61 22 3a 22 ed a0 80 22 7d"); // {"a":"<U+D800 as CESU>"}
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decodeHeader(json, LIMITS));
        assertEquals(FrameError.HEADER_NOT_UTF8, e.error());
    }

    @Test
    void rejectsDuplicateKeysSoTwoParsersCannotDisagree() {
        FrameException e = rejected("{\"bodyLength\":1,\"bodyLength\":2}");
        assertEquals(FrameError.HEADER_NOT_JSON, e.error());
        assertTrue(e.getMessage().contains("Duplicate field 'bodyLength'"), e.getMessage());
    }

    @Test
    void rejectsTrailingContentAfterTheObject() {
        assertEquals(FrameError.HEADER_NOT_JSON, rejected("{} {}").error());
        assertEquals(FrameError.HEADER_NOT_JSON, rejected("{}x").error());
    }

    @Test
    void rejectsNestingBeyondLimit() {
        String ok = "{\"a\":" + "[".repeat(FrameCodec.MAX_NESTING_DEPTH - 1) + "]".repeat(FrameCodec.MAX_NESTING_DEPTH - 1) + "}";
        decode(ok);
        String deep = "{\"a\":" + "[".repeat(FrameCodec.MAX_NESTING_DEPTH) + "]".repeat(FrameCodec.MAX_NESTING_DEPTH) + "}";
        FrameException e = rejected(deep);
        assertEquals(FrameError.HEADER_NOT_JSON, e.error());
        assertInstanceOf(StreamConstraintsException.class, e.getCause());
    }

    @Test
    void rejectsOverlongNumbersAndNames() {
        FrameException number = rejected("{\"n\":" + "9".repeat(FrameCodec.MAX_NUMBER_LENGTH + 1) + "}");
        assertInstanceOf(StreamConstraintsException.class, number.getCause());
        FrameException name = rejected("{\"" + "k".repeat(FrameCodec.MAX_NAME_LENGTH + 1) + "\":1}");
        assertInstanceOf(StreamConstraintsException.class, name.getCause());
    }

    @Test
    void checksHeaderLengthAgainstLimit() {
        assertEquals("EMPTY_HEADER header length 0x00000000",
                assertThrows(FrameException.class, () -> FrameCodec.checkHeaderLength(0, LIMITS)).getMessage());
        assertEquals("HEADER_TOO_LARGE header length 0xffffffff exceeds limit 0x00010000",
                assertThrows(FrameException.class, () -> FrameCodec.checkHeaderLength(0xffffffffL, LIMITS)).getMessage());
        assertEquals(0x10000, FrameCodec.checkHeaderLength(0x10000, LIMITS));
    }

    @Test
    void refusesToEncodeWhatThePeerWouldReject() {
        FrameLimits small = new FrameLimits(16, 100);
        assertEquals("HEADER_TOO_LARGE header length 0x0000001b exceeds limit 0x00000010",
                assertThrows(FrameException.class, () -> FrameCodec.encodeHead(new Put("a"), 5, small)).getMessage());
        assertEquals("BODY_TOO_LARGE bodyLength 0x65 exceeds limit 0x64",
                assertThrows(FrameException.class, () -> FrameCodec.encodeHead(Map.of(), 101, small)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.encodeHead(new Put("a"), -1, LIMITS));
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.encodeHead(java.util.List.of(1), 0, LIMITS));
    }

    @Test
    void encodesObjectNodeWithoutChangingIt() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("bodyLength", 3);
        byte[] head = FrameCodec.encodeHead(node, 3, LIMITS);
        assertEquals("{\"bodyLength\":3}", new String(head, 4, head.length - 4, StandardCharsets.UTF_8));
        assertEquals(1, node.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.encodeHead(node, 4, LIMITS));
        assertEquals("header field bodyLength 3 disagrees with body length 4", e.getMessage());
    }
}
