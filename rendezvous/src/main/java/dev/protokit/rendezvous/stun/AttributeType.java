package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;
import java.util.Optional;

/**
 * The STUN attribute types this codec decodes into typed values (RFC 8489, 5780, 8656, the
 * ICE attributes of RFC 8445 and the two RFC 3489 addresses that RFC 5780 renamed), with their 16-bit wire values. Types 0x0000-0x7fff are
 * comprehension-required: a request carrying one the server does not know gets a 420 error;
 * 0x8000-0xffff are comprehension-optional and may be ignored. Any other type decodes to
 * {@link StunAttribute.Unknown}, kept raw.
 */
public enum AttributeType {
    MAPPED_ADDRESS(0x0001),
    CHANGE_REQUEST(0x0003),
    /** RFC 3489's name for what RFC 5780 calls RESPONSE-ORIGIN; sent only to RFC 3489 clients. */
    SOURCE_ADDRESS(0x0004),
    /** RFC 3489's name for what RFC 5780 calls OTHER-ADDRESS; sent only to RFC 3489 clients. */
    CHANGED_ADDRESS(0x0005),
    USERNAME(0x0006),
    MESSAGE_INTEGRITY(0x0008),
    ERROR_CODE(0x0009),
    UNKNOWN_ATTRIBUTES(0x000a),
    CHANNEL_NUMBER(0x000c),
    LIFETIME(0x000d),
    XOR_PEER_ADDRESS(0x0012),
    DATA(0x0013),
    REALM(0x0014),
    NONCE(0x0015),
    XOR_RELAYED_ADDRESS(0x0016),
    REQUESTED_ADDRESS_FAMILY(0x0017),
    EVEN_PORT(0x0018),
    REQUESTED_TRANSPORT(0x0019),
    DONT_FRAGMENT(0x001a),
    MESSAGE_INTEGRITY_SHA256(0x001c),
    XOR_MAPPED_ADDRESS(0x0020),
    RESERVATION_TOKEN(0x0022),
    PRIORITY(0x0024),
    USE_CANDIDATE(0x0025),
    PADDING(0x0026),
    RESPONSE_PORT(0x0027),
    ADDITIONAL_ADDRESS_FAMILY(0x8000),
    ICMP(0x8004),
    SOFTWARE(0x8022),
    ALTERNATE_SERVER(0x8023),
    FINGERPRINT(0x8028),
    ICE_CONTROLLED(0x8029),
    ICE_CONTROLLING(0x802a),
    RESPONSE_ORIGIN(0x802b),
    OTHER_ADDRESS(0x802c);

    private static final WireIndex<AttributeType> INDEX = WireIndex.of(values(), AttributeType::wireValue);

    private final int wireValue;

    AttributeType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 16-bit type on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** Whether a receiver must understand this type (RFC 8489 section 14). */
    public boolean comprehensionRequired() {
        return isComprehensionRequired(wireValue);
    }

    /** Whether wire type {@code type} is in the comprehension-required range 0x0000-0x7fff. */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** The name as the RFCs write it, {@code XOR-MAPPED-ADDRESS}. */
    public String rfcName() {
        return name().replace('_', '-');
    }

    /** The known type with this wire value, if any. */
    public static Optional<AttributeType> find(int wire) {
        return INDEX.find(wire);
    }
}
