package dev.protokit.rendezvous.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 9): for short-term
 * credentials the prepared password itself, for long-term credentials the hash of
 * {@code username ":" realm ":" password}. Holds its bytes privately; {@link #wipe()} zeroes them.
 * {@code toString} never shows them.
 */
public final class IntegrityKey {
    private final byte[] key;

    private IntegrityKey(byte[] key) {
        this.key = key;
    }

    /** Short-term credentials (RFC 8489 9.1.2): key = OpaqueString(password). */
    public static IntegrityKey shortTerm(String password) {
        return new IntegrityKey(SaslPrep.prepare(password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Long-term credentials (RFC 8489 9.2.2): key = H(username ":" OpaqueString(realm) ":"
     * OpaqueString(password)) with H = MD5 or SHA-256.
     */
    public static IntegrityKey longTerm(String username, String realm, String password, PasswordAlgorithm algorithm) {
        byte[] input = (username + ":" + SaslPrep.prepare(realm) + ":" + SaslPrep.prepare(password))
                .getBytes(StandardCharsets.UTF_8);
        try {
            return new IntegrityKey(MessageDigest.getInstance(algorithm.jcaName()).digest(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + algorithm.jcaName(), e);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    /** HMAC-SHA1 (MESSAGE-INTEGRITY) or HMAC-SHA256 of {@code data}'s remaining bytes. */
    byte[] hmac(boolean sha256, ByteBuffer... data) {
        String name = sha256 ? "HmacSHA256" : "HmacSHA1";
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            for (ByteBuffer d : data) {
                mac.update(d);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + name, e);
        }
    }

    /** Zeroes the key bytes; the key is unusable afterwards. */
    public void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "IntegrityKey[" + key.length + " bytes]";
    }
}
