package dev.protokit.common.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The primitives of the handshake: HMAC-SHA256, constant-time comparison, fresh nonces and
 * HKDF-SHA256 (RFC 5869) session keys. Pure apart from the {@link SecureRandom} passed in.
 */
final class HandshakeCrypto {
    private static final String HMAC_SHA256 = "HmacSHA256";

    private HandshakeCrypto() {
    }

    /** HMAC-SHA256 under {@code key} of the concatenation of {@code parts}. */
    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has " + HMAC_SHA256, e);
        }
    }

    /** Constant-time equality, so the time taken does not tell how many leading bytes matched. */
    static boolean macEquals(Bytes32 expected, Bytes32 received) {
        return MessageDigest.isEqual(expected.bytes(), received.bytes());
    }

    /** A fresh nonce from {@code random}. */
    static Bytes32 nonce(SecureRandom random) {
        byte[] nonce = new byte[Protocol.NONCE_BYTES];
        random.nextBytes(nonce);
        return new Bytes32(nonce);
    }

    /**
     * Derives one 32-byte key per direction from the shared key, both nonces and the transcript
     * hash: HKDF-SHA256 with salt {@code Nc | Ns}, IKM {@code K} and info {@code label | hash}
     * (RFC 5869 sections 2.2 and 2.3). Different labels give independent keys per direction.
     */
    static SessionKeys sessionKeys(byte[] key, Bytes32 clientNonce, Bytes32 serverNonce, byte[] transcriptHash) {
        byte[] salt = concat(clientNonce.bytes(), serverNonce.bytes());
        byte[] c2s = expand(key, salt, concat(Protocol.Role.CLIENT.keyLabel(), transcriptHash));
        byte[] s2c = expand(key, salt, concat(Protocol.Role.SERVER.keyLabel(), transcriptHash));
        try {
            return new SessionKeys(c2s, s2c);
        } finally {
            Arrays.fill(c2s, (byte) 0);
            Arrays.fill(s2c, (byte) 0);
        }
    }

    private static byte[] expand(byte[] ikm, byte[] salt, byte[] info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[Protocol.SESSION_KEY_BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
