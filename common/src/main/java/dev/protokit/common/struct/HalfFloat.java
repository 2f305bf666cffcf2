package dev.protokit.common.struct;

/**
 * IEEE 754 binary16, the {@code e} code, converted straight from and to {@code double} so that
 * rounding happens once (a detour through {@code float} would round twice and differ from
 * CPython on values just past a halfway point).
 *
 * <pre>
 *    15  14       10  9                 0
 *   +---+-----------+--------------------+
 *   | s | exponent  |      fraction      |   bias 15; exponent 0 = subnormal/zero,
 *   +---+-----------+--------------------+   exponent 31 = infinity (fraction 0) or NaN
 * </pre>
 *
 * Packing rounds half to even, as CPython's {@code PyFloat_Pack2}; a magnitude that rounds to
 * 65520 or more overflows. Every NaN packs to the quiet NaN {@code 0x7e00} with the NaN's
 * sign, and every NaN unpacks to Java's canonical NaN with the half's sign, as in CPython.
 */
final class HalfFloat {

    static final String TOO_LARGE = "float too large to pack with e format";

    private static final double NEGATIVE_NAN = Double.longBitsToDouble(0xfff8_0000_0000_0000L);

    private HalfFloat() {
    }

    /** The 16 bits of {@code x} rounded to half precision; throws when it overflows. */
    static short pack(double x) {
        int sign = (int) (Double.doubleToRawLongBits(x) >>> 63) << 15;
        if (Double.isNaN(x)) {
            return (short) (sign | 0x7e00);
        }
        double magnitude = Math.abs(x);
        if (magnitude == Double.POSITIVE_INFINITY) {
            return (short) (sign | 0x7c00);
        }
        int exponent = Math.getExponent(magnitude);
        if (magnitude == 0 || exponent < -25) {
            return (short) sign; // below half the smallest subnormal: rounds to (signed) zero
        }
        if (exponent >= 16) {
            throw new StructException(TOO_LARGE);
        }
        // Subnormal halves share exponent -14. Scaling by a power of two is exact here, so
        // the integer part is the significand (with its leading 1) and the rest decides rounding.
        int halfExponent = Math.max(exponent, -14);
        double scaled = Math.scalb(magnitude, 10 - halfExponent);
        int significand = (int) scaled;
        double rest = scaled - significand;
        if (rest > 0.5 || (rest == 0.5 && (significand & 1) == 1)) {
            significand++; // may carry into the exponent, which the addition below absorbs
        }
        int bits = ((halfExponent + 14) << 10) + significand;
        if (bits >= 0x7c00) {
            throw new StructException(TOO_LARGE);
        }
        return (short) (sign | bits);
    }

    /** The value of half-precision {@code bits} (low 16 bits used). */
    static double unpack(int bits) {
        boolean negative = (bits & 0x8000) != 0;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        double magnitude;
        if (exponent == 0x1f) {
            if (fraction != 0) {
                return negative ? NEGATIVE_NAN : Double.NaN;
            }
            magnitude = Double.POSITIVE_INFINITY;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) fraction, -24);
        } else {
            magnitude = Math.scalb((double) (fraction | 0x400), exponent - 25);
        }
        return negative ? -magnitude : magnitude;
    }
}
