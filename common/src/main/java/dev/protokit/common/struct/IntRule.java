package dev.protokit.common.struct;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How one integer field of a compiled format checks the value it is given, in two steps as
 * CPython does: first the value must fit the C type CPython converts it to (a failure there says
 * {@code domainMessage}), then it must fit the field ({@code rangeMessage}). Which C type and
 * which messages depend on the code and on whether CPython uses its native or its portable
 * routine for the byte order; {@link #of} reproduces CPython 3.11 on LP64 exactly.
 *
 * @param allowNegative whether the first step accepts -2**63..-1
 * @param allowHigh     whether the first step accepts 2**63..2**64-1 (carried as negative longs)
 * @param domainMessage the error when the first step fails
 * @param min           smallest value the field holds (compared unsigned when {@code unsigned})
 * @param max           largest value the field holds (compared unsigned when {@code unsigned})
 * @param unsigned      whether min and max compare as unsigned 64-bit numbers
 * @param rangeMessage  the error when the second step fails
 */
record IntRule(boolean allowNegative, boolean allowHigh, String domainMessage,
               long min, long max, boolean unsigned, String rangeMessage) {

    static final String NOT_AN_INTEGER = "required argument is not an integer";
    private static final String OUT_OF_RANGE = "argument out of range";
    static final String TOO_LARGE = "int too large to convert";

    /** The rule CPython applies to {@code code} (an integer code) in {@code order}. */
    static IntRule of(Code code, Order order) {
        return switch (code) {
            // Every table uses the native byte routines for 'b' and 'B'.
            case BYTE -> signedC(OUT_OF_RANGE, -128, 127, "byte format requires -128 <= number <= 127");
            case UBYTE -> signedC(OUT_OF_RANGE, 0, 255, "ubyte format requires 0 <= number <= 255");
            case SHORT -> order.packsNatively(code)
                    ? signedC(OUT_OF_RANGE, Short.MIN_VALUE, Short.MAX_VALUE,
                            "short format requires -32768 <= number <= 32767")
                    : portableSigned(code, order);
            case USHORT -> order.packsNatively(code)
                    ? signedC(OUT_OF_RANGE, 0, 65535, "ushort format requires 0 <= number <= 65535")
                    : portableUnsigned(code, order);
            case INT, LONG -> order.packsNatively(code) && code.size(order) == 8
                    ? signedC(OUT_OF_RANGE, Long.MIN_VALUE, Long.MAX_VALUE, "")
                    : portableSigned(code, order);
            case UINT, ULONG -> order.packsNatively(code) && code.size(order) == 8
                    ? unsignedC(OUT_OF_RANGE, -1L, "")
                    : portableUnsigned(code, order);
            case LONG_LONG, SSIZE_T -> signedC(order.packsNatively(code) ? OUT_OF_RANGE : TOO_LARGE,
                    Long.MIN_VALUE, Long.MAX_VALUE, "");
            case ULONG_LONG, SIZE_T -> unsignedC(order.packsNatively(code) ? OUT_OF_RANGE : TOO_LARGE, -1L, "");
            // PyLong_AsVoidPtr takes negative numbers as C long and others as unsigned long.
            case POINTER -> new IntRule(true, true, TOO_LARGE, Long.MIN_VALUE, Long.MAX_VALUE, false, "");
            case PAD, CHAR, BOOL, HALF, FLOAT, DOUBLE, STRING, PASCAL ->
                    throw new IllegalArgumentException("not an integer code: " + code.symbol());
        };
    }

    /** CPython's {@code _range_error} for a signed field: {@code 'h' format requires -32768 <= number <= 32767}. */
    private static IntRule portableSigned(Code code, Order order) {
        long max = Long.MAX_VALUE >>> (64 - 8 * code.size(order));
        String message = "'%c' format requires %d <= number <= %d".formatted(code.symbol(), -max - 1, max);
        return signedC(OUT_OF_RANGE, -max - 1, max, message);
    }

    /** CPython's {@code _range_error} for an unsigned field: {@code 'I' format requires 0 <= number <= 4294967295}. */
    private static IntRule portableUnsigned(Code code, Order order) {
        long max = -1L >>> (64 - 8 * code.size(order));
        String message = "'%c' format requires 0 <= number <= %s"
                .formatted(code.symbol(), Long.toUnsignedString(max));
        return unsignedC(OUT_OF_RANGE, max, message);
    }

    private static IntRule signedC(String domainMessage, long min, long max, String rangeMessage) {
        return new IntRule(true, false, domainMessage, min, max, false, rangeMessage);
    }

    private static IntRule unsignedC(String domainMessage, long max, String rangeMessage) {
        return new IntRule(false, true, domainMessage, 0, max, true, rangeMessage);
    }

    /**
     * The 64 bits to store for {@code value}, after both checks. Accepts what CPython's
     * {@code __index__} protocol accepts among Java types: the integral boxes, atomics,
     * {@link BigInteger} and {@link Boolean} (Python's bool is an int).
     */
    long bits(Object value) {
        long x;
        if (isSmallInteger(value)) {
            x = ((Number) value).longValue();
            if (x < 0 && !allowNegative) {
                throw new StructException(domainMessage);
            }
        } else if (value instanceof Boolean b) {
            x = b ? 1 : 0;
        } else if (value instanceof BigInteger big) {
            x = fromBig(big);
        } else {
            throw new StructException(NOT_AN_INTEGER);
        }
        boolean inRange = unsigned
                ? Long.compareUnsigned(x, min) >= 0 && Long.compareUnsigned(x, max) <= 0
                : x >= min && x <= max;
        if (!inRange) {
            throw new StructException(rangeMessage);
        }
        return x;
    }

    /** True for the Java types that stand for a Python int: integral boxes, atomics, BigInteger, Boolean. */
    static boolean isInteger(Object value) {
        return isSmallInteger(value) || value instanceof BigInteger || value instanceof Boolean;
    }

    private static boolean isSmallInteger(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof AtomicInteger || value instanceof AtomicLong;
    }

    private long fromBig(BigInteger big) {
        int bits = big.bitLength();
        boolean fits = bits <= 63
                ? big.signum() >= 0 || allowNegative
                : bits == 64 && big.signum() > 0 && allowHigh;
        if (!fits) {
            throw new StructException(domainMessage);
        }
        return big.longValue();
    }
}
