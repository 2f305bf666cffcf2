package dev.protokit.common.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the tagged values of corpus.jsonl (written by gen_struct_corpus.py) as the Java values
 * docs/struct.md maps Python's to, and compares unpacked values with Python's exactly: an int
 * must come back as a Long (or a BigInteger only when no Long holds it), a float as a Double
 * with the very same bits (NaN payloads and -0.0 included), bytes as equal arrays.
 */
final class CorpusValues {

    private static final HexFormat HEX = HexFormat.of();

    private CorpusValues() {
    }

    static byte[] hex(JsonNode node) {
        return HEX.parseHex(node.asText());
    }

    /** Python argument -> Java argument: int to Long/BigInteger, float to Double, None to null. */
    static Object decode(JsonNode tagged) {
        String tag = tagged.fieldNames().next();
        JsonNode v = tagged.get(tag);
        return switch (tag) {
            case "int" -> {
                BigInteger big = new BigInteger(v.asText());
                yield big.bitLength() <= 63 ? (Object) big.longValue() : big;
            }
            case "float" -> Double.longBitsToDouble(Long.parseUnsignedLong(v.asText(), 16));
            case "bool" -> v.asBoolean();
            case "bytes" -> hex(v);
            case "str" -> v.asText();
            case "none" -> null;
            case "list" -> decodeAll(v);
            default -> throw new IllegalArgumentException("unknown tag " + tag);
        };
    }

    static List<Object> decodeAll(JsonNode array) {
        List<Object> values = new ArrayList<>();
        array.forEach(node -> values.add(decode(node)));
        return values;
    }

    static Object[] args(JsonNode testCase) {
        return decodeAll(testCase.get("args")).toArray();
    }

    /** Asserts that {@code actual} is what Python unpacked, type and value. */
    static void assertValues(JsonNode expected, List<Object> actual) {
        assertEquals(expected.size(), actual.size(), "number of values");
        for (int i = 0; i < actual.size(); i++) {
            assertValue(expected.get(i), actual.get(i), "value " + i);
        }
    }

    private static void assertValue(JsonNode tagged, Object actual, String what) {
        Object expected = decode(tagged);
        switch (expected) {
            case Long l -> assertEquals(l, assertInstanceOf(Long.class, actual, what), what);
            case BigInteger big -> assertEquals(big, assertInstanceOf(BigInteger.class, actual, what), what);
            case Double d -> assertEquals(Long.toHexString(Double.doubleToRawLongBits(d)),
                    Long.toHexString(Double.doubleToRawLongBits(assertInstanceOf(Double.class, actual, what))),
                    what + " bits (expected " + d + ", got " + actual + ")");
            case Boolean b -> assertEquals(b, assertInstanceOf(Boolean.class, actual, what), what);
            case byte[] bytes -> assertArrayEquals(bytes, assertInstanceOf(byte[].class, actual, what), what);
            default -> fail("Python never unpacks " + expected);
        }
    }
}
