package dev.protokit.common.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a format string into its layout once, with CPython 3.11's rules and error messages:
 * an optional byte order first, then codes each optionally preceded by a decimal repeat count,
 * with ASCII whitespace allowed between codes (but not between a count and its code).
 *
 * <pre>
 *   format := [order] { space | [count] code }
 *   order  := '@' | '=' | '&lt;' | '&gt;' | '!'
 *   count  := digit { digit }          (may be 0: "0s" is an empty string, "0i" aligns only)
 * </pre>
 *
 * Sizes are computed in 64 bits and overflow exactly where CPython's {@code Py_ssize_t}
 * would; a size that CPython accepts but that a Java array cannot hold (over 2**31-1 bytes)
 * fails afterwards with the same "total struct size too long".
 */
final class FormatParser {

    static final String BAD_CHAR = "bad char in struct format";
    static final String TOO_LONG = "total struct size too long";
    static final String COUNT_WITHOUT_CODE = "repeat count given without format specifier";

    /** The result of parsing: what {@link Struct} keeps. */
    record Layout(Order order, Field[] fields, int size, int itemCount) {
    }

    private FormatParser() {
    }

    static Layout parse(String format) {
        checkAscii(format);
        if (format.indexOf('\0') >= 0) {
            throw new StructException("embedded null character");
        }
        Optional<Order> explicit = format.isEmpty() ? Optional.empty() : Order.of(format.charAt(0));
        Order order = explicit.orElse(Order.NATIVE);
        int i = explicit.isPresent() ? 1 : 0;
        List<Field> fields = new ArrayList<>();
        long size = 0;
        long items = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (isSpace(c)) {
                continue;
            }
            long count = 1;
            if (isDigit(c)) {
                count = c - '0';
                while (i < format.length() && isDigit(format.charAt(i))) {
                    count = appendDigit(count, format.charAt(i++));
                }
                if (i == format.length()) {
                    throw new StructException(COUNT_WITHOUT_CODE);
                }
                c = format.charAt(i++);
            }
            Code code = Code.of(c, order).orElseThrow(() -> new StructException(BAD_CHAR));
            size = align(size, code.alignment(order));
            int itemSize = code.size(order);
            if (count > (Long.MAX_VALUE - size) / itemSize) {
                throw new StructException(TOO_LONG);
            }
            if (code.isByteString()) {
                fields.add(field(code, order, size, 1, count));
                items++;
            } else if (code != Code.PAD && count > 0) {
                fields.add(field(code, order, size, count, itemSize));
                items += count;
            }
            size += count * itemSize;
        }
        if (size > Integer.MAX_VALUE) {
            throw new StructException(TOO_LONG);
        }
        return new Layout(order, fields.toArray(Field[]::new), (int) size, (int) items);
    }

    private static Field field(Code code, Order order, long offset, long count, long size) {
        // Offsets and sizes beyond int fail the final size check before this field is used.
        IntRule rule = code.kind() == Code.Kind.INT ? IntRule.of(code, order) : null;
        return new Field(code, (int) Math.min(offset, Integer.MAX_VALUE), (int) Math.min(count, Integer.MAX_VALUE),
                (int) Math.min(size, Integer.MAX_VALUE), order.bigEndian(), !order.nativeSizes(), rule);
    }

    private static long appendDigit(long count, char digit) {
        if (count > (Long.MAX_VALUE - (digit - '0')) / 10) {
            throw new StructException(TOO_LONG);
        }
        return count * 10 + (digit - '0');
    }

    /** Rounds {@code size} up to a multiple of {@code alignment}, failing where CPython's would overflow. */
    private static long align(long size, int alignment) {
        long extra = Math.floorMod(-size, alignment);
        if (extra > Long.MAX_VALUE - size) {
            throw new StructException(TOO_LONG);
        }
        return size + extra;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** CPython's {@code Py_ISSPACE}: space, tab, LF, VT, FF, CR. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * CPython encodes a str format to ASCII first; reproduce its UnicodeEncodeError message,
     * which names the first run of non-ASCII code points.
     */
    private static void checkAscii(String format) {
        int start = 0;
        int at = 0;
        while (at < format.length() && format.charAt(at) < 128) {
            at++;
            start++;
        }
        if (at == format.length()) {
            return;
        }
        int first = format.codePointAt(at);
        int end = start;
        while (at < format.length() && format.codePointAt(at) >= 128) {
            at += Character.charCount(format.codePointAt(at));
            end++;
        }
        String what = end - start == 1
                ? "character '%s' in position %d".formatted(escape(first), start)
                : "characters in position %d-%d".formatted(start, end - 1);
        throw new StructException("'ascii' codec can't encode " + what + ": ordinal not in range(128)");
    }

    private static String escape(int codePoint) {
        if (codePoint <= 0xff) {
            return "\\x%02x".formatted(codePoint);
        }
        return codePoint <= 0xffff ? "\\u%04x".formatted(codePoint) : "\\U%08x".formatted(codePoint);
    }
}
