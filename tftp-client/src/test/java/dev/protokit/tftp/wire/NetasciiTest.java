package dev.protokit.tftp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The netascii converters, whole and cut into blocks of every awkward size. */
class NetasciiTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Encodes through output blocks of {@code block} bytes, as the sender cuts DATA blocks. */
    static byte[] encode(byte[] local, int block) {
        var encoder = new NetasciiEncoder();
        ByteBuffer in = ByteBuffer.wrap(local);
        var wire = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(block);
        while (in.hasRemaining() || encoder.hasPending()) {
            out.clear();
            encoder.encode(in, out);
            wire.write(out.array(), 0, out.position());
        }
        return wire.toByteArray();
    }

    /** Decodes input blocks of {@code block} bytes, as the receiver gets DATA blocks. */
    static byte[] decode(byte[] wire, int block) {
        var decoder = new NetasciiDecoder();
        var local = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(block + 1);
        for (int i = 0; i < wire.length; i += block) {
            out.clear();
            decoder.decode(ByteBuffer.wrap(wire, i, Math.min(block, wire.length - i)), out);
            local.write(out.array(), 0, out.position());
        }
        out.clear();
        decoder.finish(out);
        local.write(out.array(), 0, out.position());
        return local.toByteArray();
    }

    @Test
    void encodesLineEndsAndBareCarriageReturns() {
        assertArrayEquals(ascii("a\r\nb\r\0c\r\n\r\n"), encode(ascii("a\nb\rc\n\n"), 512));
    }

    @Test
    void decodesLineEndsAndCarriageReturnNul() {
        assertArrayEquals(ascii("a\nb\rc\n\n"), decode(ascii("a\r\nb\r\0c\r\n\r\n"), 512));
    }

    @Test
    void decodesLenientlyWhatNetasciiForbids() {
        // A bare LF stays LF; CR followed by anything else keeps the CR; a final lone CR survives.
        assertArrayEquals(ascii("a\nb\rxc\r\r\nd\r"), decode(ascii("a\nb\rxc\r\r\r\nd\r"), 512));
    }

    @ParameterizedTest(name = "block {0}")
    @ValueSource(ints = {1, 2, 3, 7, 8, 512})
    void expansionSplitAcrossABlockBoundaryIsFinishedInTheNextBlock(int block) {
        byte[] local = ascii("\n\r\n\rx\n\n\r\rend\n");
        byte[] wire = encode(local, block);
        assertArrayEquals(ascii("\r\n\r\0\r\n\r\0x\r\n\r\n\r\0\r\0end\r\n"), wire);
        assertArrayEquals(local, decode(wire, block));
    }

    @Test
    void carriageReturnEndingABlockWaitsForTheNext() {
        var decoder = new NetasciiDecoder();
        ByteBuffer out = ByteBuffer.allocate(16);
        decoder.decode(ByteBuffer.wrap(ascii("ab\r")), out);
        assertEquals(2, out.position());
        decoder.decode(ByteBuffer.wrap(ascii("\ncd")), out);
        assertEquals("ab\ncd", new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void randomTextRoundTripsAtEveryBlockSize() {
        var random = new Random(42);
        byte[] local = new byte[5000];
        byte[] alphabet = ascii("\r\n\r\nab\0 ");
        for (int i = 0; i < local.length; i++) {
            local[i] = alphabet[random.nextInt(alphabet.length)];
        }
        for (int block = 1; block <= 40; block++) {
            byte[] wire = encode(local, block);
            assertArrayEquals(encode(local, 100_000), wire, "block " + block);
            assertArrayEquals(local, decode(wire, block), "block " + block);
        }
    }
}
