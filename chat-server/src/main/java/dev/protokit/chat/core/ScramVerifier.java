package dev.protokit.chat.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps of an IRC SASL password: a SCRAM-SHA-256 verifier (RFC 5802 section 3,
 * RFC 7677), never the password. {@code SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, i)},
 * {@code StoredKey = H(HMAC(SaltedPassword, "Client Key"))},
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")}. The same verifier checks SASL PLAIN
 * (derive from the offered password and compare StoredKey) and SCRAM proofs.
 */
public record ScramVerifier(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    /** RFC 7677 section 4: at least 4096; higher costs every login more. */
    public static final int DEFAULT_ITERATIONS = 32_768;
    private static final int SALT_BYTES = 16;

    public ScramVerifier {
        if (iterations < 4096 || iterations > 10_000_000) {
            throw new IllegalArgumentException("SCRAM iterations must be 4096..10000000, got " + iterations);
        }
        if (salt.length < 8 || storedKey.length != 32 || serverKey.length != 32) {
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier needs a salt of 8+ bytes and 32-byte keys");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** A verifier for {@code password} with a fresh random salt. */
    public static ScramVerifier derive(char[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return derive(password, salt, DEFAULT_ITERATIONS);
    }

    /** The verifier for {@code password} with the given salt and iteration count. */
    public static ScramVerifier derive(char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        try {
            byte[] clientKey = hmac(salted, "Client Key");
            return new ScramVerifier(salt, iterations, sha256(clientKey), hmac(salted, "Server Key"));
        } finally {
            Arrays.fill(salted, (byte) 0);
        }
    }

    /** Whether {@code password} matches, for SASL PLAIN; constant-time on the key comparison. */
    public boolean matches(char[] password) {
        ScramVerifier other = derive(password, salt, iterations);
        return MessageDigest.isEqual(storedKey, other.storedKey);
    }

    /** PBKDF2-HMAC-SHA-256 of the UTF-8 password (RFC 5802 Hi()); the caller wipes the result. */
    public static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        Objects.requireNonNull(password, "password");
        // PBEKeySpec feeds the chars to HMAC as UTF-8 in the JDK's PBKDF2WithHmacSHA256.
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** HMAC-SHA-256 of the UTF-8 {@code text} under {@code key}. */
    public static byte[] hmac(byte[] key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA-256 of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier v && iterations == v.iterations && Arrays.equals(salt, v.salt)
                && MessageDigest.isEqual(storedKey, v.storedKey) && MessageDigest.isEqual(serverKey, v.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt) * 31 + iterations;
    }

    @Override
    public String toString() {
        return "ScramVerifier[iterations=" + iterations + ", keys=<redacted>]";
    }
}
