package dev.protokit.rendezvous;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Annotated hex fixtures: on each line, hex digits (spaces allowed), then three spaces and a comment. */
public final class Fixtures {
    private Fixtures() {}

    /** The bytes of an annotated fixture. */
    public static ByteBuffer hex(String annotated) {
        var digits = new StringBuilder();
        for (String line : annotated.strip().split("\n")) {
            digits.append(line.strip().split("\\s{3,}")[0].replace(" ", ""));
        }
        return ByteBuffer.wrap(HexFormat.of().parseHex(digits));
    }
}
