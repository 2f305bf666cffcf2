package dev.protokit.common.struct;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The values unpacked from one struct, in format order: Python's tuple. An unmodifiable list
 * with typed accessors, so {@code Struct.compile("!HH").unpack(b).intAt(0)} reads as it would
 * in Python. Equality is by value, {@code byte[]} elements included (as Python compares bytes),
 * which is the one place it departs from {@link List#equals}; the {@code byte[]} elements are
 * fresh arrays that only this tuple refers to.
 */
public final class StructTuple extends AbstractList<Object> implements RandomAccess {

    private final Object[] values;

    StructTuple(Object[] values) {
        this.values = values;
    }

    @Override
    public Object get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    /** Integer value {@code index} as a long; an unsigned 64-bit value of 2**63 or more wraps, as in Java. */
    public long longAt(int index) {
        return as(index, Number.class, "an integer").longValue();
    }

    /** Integer value {@code index}, which must fit an int (true of every code narrower than 4 unsigned bytes). */
    public int intAt(int index) {
        Number n = as(index, Number.class, "an integer");
        if (n instanceof BigInteger || n.longValue() != (int) n.longValue()) {
            throw new ArithmeticException("value " + index + " (" + n + ") does not fit an int");
        }
        return (int) n.longValue();
    }

    /** Integer value {@code index} exactly, whatever its size. */
    public BigInteger bigIntegerAt(int index) {
        Number n = as(index, Number.class, "an integer");
        return n instanceof BigInteger big ? big : BigInteger.valueOf(n.longValue());
    }

    /** Float value {@code index} ({@code e}, {@code f} or {@code d}). */
    public double doubleAt(int index) {
        return as(index, Double.class, "a float");
    }

    /** Boolean value {@code index} ({@code ?}). */
    public boolean booleanAt(int index) {
        return as(index, Boolean.class, "a bool");
    }

    /** Bytes value {@code index} ({@code c}, {@code s} or {@code p}); the tuple's own array. */
    public byte[] bytesAt(int index) {
        return as(index, byte[].class, "bytes");
    }

    private <T> T as(int index, Class<T> type, String what) {
        Object value = values[index];
        if (!type.isInstance(value)) {
            throw new ClassCastException("value " + index + " is " + describe(value) + ", not " + what);
        }
        return type.cast(value);
    }

    private static String describe(Object value) {
        return value instanceof byte[] ? "bytes" : value.getClass().getSimpleName();
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof List<?> list) || list.size() != values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!Objects.deepEquals(values[i], list.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    /** Python's tuple notation, bytes as {@code b'..'}: {@code (1, b'ab\x00', True, 1.5)}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            switch (values[i]) {
                case byte[] bytes -> appendBytes(out, bytes);
                case Boolean b -> out.append(b ? "True" : "False");
                default -> out.append(values[i]);
            }
        }
        return out.append(values.length == 1 ? ",)" : ")").toString();
    }

    /** Python's bytes repr: single quotes unless the bytes hold ' and no ". */
    private static void appendBytes(StringBuilder out, byte[] bytes) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte b : bytes) {
            hasSingle |= b == '\'';
            hasDouble |= b == '"';
        }
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        out.append('b').append(quote);
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'', '"' -> out.append(c == quote ? "\\" : "").append((char) c);
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : "\\x%02x".formatted(c));
            }
        }
        out.append(quote);
    }
}
