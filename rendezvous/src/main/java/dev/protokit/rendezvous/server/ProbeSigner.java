package dev.protokit.rendezvous.server;

import dev.protokit.rendezvous.wire.RendezvousMessage.Probe;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the return-routability probes of REGISTERED: a timestamp and a MAC (the
 * first 64 bits of HMAC-SHA256 under a key drawn at start-up) over the timestamp, the address
 * the registration came from, the session and the peer id. Only a peer that receives at that
 * address can echo a valid probe, so the server keeps no state per probe and never introduces
 * (sends an INTRODUCE to) an address that did not prove it receives there.
 */
final class ProbeSigner {
    private final byte[] key = new byte[32];

    ProbeSigner() {
        new SecureRandom().nextBytes(key);
    }

    /** A probe issued at {@code nanos} for this source, session and peer. */
    Probe issue(long nanos, InetSocketAddress from, long session, long peerId) {
        return new Probe(nanos, tag(nanos, from, session, peerId));
    }

    /** Whether {@code probe} was issued by this server for exactly this source, session and peer. */
    boolean valid(Probe probe, InetSocketAddress from, long session, long peerId) {
        long expected = tag(probe.issued(), from, session, peerId);
        return MessageDigest.isEqual(ByteBuffer.allocate(8).putLong(expected).array(),
                ByteBuffer.allocate(8).putLong(probe.tag()).array());
    }

    private long tag(long nanos, InetSocketAddress from, long session, long peerId) {
        byte[] ip = from.getAddress().getAddress();
        ByteBuffer input = ByteBuffer.allocate(8 + ip.length + 2 + 8 + 8)
                .putLong(nanos).put(ip).putShort((short) from.getPort()).putLong(session).putLong(peerId);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ByteBuffer.wrap(mac.doFinal(input.array())).getLong();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
