package dev.protokit.common.struct;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes values into a struct's bytes field by field, converting and checking each value as
 * CPython 3.11 does. The caller has checked the value count and the room in the buffer. Like
 * CPython, a failing value leaves the bytes before it written and the rest zeroed or untouched.
 */
final class Packer {

    private static final String NOT_A_FLOAT = "required argument is not a float";
    private static final String BAD_CHAR_VALUE = "char format requires a bytes object of length 1";
    private static final String FLOAT_TOO_LARGE = "float too large to pack with f format";

    private Packer() {
    }

    /** Packs {@code values} into {@code buffer} at {@code base}; zeroes pads first unless {@code zeroed}. */
    static void pack(Field[] fields, int structSize, ByteBuffer buffer, int base, Object[] values, boolean zeroed) {
        if (!zeroed) {
            Wire.zero(buffer, base, structSize);
        }
        int next = 0;
        for (Field field : fields) {
            for (int i = 0; i < field.count(); i++) {
                packOne(field, buffer, base + field.offsetOf(i), values[next++]);
            }
        }
    }

    private static void packOne(Field field, ByteBuffer buffer, int at, Object value) {
        boolean big = field.bigEndian();
        switch (field.code().kind()) {
            case INT -> Wire.put(buffer, at, field.size(), big, field.rule().bits(value));
            case BOOL -> buffer.put(at, (byte) (truthy(value) ? 1 : 0));
            case CHAR -> {
                if (!(value instanceof byte[] bytes) || bytes.length != 1) {
                    throw new StructException(BAD_CHAR_VALUE);
                }
                buffer.put(at, bytes[0]);
            }
            case HALF -> Wire.put(buffer, at, 2, big, toHalf(value));
            case FLOAT -> Wire.put(buffer, at, 4, big, Float.floatToRawIntBits(toFloat(value, field.checkFloat())));
            case DOUBLE -> Wire.put(buffer, at, 8, big, Double.doubleToRawLongBits(toDouble(value)));
            case STRING -> {
                byte[] bytes = bytes(value, 's');
                buffer.put(at, bytes, 0, Math.min(bytes.length, field.size()));
            }
            case PASCAL -> packPascal(buffer, at, field.size(), bytes(value, 'p'));
            case PAD -> throw new IllegalStateException("pad bytes make no field");
        }
    }

    /**
     * A length byte then up to {@code size - 1} bytes. The length byte says how many bytes were
     * stored, capped at 255 for longer fields; the rest stays zero. CPython writes the length
     * byte even for {@code 0p}, past the field's end; this writes nothing for an empty field.
     */
    private static void packPascal(ByteBuffer buffer, int at, int size, byte[] bytes) {
        if (size == 0) {
            return;
        }
        int n = Math.min(bytes.length, size - 1);
        buffer.put(at + 1, bytes, 0, n);
        buffer.put(at, (byte) Math.min(n, 255));
    }

    private static byte[] bytes(Object value, char code) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        throw new StructException("argument for '" + code + "' must be a bytes object");
    }

    private static short toHalf(Object value) {
        try {
            return HalfFloat.pack(toDouble(value));
        } catch (StructException e) {
            throw overflow(value, e);
        }
    }

    /** CPython's native 'f' is a plain C cast (overflow gives infinity); the portable one refuses. */
    private static float toFloat(Object value, boolean checkOverflow) {
        double x = toDouble(value);
        float y = (float) x;
        if (checkOverflow && Float.isInfinite(y) && !Double.isInfinite(x)) {
            throw overflow(value, new StructException(FLOAT_TOO_LARGE));
        }
        return y;
    }

    /**
     * CPython's pack loop rewords any OverflowError raised while packing a Python int as
     * "int too large to convert", so {@code pack('e', 2**53 + 1)} says that, not "float too large".
     */
    private static StructException overflow(Object value, StructException e) {
        return IntRule.isInteger(value) && !e.getMessage().equals(NOT_A_FLOAT)
                ? new StructException(IntRule.TOO_LARGE, e)
                : e;
    }

    /**
     * {@code PyFloat_AsDouble}: floats as they are, other numbers by their {@code doubleValue()},
     * booleans as 1.0 and 0.0. An integer too large for a double fails, as Python's int does.
     */
    static double toDouble(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            double x = n.doubleValue();
            if (Double.isInfinite(x) && value instanceof BigInteger) {
                throw new StructException(NOT_A_FLOAT);
            }
            return x;
        }
        throw new StructException(NOT_A_FLOAT);
    }

    /**
     * Python truthiness for '?': {@code null} (None), false, numeric zero (including -0.0 but
     * not NaN) and empty arrays, strings, collections, maps and Optionals are false; anything
     * else is true.
     */
    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Double d -> d != 0.0; // NaN is unequal to zero, hence true
            case Float f -> f != 0.0f;
            case BigInteger big -> big.signum() != 0;
            case Long l -> l != 0;
            case Integer i -> i != 0;
            case Short s -> s != 0;
            case Byte b -> b != 0;
            case AtomicInteger a -> a.get() != 0;
            case AtomicLong a -> a.get() != 0;
            case BigDecimal big -> big.signum() != 0;
            case byte[] bytes -> bytes.length != 0;
            case CharSequence s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Optional<?> o -> o.isPresent();
            case ByteBuffer b -> b.hasRemaining();
            default -> !value.getClass().isArray() || Array.getLength(value) != 0;
        };
    }
}
