package dev.protokit.common.struct;

import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The byte order, size and alignment mode chosen by the first character of a format string.
 * Without one of these characters a format is {@link #NATIVE}, as in CPython.
 *
 * <pre>
 *   char  byte order   sizes     alignment
 *   @     native       native    native
 *   =     native       standard  none
 *   &lt;     little       standard  none
 *   &gt;     big          standard  none
 *   !     big          standard  none     (network order)
 * </pre>
 */
enum Order {
    NATIVE('@', ByteOrder.nativeOrder(), true),
    NATIVE_STANDARD('=', ByteOrder.nativeOrder(), false),
    LITTLE('<', ByteOrder.LITTLE_ENDIAN, false),
    BIG('>', ByteOrder.BIG_ENDIAN, false),
    NETWORK('!', ByteOrder.BIG_ENDIAN, false);

    private static final Order[] BY_CHAR = new Order[128];

    static {
        for (Order order : values()) {
            if (BY_CHAR[order.symbol] != null) {
                throw new ExceptionInInitializerError("duplicate byte order " + order.symbol);
            }
            BY_CHAR[order.symbol] = order;
        }
    }

    private final char symbol;
    private final ByteOrder byteOrder;
    private final boolean nativeSizes;

    Order(char symbol, ByteOrder byteOrder, boolean nativeSizes) {
        this.symbol = symbol;
        this.byteOrder = byteOrder;
        this.nativeSizes = nativeSizes;
    }

    /** The order selected by {@code c} when it starts a format, if it selects one. */
    static Optional<Order> of(char c) {
        return Optional.ofNullable(c < BY_CHAR.length ? BY_CHAR[c] : null);
    }

    char symbol() {
        return symbol;
    }

    ByteOrder byteOrder() {
        return byteOrder;
    }

    boolean bigEndian() {
        return byteOrder == ByteOrder.BIG_ENDIAN;
    }

    /** True for {@code @}: native sizes and native alignment. */
    boolean nativeSizes() {
        return nativeSizes;
    }

    /**
     * True when CPython packs {@code code} in this mode with its native routine, whose range
     * errors read differently ("short format requires ...") from the portable routine's
     * ("'h' format requires ..."). CPython's module init swaps the native routines into the
     * standard table of the platform's own byte order wherever the sizes agree, except for
     * '?', 'f' and 'd'; this reproduces that choice so the messages match.
     */
    boolean packsNatively(Code code) {
        return nativeSizes || (byteOrder == ByteOrder.nativeOrder() && code.standardSizeIsNative());
    }
}
