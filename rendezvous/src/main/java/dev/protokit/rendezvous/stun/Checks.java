package dev.protokit.rendezvous.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The range checks of the attribute records, failing with BAD_REQUEST and the value in hex. */
final class Checks {
    private Checks() {}

    static InetSocketAddress resolved(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        return address;
    }

    static void text(String text, int maxBytes, String what) {
        Objects.requireNonNull(text, what);
        int length = text.getBytes(StandardCharsets.UTF_8).length;
        if (length > maxBytes) {
            throw StunException.badRequest(what + " length " + String.format("0x%04x", length));
        }
    }

    static void u8(int value, String what) {
        range(value, 0xff, what);
    }

    static void u16(int value, String what) {
        range(value, 0xffff, what);
    }

    static void u32(long value, String what) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw StunException.badRequest(what + " " + String.format("0x%04x", value));
        }
    }

    static void multipleOf4(int length, String what) {
        if (length % 4 != 0) {
            throw StunException.badRequest(what + " length " + String.format("0x%04x", length));
        }
    }

    private static void range(int value, int max, String what) {
        if (value < 0 || value > max) {
            throw StunException.badRequest(what + " " + String.format("0x%04x", value & 0xffffffffL));
        }
    }
}
