package dev.protokit.tftp.wire;

import java.util.Objects;

/** Checks for the NUL-terminated strings of the wire: Java chars stand for single bytes. */
final class Strings {
    private Strings() {}

    /**
     * Requires a string that can be written as NUL-terminated ISO-8859-1 bytes.
     *
     * @throws TftpException ILLEGAL_OPERATION naming the field and the bad value in hex
     */
    static String requireWireString(String field, String value, boolean emptyAllowed) {
        Objects.requireNonNull(value, field);
        if (!emptyAllowed && value.isEmpty()) {
            throw new TftpException(ErrorCode.ILLEGAL_OPERATION, "ILLEGAL_OPERATION empty " + field);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                        "ILLEGAL_OPERATION " + field + " char " + WireTable.hex16(c) + " at " + i);
            }
        }
        return value;
    }
}
