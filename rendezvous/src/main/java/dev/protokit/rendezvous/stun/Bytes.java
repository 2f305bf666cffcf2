package dev.protokit.rendezvous.stun;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string with value equality and a bounded hex {@code toString}, so records
 * that hold raw wire bytes (a MAC, a token, an unknown attribute) stay values.
 */
public final class Bytes {
    private static final int SHOWN = 32;
    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Bytes of(byte... bytes) {
        return new Bytes(bytes.clone());
    }

    /** A copy of the remaining bytes of {@code buffer}; its position does not move. */
    public static Bytes of(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return new Bytes(copy);
    }

    /** From hex digits, for tests and fixtures. */
    public static Bytes ofHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** Byte {@code i}. */
    byte byteAt(int i) {
        return bytes[i];
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return bytes.clone();
    }

    /** A read-only view of the bytes. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Writes the bytes at the buffer's position. */
    public void putTo(ByteBuffer out) {
        out.put(bytes);
    }

    /** Equality in constant time, for MACs. */
    public boolean constantTimeEquals(Bytes other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        int n = Math.min(SHOWN, bytes.length);
        return HexFormat.of().formatHex(bytes, 0, n) + (n < bytes.length ? "...(" + bytes.length + ")" : "");
    }

    static Bytes requireLength(Bytes b, int min, int max, String what) {
        Objects.requireNonNull(b, what);
        if (b.length() < min || b.length() > max) {
            throw StunException.badRequest(what + " length " + String.format("0x%04x", b.length()));
        }
        return b;
    }
}
