package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;

/**
 * The STUN methods this server knows (RFC 8489 Binding; RFC 8656 TURN over UDP), each with
 * its 12-bit wire value.
 */
public enum StunMethod {
    /** Binding: the server answers with the address it saw (RFC 8489). */
    BINDING(0x001),
    /** Allocate a relayed transport address (RFC 8656 section 7). */
    ALLOCATE(0x003),
    /** Refresh or delete an allocation (RFC 8656 section 8). */
    REFRESH(0x004),
    /** Send indication: data from the client to a peer (RFC 8656 section 11). */
    SEND(0x006),
    /** Data indication: data from a peer to the client (RFC 8656 section 11). */
    DATA(0x007),
    /** Install or refresh permissions for peer addresses (RFC 8656 section 9). */
    CREATE_PERMISSION(0x008),
    /** Bind a channel number to a peer (RFC 8656 section 12). */
    CHANNEL_BIND(0x009);

    private static final WireIndex<StunMethod> INDEX = WireIndex.of(values(), StunMethod::wireValue);

    private final int wireValue;

    StunMethod(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 12-bit method number. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The method for a 12-bit number.
     *
     * @throws StunException BAD_REQUEST for a method no supported RFC defines
     */
    public static StunMethod fromWire(int value) {
        return INDEX.find(value).orElseThrow(() -> StunException.badRequest("method " + WireIndex.hex16(value)));
    }
}
