package dev.protokit.common.struct;

import static dev.protokit.common.struct.CorpusValues.args;
import static dev.protokit.common.struct.CorpusValues.assertValues;
import static dev.protokit.common.struct.CorpusValues.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case CPython recorded in struct/corpus.jsonl (see gen_struct_corpus.py): the
 * same bytes from pack and pack_into (including what a failing pack_into leaves behind), the
 * same values from unpack, unpack_from and iter_unpack, and the same error messages. Buffers
 * are tried both as arrays and as direct ByteBuffers.
 */
class StructCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> LINES = load();

    private static List<JsonNode> load() {
        InputStream in = StructCorpusTest.class.getResourceAsStream("/struct/corpus.jsonl");
        if (in == null) {
            throw new IllegalStateException("struct/corpus.jsonl is missing; run gen_struct_corpus.py");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(JSON.readTree(line));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Named<JsonNode>> cases() {
        return LINES.stream().skip(1).map(c -> Named.of(c.get("name").asText(), c));
    }

    @Test
    void corpusComesFromCPython311AndCoversEveryOperation() {
        JsonNode header = LINES.getFirst();
        assertTrue(header.get("python").asText().startsWith("3.11."), header.toString());
        assertEquals(LINES.size() - 1, header.get("cases").asInt());
        for (String op : List.of("calcsize", "pack", "unpack", "pack_into", "unpack_from", "iter_unpack")) {
            long n = cases().filter(c -> c.getPayload().get("op").asText().equals(op)).count();
            assertTrue(n >= 50, op + " has only " + n + " cases");
        }
        assertTrue(cases().filter(c -> c.getPayload().has("error")).count() >= 1000, "error cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void behavesAsCPython(JsonNode c) {
        String format = c.get("fmt").asText();
        switch (c.get("op").asText()) {
            case "calcsize" -> expect(c, () -> {
                int size = Struct.calcsize(format);
                assertEquals(c.get("size").asInt(), size);
            });
            case "pack" -> expect(c, () -> {
                byte[] packed = Struct.compile(format).pack(args(c));
                assertArrayEquals(hex(c.get("bytes")), packed);
            });
            case "unpack" -> forEachBuffer(hex(c.get("buffer")), buffer ->
                    expect(c, () -> assertValues(c.get("values"), Struct.compile(format).unpack(buffer))));
            case "unpack_from" -> forEachBuffer(hex(c.get("buffer")), buffer -> expect(c, () -> assertValues(
                    c.get("values"), Struct.compile(format).unpackFrom(buffer, c.get("offset").asInt()))));
            case "iter_unpack" -> forEachBuffer(hex(c.get("buffer")), buffer -> expect(c, () -> {
                Iterator<StructTuple> tuples = Struct.compile(format).iterUnpack(buffer);
                for (JsonNode expected : c.get("values")) {
                    assertValues(expected, tuples.next());
                }
                assertFalse(tuples.hasNext(), "more tuples than CPython");
            }));
            case "pack_into" -> packInto(c, format);
            default -> throw new IllegalArgumentException(c.toString());
        }
    }

    /** Runs {@code check}; if CPython failed, asserts that it throws CPython's message instead. */
    private static void expect(JsonNode c, Executable check) {
        if (!c.has("error")) {
            try {
                check.execute();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            return;
        }
        StructException e = assertThrows(StructException.class, check, "CPython raised " + c.get("error"));
        assertEquals(c.get("error").get("message").asText(), e.getMessage());
    }

    private static void forEachBuffer(byte[] bytes, java.util.function.Consumer<ByteBuffer> test) {
        test.accept(ByteBuffer.wrap(bytes));
        test.accept(ByteBuffer.allocateDirect(bytes.length).put(0, bytes));
    }

    private static void packInto(JsonNode c, String format) {
        int size = c.get("size").asInt();
        int offset = c.get("offset").asInt();
        byte[] after = hex(c.get("bytes"));
        List<Function<byte[], ByteBuffer>> targets = List.of(
                ByteBuffer::wrap, b -> ByteBuffer.allocateDirect(b.length).put(0, b));
        for (Function<byte[], ByteBuffer> target : targets) {
            byte[] filled = new byte[size];
            Arrays.fill(filled, (byte) 0xaa);
            ByteBuffer buffer = target.apply(filled);
            expect(c, () -> Struct.compile(format).packInto(buffer, offset, args(c)));
            byte[] actual = new byte[size];
            buffer.get(0, actual);
            assertArrayEquals(after, actual, "buffer after pack_into");
        }
    }
}
