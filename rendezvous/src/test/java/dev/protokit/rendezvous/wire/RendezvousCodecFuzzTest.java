package dev.protokit.rendezvous.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/** Whatever the bytes, decoding returns a message or throws {@link RendezvousException}; messages round-trip. */
class RendezvousCodecFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void decodeOnlyThrowsRendezvousException(byte[] input) {
        RendezvousMessage m;
        try {
            m = RendezvousCodec.decode(ByteBuffer.wrap(input));
        } catch (RendezvousException e) {
            return;
        }
        assertEquals(m, RendezvousCodec.decode(RendezvousCodec.encode(m)));
    }
}
