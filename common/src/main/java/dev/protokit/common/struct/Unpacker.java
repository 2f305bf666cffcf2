package dev.protokit.common.struct;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Reads a struct's values field by field into the Java types documented on {@link Struct}.
 * The caller has checked that the bytes are there.
 */
final class Unpacker {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private Unpacker() {
    }

    /** The values of the struct whose bytes start at {@code base}. */
    static StructTuple unpack(Field[] fields, int itemCount, ByteBuffer buffer, int base) {
        Object[] values = new Object[itemCount];
        int next = 0;
        for (Field field : fields) {
            for (int i = 0; i < field.count(); i++) {
                values[next++] = unpackOne(field, buffer, base + field.offsetOf(i));
            }
        }
        return new StructTuple(values);
    }

    private static Object unpackOne(Field field, ByteBuffer buffer, int at) {
        boolean big = field.bigEndian();
        return switch (field.code().kind()) {
            case INT -> integer(Wire.get(buffer, at, field.size(), big, field.code().signed()), field);
            case BOOL -> buffer.get(at) != 0;
            case CHAR -> new byte[] {buffer.get(at)};
            case HALF -> HalfFloat.unpack((int) Wire.get(buffer, at, 2, big, false));
            case FLOAT -> (double) Float.intBitsToFloat((int) Wire.get(buffer, at, 4, big, false));
            case DOUBLE -> Double.longBitsToDouble(Wire.get(buffer, at, 8, big, false));
            case STRING -> bytes(buffer, at, field.size());
            case PASCAL -> pascal(buffer, at, field.size());
            case PAD -> throw new IllegalStateException("pad bytes make no field");
        };
    }

    /** A Long, except an unsigned 8-byte value of 2**63 or more, which only a BigInteger holds. */
    private static Number integer(long bits, Field field) {
        if (bits < 0 && !field.code().signed()) {
            return BigInteger.valueOf(bits).add(TWO_TO_64);
        }
        return bits;
    }

    private static byte[] bytes(ByteBuffer buffer, int at, int length) {
        byte[] bytes = new byte[length];
        buffer.get(at, bytes);
        return bytes;
    }

    /**
     * The length byte says how many bytes follow, capped at the field's room ({@code size - 1}).
     * CPython fails on {@code 0p} with a SystemError ("Negative size passed to
     * PyBytes_FromStringAndSize") after reading a byte outside the field; an empty field here
     * is simply an empty string.
     */
    private static byte[] pascal(ByteBuffer buffer, int at, int size) {
        if (size == 0) {
            return new byte[0];
        }
        int n = Math.min(buffer.get(at) & 0xff, size - 1);
        return bytes(buffer, at + 1, n);
    }
}
