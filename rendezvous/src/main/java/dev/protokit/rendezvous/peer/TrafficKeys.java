package dev.protokit.rendezvous.peer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * The two ChaCha20-Poly1305 keys of a peer session, one per direction, derived from the J-PAKE
 * keying material with HKDF-SHA256 (RFC 5869): salt {@code "protokit-rdv/1"}, and info naming
 * the sending and the receiving participant, so each direction's key is bound to both
 * identities (and so to the session number and both peers' nonces) and a datagram can never
 * be reflected back to its sender. {@link #destroy()} overwrites both.
 */
final class TrafficKeys implements Destroyable {
    static final int KEY_BYTES = 32;
    private static final byte[] SALT = "protokit-rdv/1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] sending;
    private final byte[] receiving;
    private volatile boolean destroyed;

    private TrafficKeys(byte[] sending, byte[] receiving) {
        this.sending = sending;
        this.receiving = receiving;
    }

    /** Derives both keys; {@code localId} and {@code peerId} are the J-PAKE identities. */
    static TrafficKeys derive(BigInteger keyingMaterial, String localId, String peerId) {
        byte[] ikm = BigIntegers.asUnsignedByteArray(Objects.requireNonNull(keyingMaterial, "keyingMaterial"));
        try {
            return new TrafficKeys(expand(ikm, localId, peerId), expand(ikm, peerId, localId));
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    private static byte[] expand(byte[] ikm, String from, String to) {
        byte[] info = ("traffic " + from + " -> " + to).getBytes(StandardCharsets.US_ASCII);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, SALT, info));
        byte[] out = new byte[KEY_BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    /** A copy of the key this side seals with. */
    byte[] sending() {
        requireLive();
        return sending.clone();
    }

    /** A copy of the key this side opens with. */
    byte[] receiving() {
        requireLive();
        return receiving.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(sending, (byte) 0);
        Arrays.fill(receiving, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return destroyed ? "TrafficKeys[destroyed]" : "TrafficKeys[2 x 32 bytes, redacted]";
    }

    private void requireLive() {
        if (destroyed) {
            throw new IllegalStateException("traffic keys were destroyed");
        }
    }
}
