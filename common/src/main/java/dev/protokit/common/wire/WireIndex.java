package dev.protokit.common.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The lookup from wire value to constant for an enum whose wire values are sparse (STUN
 * attribute types run from 0x0001 to 0x802c), built once and refusing duplicate values at
 * class load, so two constants can never claim the same code.
 *
 * @param <E> the enum
 */
public final class WireIndex<E extends Enum<E>> {
    private final Map<Integer, E> byWire;

    private WireIndex(Map<Integer, E> byWire) {
        this.byWire = byWire;
    }

    /**
     * Indexes {@code constants} by {@code wire}.
     *
     * @throws ExceptionInInitializerError if two constants share a wire value (a programming
     *     error, reported while the enum class initialises)
     */
    public static <E extends Enum<E>> WireIndex<E> of(E[] constants, ToIntFunction<E> wire) {
        var map = new HashMap<Integer, E>();
        for (E constant : constants) {
            E previous = map.put(wire.applyAsInt(constant), Objects.requireNonNull(constant));
            if (previous != null) {
                throw new ExceptionInInitializerError("duplicate wire value " + wire.applyAsInt(constant)
                        + " for " + previous + " and " + constant);
            }
        }
        return new WireIndex<>(Map.copyOf(map));
    }

    /** The constant with wire value {@code value}, if any. */
    public Optional<E> find(int value) {
        return Optional.ofNullable(byWire.get(value));
    }

    /** A value as {@code 0x0009} (four hex digits, more when wider), for error messages. */
    public static String hex16(long value) {
        return String.format("0x%04x", value);
    }
}
