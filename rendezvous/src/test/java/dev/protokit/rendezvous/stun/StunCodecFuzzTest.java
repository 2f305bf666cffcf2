package dev.protokit.rendezvous.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the decoders: whatever the bytes, STUN and ChannelData decoding return a value or
 * throw {@link StunException}, never anything else; and a decoded message encodes back to an
 * equal one. Plain {@code mvn test} runs the seeds in regression mode; {@code JAZZER_FUZZ=1}
 * fuzzes for real.
 */
class StunCodecFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void decodeOnlyThrowsStunException(byte[] input) {
        StunMessage m;
        try {
            m = StunCodec.decode(ByteBuffer.wrap(input));
        } catch (StunException e) {
            return;
        }
        // Padding bytes need not be zero on the wire, so a re-encoded FINGERPRINT may differ: leave it out.
        var unsealed = new StunMessage(m.method(), m.messageClass(), m.transactionId(),
                m.attributes().stream().filter(a -> !(a instanceof StunAttribute.Fingerprint)).toList());
        assertEquals(unsealed, StunCodec.decode(StunCodec.encode(unsealed, Seal.NONE)));
        StunIntegrity.verify(ByteBuffer.wrap(input), IntegrityKey.shortTerm("k"));
    }

    @FuzzTest(maxDuration = "10s")
    void channelDataOnlyThrowsStunException(byte[] input) {
        try {
            ChannelData c = ChannelData.decode(ByteBuffer.wrap(input));
            ByteBuffer out = ByteBuffer.allocate(c.encodedLength());
            c.encode(out);
            assertEquals(c, ChannelData.decode(out.flip()));
        } catch (StunException e) {
            // the only failure allowed
        }
    }
}
