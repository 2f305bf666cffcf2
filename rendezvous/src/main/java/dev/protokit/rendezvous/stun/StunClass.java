package dev.protokit.rendezvous.stun;

/**
 * The four STUN message classes (RFC 8489 section 5), each with its two-bit wire value
 * (C1 C0), which the message type interleaves with the method bits.
 */
public enum StunClass {
    /** A request, answered by a success or error response. */
    REQUEST(0b00),
    /** An indication: no response (TURN Send and Data). */
    INDICATION(0b01),
    /** A success response. */
    SUCCESS_RESPONSE(0b10),
    /** An error response, carrying ERROR-CODE. */
    ERROR_RESPONSE(0b11);

    private static final StunClass[] BY_WIRE = {REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE};

    private final int wireValue;

    StunClass(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The two class bits C1 C0 as a number 0..3. */
    public int wireValue() {
        return wireValue;
    }

    /** The class for two bits; every value 0..3 names one, so this cannot fail. */
    public static StunClass fromWire(int twoBits) {
        return BY_WIRE[twoBits & 0b11];
    }

    /** Whether this is a response, success or error. */
    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }
}
