package dev.protokit.rendezvous.stun;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address families of STUN address attributes (RFC 8489 section 14.1), with wire values. */
public enum AddressFamily {
    /** IPv4: a 4-byte address. */
    IPV4(0x01, 4),
    /** IPv6: a 16-byte address. */
    IPV6(0x02, 16);

    private final int wireValue;
    private final int addressLength;

    AddressFamily(int wireValue, int addressLength) {
        this.wireValue = wireValue;
        this.addressLength = addressLength;
    }

    /** The family byte on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** The bytes of an address of this family. */
    public int addressLength() {
        return addressLength;
    }

    /** The family of {@code address} (an IPv4-mapped IPv6 address is IPv4 to Java already). */
    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }

    /**
     * The family for a wire byte.
     *
     * @throws StunException BAD_REQUEST naming {@code what} and the value for anything else
     */
    public static AddressFamily fromWire(int value, String what) {
        return switch (value) {
            case 0x01 -> IPV4;
            case 0x02 -> IPV6;
            default -> throw StunException.badRequest(what + " family " + String.format("0x%04x", value));
        };
    }
}
