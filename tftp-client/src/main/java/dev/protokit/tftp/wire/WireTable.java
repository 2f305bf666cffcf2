package dev.protokit.tftp.wire;

import java.util.function.ToIntFunction;

/** Builds the wire-value lookup tables of the wire enums, refusing duplicates at class load. */
final class WireTable {
    private WireTable() {}

    static <E extends Enum<E>> E[] build(E[] constants, ToIntFunction<E> wire, int size) {
        E[] table = java.util.Arrays.copyOf(constants, size);
        java.util.Arrays.fill(table, null);
        for (E constant : constants) {
            int value = wire.applyAsInt(constant);
            if (table[value] != null) {
                throw new ExceptionInInitializerError("duplicate wire value " + value + " for "
                        + table[value] + " and " + constant);
            }
            table[value] = constant;
        }
        return table;
    }

    /** A 16-bit value as {@code 0x0009}; wider values get more digits. */
    static String hex16(long value) {
        return String.format("0x%04x", value);
    }
}
