package dev.protokit.common.struct;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute reads and writes of 1, 2, 4 and 8-byte values in either byte order, at any index of
 * any {@link ByteBuffer}, without touching the buffer's position or byte order (callers' buffers
 * are not ours to reconfigure) and without allocating.
 */
final class Wire {

    private static final VarHandle SHORT_BE = view(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE = view(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = view(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = view(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = view(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = view(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[] ZEROS = new byte[512];

    private Wire() {
    }

    private static VarHandle view(Class<?> arrayType, ByteOrder order) {
        return MethodHandles.byteBufferViewVarHandle(arrayType, order);
    }

    /** Writes the low {@code size} bytes of {@code bits} at {@code index}. */
    static void put(ByteBuffer buffer, int index, int size, boolean bigEndian, long bits) {
        switch (size) {
            case 1 -> buffer.put(index, (byte) bits);
            case 2 -> (bigEndian ? SHORT_BE : SHORT_LE).set(buffer, index, (short) bits);
            case 4 -> (bigEndian ? INT_BE : INT_LE).set(buffer, index, (int) bits);
            case 8 -> (bigEndian ? LONG_BE : LONG_LE).set(buffer, index, bits);
            default -> throw new IllegalArgumentException("no " + size + "-byte scalar");
        }
    }

    /** Reads {@code size} bytes at {@code index}, sign-extended when {@code signed}, else zero-extended. */
    static long get(ByteBuffer buffer, int index, int size, boolean bigEndian, boolean signed) {
        return switch (size) {
            case 1 -> signed ? buffer.get(index) : buffer.get(index) & 0xffL;
            case 2 -> {
                short s = (short) (bigEndian ? SHORT_BE : SHORT_LE).get(buffer, index);
                yield signed ? s : s & 0xffffL;
            }
            case 4 -> {
                int i = (int) (bigEndian ? INT_BE : INT_LE).get(buffer, index);
                yield signed ? i : i & 0xffff_ffffL;
            }
            case 8 -> (long) (bigEndian ? LONG_BE : LONG_LE).get(buffer, index);
            default -> throw new IllegalArgumentException("no " + size + "-byte scalar");
        };
    }

    /** Zeroes {@code length} bytes from {@code index}. */
    static void zero(ByteBuffer buffer, int index, int length) {
        while (length > 0) {
            int n = Math.min(length, ZEROS.length);
            buffer.put(index, ZEROS, 0, n);
            index += n;
            length -= n;
        }
    }
}
