package dev.protokit.common.auth;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An immutable 32-byte public value: a nonce or a MAC tag as it travels on the wire.
 * Never used for secrets (its {@code toString} prints the bytes).
 */
public record Bytes32(byte[] bytes) {
    /** Number of bytes held. */
    public static final int LENGTH = 32;

    /** Copies {@code bytes}, which must be exactly 32 bytes long. */
    public Bytes32 {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The standard base64 form with padding (RFC 4648 section 4), as sent in JSON. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes32 that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return base64();
    }
}
