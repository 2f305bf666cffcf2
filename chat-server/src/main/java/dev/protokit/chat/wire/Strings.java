package dev.protokit.chat.wire;

import java.nio.charset.StandardCharsets;

/**
 * The checks every text field of the protocol passes, shared by the records' constructors so a
 * message that breaks one cannot exist: no control characters (C0, DEL, C1), no unpaired
 * surrogates (a JSON escape can make one), and a length limit. Messages name the message type,
 * the field and the bad value in hex: {@code MALFORMED say: text has control character 0x07 at 3}.
 */
final class Strings {
    private Strings() {
    }

    /** A room or account name: 1 to {@link WireLimits#MAX_NAME_CHARS}, no controls, no blanks. */
    static String name(String type, String field, String value) {
        requirePresent(type, field, value);
        if (value.isEmpty() || value.length() > WireLimits.MAX_NAME_CHARS) {
            throw new ChatWireException(ErrorCode.BAD_NAME, type + ": " + field + " length "
                    + hex(value.length()) + " is not 0x0001.." + hex(WireLimits.MAX_NAME_CHARS));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || Character.isWhitespace(c) || isControl(c)) {
                throw new ChatWireException(ErrorCode.BAD_NAME, type + ": " + field + " has character "
                        + hex(c) + " at " + i);
            }
        }
        return checkSurrogates(type, field, value);
    }

    /** Free text of at most {@code maxBytes} UTF-8 bytes, without control characters. */
    static String text(String type, String field, String value, int maxBytes) {
        requirePresent(type, field, value);
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i))) {
                throw new ChatWireException(ErrorCode.MALFORMED, type + ": " + field + " has control character "
                        + hex(value.charAt(i)) + " at " + i);
            }
        }
        checkSurrogates(type, field, value);
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new ChatWireException(ErrorCode.TOO_LARGE, type + ": " + field + " length " + hex(bytes)
                    + " exceeds " + hex(maxBytes) + " bytes");
        }
        return value;
    }

    /** Text that must also not be empty. */
    static String nonEmptyText(String type, String field, String value, int maxBytes) {
        text(type, field, value, maxBytes);
        if (value.isEmpty()) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": " + field + " is empty");
        }
        return value;
    }

    /** A client correlation token: 1 to {@link WireLimits#MAX_REF_CHARS} printable ASCII. */
    static String ref(String type, String value) {
        requirePresent(type, "ref", value);
        if (value.isEmpty() || value.length() > WireLimits.MAX_REF_CHARS) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": ref length " + hex(value.length())
                    + " is not 0x0001.." + hex(WireLimits.MAX_REF_CHARS));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new ChatWireException(ErrorCode.MALFORMED, type + ": ref has character " + hex(c) + " at " + i);
            }
        }
        return value;
    }

    /** The largest message id: 2^53 - 1, so that every JSON implementation holds it exactly. */
    static final long MAX_ID = (1L << 53) - 1;

    /** A server message id: 1 to {@link #MAX_ID}. */
    static long id(String type, String field, long value) {
        if (value < 1 || value > MAX_ID) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": " + field + " 0x" + Long.toHexString(value)
                    + " is not 0x1..0x" + Long.toHexString(MAX_ID));
        }
        return value;
    }

    /** C0 controls, DEL and C1 controls: nothing a peer may smuggle into another's terminal. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** A value as the error messages show it: {@code 0x0007}. */
    static String hex(int value) {
        return String.format("0x%04x", value);
    }

    private static String checkSurrogates(String type, String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ChatWireException(ErrorCode.MALFORMED, type + ": " + field + " has unpaired surrogate "
                        + hex(c) + " at " + i);
            }
        }
        return value;
    }

    private static void requirePresent(String type, String field, String value) {
        if (value == null) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": field " + field + " missing");
        }
    }
}
