package dev.protokit.chat.wire;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Builds the lookup tables of the wire enums from their JSON strings, refusing duplicates at class load. */
final class WireTable {
    private WireTable() {
    }

    static <E extends Enum<E>> Map<String, E> build(E[] constants, Function<E, String> wire) {
        Map<String, E> table = new HashMap<>();
        for (E constant : constants) {
            E previous = table.put(wire.apply(constant), constant);
            if (previous != null) {
                throw new ExceptionInInitializerError("duplicate wire value " + wire.apply(constant) + " for "
                        + previous + " and " + constant);
            }
        }
        return Collections.unmodifiableMap(table);
    }
}
