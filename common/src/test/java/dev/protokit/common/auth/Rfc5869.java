package dev.protokit.common.auth;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent HKDF-SHA256 (RFC 5869) written from the RFC with the JDK's HMAC, the way a
 * second implementation (such as interop/auth_handshake.py) would, to check the Bouncy Castle
 * path against; itself checked with the RFC's test case 1 in {@link Rfc5869Test}.
 */
final class Rfc5869 {
    private Rfc5869() {
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** RFC 5869 section 2.2: PRK = HMAC-Hash(salt, IKM). */
    static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    /** RFC 5869 section 2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L octets. */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        for (int i = 1; okm.size() < length; i++) {
            previous = hmac(prk, concat(previous, info, new byte[] {(byte) i}));
            okm.writeBytes(previous);
        }
        return Arrays.copyOf(okm.toByteArray(), length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
