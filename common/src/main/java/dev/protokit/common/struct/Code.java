package dev.protokit.common.struct;

import java.util.Optional;

/**
 * The format characters of Python's {@code struct} module, each carrying its character, how a
 * value of it is converted, and its sizes. Native sizes and alignments are those of CPython on
 * an LP64 platform (x86_64 and aarch64 Linux): {@code long}, {@code size_t} and pointers are
 * 8 bytes. Codes without a standard size ({@code n N P}) exist only in native ({@code @}) mode.
 */
enum Code {
    PAD('x', Kind.PAD, false, 1, 1, 1),
    CHAR('c', Kind.CHAR, false, 1, 1, 1),
    BYTE('b', Kind.INT, true, 1, 1, 1),
    UBYTE('B', Kind.INT, false, 1, 1, 1),
    BOOL('?', Kind.BOOL, false, 1, 1, 1),
    SHORT('h', Kind.INT, true, 2, 2, 2),
    USHORT('H', Kind.INT, false, 2, 2, 2),
    INT('i', Kind.INT, true, 4, 4, 4),
    UINT('I', Kind.INT, false, 4, 4, 4),
    LONG('l', Kind.INT, true, 4, 8, 8),
    ULONG('L', Kind.INT, false, 4, 8, 8),
    LONG_LONG('q', Kind.INT, true, 8, 8, 8),
    ULONG_LONG('Q', Kind.INT, false, 8, 8, 8),
    SSIZE_T('n', Kind.INT, true, Code.NATIVE_ONLY, 8, 8),
    SIZE_T('N', Kind.INT, false, Code.NATIVE_ONLY, 8, 8),
    POINTER('P', Kind.INT, false, Code.NATIVE_ONLY, 8, 8),
    HALF('e', Kind.HALF, true, 2, 2, 2),
    FLOAT('f', Kind.FLOAT, true, 4, 4, 4),
    DOUBLE('d', Kind.DOUBLE, true, 8, 8, 8),
    STRING('s', Kind.STRING, false, 1, 1, 1),
    PASCAL('p', Kind.PASCAL, false, 1, 1, 1);

    /** How values of a code are converted; packers and unpackers switch over this. */
    enum Kind { PAD, CHAR, INT, BOOL, HALF, FLOAT, DOUBLE, STRING, PASCAL }

    /** Standard size of the codes that exist only in native mode. */
    private static final int NATIVE_ONLY = -1;

    private static final Code[] BY_CHAR = new Code[128];

    static {
        for (Code code : values()) {
            if (BY_CHAR[code.symbol] != null) {
                throw new ExceptionInInitializerError("duplicate struct code " + code.symbol);
            }
            BY_CHAR[code.symbol] = code;
        }
    }

    private final char symbol;
    private final Kind kind;
    private final boolean signed;
    private final int standardSize;
    private final int nativeSize;
    private final int nativeAlignment;

    Code(char symbol, Kind kind, boolean signed, int standardSize, int nativeSize, int nativeAlignment) {
        this.symbol = symbol;
        this.kind = kind;
        this.signed = signed;
        this.standardSize = standardSize;
        this.nativeSize = nativeSize;
        this.nativeAlignment = nativeAlignment;
    }

    /** The code for {@code c} in a format of the given byte order, if it has one there. */
    static Optional<Code> of(char c, Order order) {
        Code code = c < BY_CHAR.length ? BY_CHAR[c] : null;
        if (code == null || (!order.nativeSizes() && code.standardSize < 0)) {
            return Optional.empty();
        }
        return Optional.of(code);
    }

    char symbol() {
        return symbol;
    }

    Kind kind() {
        return kind;
    }

    /** True for signed integer codes (and the float codes, which carry a sign bit). */
    boolean signed() {
        return signed;
    }

    /** Bytes one item takes in the given mode. */
    int size(Order order) {
        return order.nativeSizes() ? nativeSize : standardSize;
    }

    /**
     * Alignment of one item in the given mode; 1 when nothing is aligned. Only native mode
     * aligns, and strings are never aligned (CPython's {@code align()} skips 's' and 'p').
     */
    int alignment(Order order) {
        return order.nativeSizes() ? nativeAlignment : 1;
    }

    /** True when a repeat count makes one item of many bytes ({@code 10s}) rather than many items. */
    boolean isByteString() {
        return kind == Kind.STRING || kind == Kind.PASCAL;
    }

    /** True when the native and standard sizes agree, so CPython may use its native routine. */
    boolean standardSizeIsNative() {
        return standardSize == nativeSize;
    }
}
