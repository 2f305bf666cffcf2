package dev.protokit.tftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the decoder: whatever the bytes, it returns a packet or throws {@link TftpException},
 * never anything else; and what it returns encodes back to a packet equal to it. Under plain
 * {@code mvn test} this runs in regression mode over the seeds in
 * {@code src/test/resources/.../TftpCodecFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class TftpCodecFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void decodeOnlyThrowsTftpException(byte[] input) {
        TftpPacket packet;
        try {
            packet = TftpCodec.decode(ByteBuffer.wrap(input));
        } catch (TftpException e) {
            return; // the only failure the decoder may report
        }
        ByteBuffer encoded = TftpCodec.encode(packet);
        assertEquals(packet, TftpCodec.decode(encoded));
    }
}
