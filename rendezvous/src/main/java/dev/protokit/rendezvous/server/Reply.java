package dev.protokit.rendezvous.server;

import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunMessage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A response ready to send and the endpoint to send it from, or nothing. Responses to
 * unauthenticated requests pass {@link #bounded}: never more than {@link #ALLOWANCE} bytes
 * over the request, so a forged source gains an attacker at most that many bytes a packet
 * (a plain IPv4 Binding answer is 52 bytes for a 20-byte request; coturn's default is 80).
 *
 * @param answer the encoded response, flipped
 * @param via    which local endpoint sends it
 */
public record Reply(ByteBuffer answer, Via via) {
    /** The most bytes a response to an unauthenticated request may exceed the request by. */
    public static final int ALLOWANCE = 48;

    /**
     * Encodes {@code response}, shedding first FINGERPRINT (when the request had none: a client
     * that does not use the mechanism, RFC 8489 section 7, does not miss it) and then the
     * attributes of the types in {@code optional}, in order, until it fits {@code requestLength
     * + ALLOWANCE}; empty when even the leanest form is too large.
     */
    static Optional<Reply> bounded(StunMessage response, Seal seal, int requestLength, boolean requestHadFingerprint,
                                   List<Class<? extends StunAttribute>> optional, Via via) {
        int bound = requestLength + ALLOWANCE;
        StunMessage m = response;
        Seal s = seal;
        int shed = 0;
        while (StunCodec.encodedLength(m, s) > bound) {
            if (s.fingerprint() && !requestHadFingerprint) {
                s = s.withoutFingerprint();
            } else if (shed < optional.size()) {
                Class<? extends StunAttribute> drop = optional.get(shed++);
                m = new StunMessage(m.method(), m.messageClass(), m.transactionId(),
                        m.attributes().stream().filter(a -> !drop.isInstance(a)).toList());
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new Reply(StunCodec.encode(m, s), via));
    }

    /** A response that need not be bounded (to an authenticated request). */
    static Reply unbounded(StunMessage response, Seal seal, Via via) {
        return new Reply(StunCodec.encode(response, seal), via);
    }
}
