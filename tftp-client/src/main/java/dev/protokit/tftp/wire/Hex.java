package dev.protokit.tftp.wire;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Renders bad wire values in hex for exception messages, bounded so a hostile value stays short. */
final class Hex {
    private static final int MAX_BYTES = 32;

    private Hex() {}

    /** A string's ISO-8859-1 bytes as {@code 0x6d61696c}, cut after 32 bytes with "..."; "(empty)" for "". */
    static String ofString(String s) {
        if (s.isEmpty()) {
            return "(empty)";
        }
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        int n = Math.min(bytes.length, MAX_BYTES);
        String hex = HexFormat.of().formatHex(bytes, 0, n);
        return "0x" + hex + (bytes.length > n ? "..." : "");
    }
}
