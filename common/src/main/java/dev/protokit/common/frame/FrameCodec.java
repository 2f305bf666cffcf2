package dev.protokit.common.frame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The pure part of the frame format: checks header lengths and turns header bytes into a
 * {@link FrameHeader} and back, with no I/O. {@link FrameReader} and {@link FrameWriter} move
 * the bytes; fuzzers drive this class directly.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              header length H (u32, big-endian, 1..max)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  header: H bytes of UTF-8 JSON, one object, e.g.              |
 * |  {"type":"put","name":"a.bin","bodyLength":5}      ...        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  body: exactly header.bodyLength bytes (absent = 0), opaque,  |
 * |  streamed, never held in memory by the framing layer  ...     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The JSON parser is hardened for hostile input: nesting depth, string, name and number
 * lengths are capped, duplicate keys are rejected (two {@code bodyLength} fields must not let
 * two parsers disagree), trailing content is rejected, polymorphic ("default") typing is never
 * enabled, and error messages do not echo the source document.
 */
public final class FrameCodec {
    /** The header field holding the body length; absent means an empty body. */
    public static final String BODY_LENGTH = "bodyLength";
    /** Size of the header length prefix. */
    public static final int LENGTH_PREFIX_BYTES = 4;
    /** Deepest accepted nesting of JSON arrays and objects in a header. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Longest accepted JSON number literal, in characters (a long needs 20). */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Longest accepted JSON string value, in characters. */
    public static final int MAX_STRING_LENGTH = 1024 * 1024;
    /** Longest accepted JSON field name, in characters. */
    public static final int MAX_NAME_LENGTH = 1024;

    /** Shared, configured once, never handed out: callers cannot weaken it. */
    static final ObjectMapper MAPPER = newMapper();

    private FrameCodec() {
    }

    /**
     * Checks a header length read from the wire against the limits, before anything is
     * allocated for it, and returns it as an int.
     *
     * @param headerLength the u32 prefix, 0..0xffffffff
     */
    public static int checkHeaderLength(long headerLength, FrameLimits limits) {
        if (headerLength == 0) {
            throw new FrameException(FrameError.EMPTY_HEADER, "header length " + FrameException.hex32(0));
        }
        if (headerLength < 0 || headerLength > limits.maxHeaderBytes()) {
            throw new FrameException(FrameError.HEADER_TOO_LARGE, "header length "
                    + FrameException.hex32(headerLength) + " exceeds limit "
                    + FrameException.hex32(limits.maxHeaderBytes()));
        }
        return (int) headerLength;
    }

    /**
     * Decodes header bytes (without the length prefix): strict UTF-8, then one JSON object with
     * a valid {@code bodyLength}.
     */
    public static FrameHeader decodeHeader(byte[] header, FrameLimits limits) {
        checkHeaderLength(header.length, limits);
        JsonNode node;
        try {
            node = MAPPER.readTree(strictUtf8(header));
        } catch (JsonProcessingException e) {
            throw new FrameException(FrameError.HEADER_NOT_JSON, "header is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (node.isMissingNode()) {
            throw new FrameException(FrameError.HEADER_NOT_JSON, "header holds no JSON value");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new FrameException(FrameError.HEADER_NOT_OBJECT, "header is a JSON "
                    + node.getNodeType() + ", not an OBJECT");
        }
        return new FrameHeader(object, bodyLength(object, limits));
    }

    /**
     * Encodes the head of a frame (length prefix and JSON header) for a body of
     * {@code bodyLength} bytes. {@code header} is an {@link ObjectNode} (copied, not changed) or
     * any value Jackson serializes to an object, such as a record; {@code bodyLength} is added
     * to it and must agree with a {@code bodyLength} already there.
     *
     * @throws IllegalArgumentException if the header is not an object or disagrees on the length
     * @throws FrameException           if the result breaks the limits
     */
    public static byte[] encodeHead(Object header, long bodyLength, FrameLimits limits) {
        Objects.requireNonNull(header, "header");
        if (bodyLength < 0) {
            throw new IllegalArgumentException("bodyLength must be >= 0, got " + bodyLength);
        }
        checkBodyLimit(bodyLength, limits);
        JsonNode tree = header instanceof ObjectNode given ? given.deepCopy() : MAPPER.valueToTree(header);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("header must serialize to a JSON object, got "
                    + tree.getNodeType());
        }
        JsonNode existing = object.get(BODY_LENGTH);
        if (existing != null && !(existing.isIntegralNumber() && existing.canConvertToLong()
                && existing.longValue() == bodyLength)) {
            throw new IllegalArgumentException("header field " + BODY_LENGTH + " " + existing
                    + " disagrees with body length " + bodyLength);
        }
        object.put(BODY_LENGTH, bodyLength);
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("header cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        if (json.length > limits.maxHeaderBytes()) {
            throw new FrameException(FrameError.HEADER_TOO_LARGE, "header length "
                    + FrameException.hex32(json.length) + " exceeds limit "
                    + FrameException.hex32(limits.maxHeaderBytes()));
        }
        byte[] head = new byte[LENGTH_PREFIX_BYTES + json.length];
        ByteBuffer.wrap(head).putInt(json.length).put(json);
        return head;
    }

    private static long bodyLength(ObjectNode header, FrameLimits limits) {
        JsonNode value = header.get(BODY_LENGTH);
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw new FrameException(FrameError.BAD_BODY_LENGTH, BODY_LENGTH + " " + excerpt(value)
                    + " is not an integer");
        }
        if (!value.canConvertToLong()) {
            throw new FrameException(FrameError.BAD_BODY_LENGTH, BODY_LENGTH + " " + excerpt(value)
                    + " does not fit in 64 bits");
        }
        long length = value.longValue();
        if (length < 0) {
            throw new FrameException(FrameError.BAD_BODY_LENGTH, BODY_LENGTH + " " + length + " is negative");
        }
        checkBodyLimit(length, limits);
        return length;
    }

    private static void checkBodyLimit(long bodyLength, FrameLimits limits) {
        if (bodyLength > limits.maxBodyBytes()) {
            throw new FrameException(FrameError.BODY_TOO_LARGE, BODY_LENGTH + " "
                    + FrameException.hex(bodyLength) + " exceeds limit " + FrameException.hex(limits.maxBodyBytes()));
        }
    }

    /** Decodes UTF-8, reporting (not replacing) malformed input with its byte offset. */
    private static String strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            try {
                result.throwException();
                throw new IllegalStateException("unreachable: " + result);
            } catch (CharacterCodingException e) {
                throw new FrameException(FrameError.HEADER_NOT_UTF8, "header is not valid UTF-8 at offset "
                        + FrameException.hex32(offset), e);
            }
        }
        return out.flip().toString();
    }

    /** A bounded rendering of a hostile value for an error message. */
    private static String excerpt(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static ObjectMapper newMapper() {
        StreamReadConstraints read = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxDocumentLength(FrameLimits.MAX_HEADER_BYTES_CEILING)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(read)
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // bodyLength and fields added by newer peers need not appear in a bound record.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }
}
