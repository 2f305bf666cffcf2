package dev.protokit.ftp.server.users;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id password hash in the PHC string format, the form libargon2, argon2-cffi and
 * {@code argon2(1)} read and write, so a hash made here verifies elsewhere and vice versa.
 *
 * <pre>
 *  $argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$3q2+7w...32 bytes...
 *   |         |    |       |   |   |                    |
 *   |         |    |       |   |   salt: B64, no padding hash: B64, no padding
 *   |         |    |       |   parallelism (lanes)
 *   |         |    |       iterations (passes)
 *   |         |    memory in KiB
 *   |         version 0x13 (19), the only one accepted
 *   algorithm: argon2id only
 * </pre>
 *
 * <p>Costs are bounded on parse so a tampered users file cannot make one login allocate
 * gigabytes or spin for minutes.
 */
public record PhcHash(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
    /** Argon2 version 1.3, written {@code v=19}. */
    public static final int VERSION = 0x13;
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;
    static final int MIN_SALT = 8;
    static final int MIN_HASH = 16;
    static final int MAX_BYTES = 64;

    private static final Pattern FORMAT = Pattern.compile(
            "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    public PhcHash {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("argon2id parallelism p=" + parallelism + " outside 1.." + MAX_PARALLELISM);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("argon2id iterations t=" + iterations + " outside 1.." + MAX_ITERATIONS);
        }
        // RFC 9106 section 3.1: memory size m MUST be at least 8*p KiB.
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("argon2id memory m=" + memoryKiB + " outside " + 8 * parallelism + ".." + MAX_MEMORY_KIB);
        }
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        if (salt.length < MIN_SALT || salt.length > MAX_BYTES) {
            throw new IllegalArgumentException("argon2id salt of " + salt.length + " bytes outside " + MIN_SALT + ".." + MAX_BYTES);
        }
        if (hash.length < MIN_HASH || hash.length > MAX_BYTES) {
            throw new IllegalArgumentException("argon2id hash of " + hash.length + " bytes outside " + MIN_HASH + ".." + MAX_BYTES);
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Parses a PHC string; throws {@link IllegalArgumentException} naming what is wrong. */
    public static PhcHash parse(String phc) {
        Objects.requireNonNull(phc, "phc");
        Matcher m = FORMAT.matcher(phc);
        if (!m.matches()) {
            String head = phc.length() > 12 ? phc.substring(0, 12) + "..." : phc;
            throw new IllegalArgumentException("not an argon2id PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash): " + head);
        }
        int version = Integer.parseInt(m.group(1));
        if (version != VERSION) {
            throw new IllegalArgumentException("argon2id version v=" + version + " unsupported; only v=19");
        }
        byte[] salt;
        byte[] hash;
        try {
            salt = DECODER.decode(m.group(5));
            hash = DECODER.decode(m.group(6));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argon2id PHC string has bad base64: " + e.getMessage(), e);
        }
        return new PhcHash(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), salt, hash);
    }

    /** The PHC string; salt and hash in standard base64 without padding. */
    public String format() {
        return "$argon2id$v=" + VERSION + "$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The hash length in bytes, without copying it. */
    int hashLength() {
        return hash.length;
    }

    /** True if {@code candidate} equals the stored hash, in time independent of where they differ. */
    boolean matches(byte[] candidate) {
        return java.security.MessageDigest.isEqual(hash, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhcHash p && p.memoryKiB == memoryKiB && p.iterations == iterations
                && p.parallelism == parallelism && Arrays.equals(p.salt, salt) && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memoryKiB, iterations, parallelism, Arrays.hashCode(salt), Arrays.hashCode(hash));
    }

    /** Shows the costs and the salt, never the hash. */
    @Override
    public String toString() {
        return "PhcHash[argon2id m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + " salt=" + HexFormat.of().formatHex(salt) + "]";
    }
}
