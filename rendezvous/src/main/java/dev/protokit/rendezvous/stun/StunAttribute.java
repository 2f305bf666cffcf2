package dev.protokit.rendezvous.stun;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One STUN attribute as a value. {@link AttributeCodec} turns each into its TLV and back; a type
 * this codec does not know is kept raw as {@link Unknown}. The records check the limits of the
 * RFCs in their constructors, so an encoder can never put an invalid value on the wire.
 */
public sealed interface StunAttribute {
    /** The wire type of this attribute. */
    int wireType();

    /** An attribute whose value is a transport address (plain or XOR-ed with the magic cookie). */
    sealed interface AddressAttribute extends StunAttribute {
        /** The address and port. */
        InetSocketAddress address();
    }

    /** An attribute whose value is UTF-8 text of bounded length. */
    sealed interface TextAttribute extends StunAttribute {
        /** The text. */
        String text();
    }

    // --- addresses (RFC 8489 14.1/14.2/14.15, RFC 5780 7.3/7.4, RFC 8656 18.3/18.5) ---

    /** MAPPED-ADDRESS: the reflexive address, not XOR-ed (for RFC 3489 clients). */
    record MappedAddress(InetSocketAddress address) implements AddressAttribute {
        public MappedAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.MAPPED_ADDRESS.wireValue(); }
    }

    /** XOR-MAPPED-ADDRESS: the reflexive address the server saw. */
    record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {
        public XorMappedAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.XOR_MAPPED_ADDRESS.wireValue(); }
    }

    /** XOR-PEER-ADDRESS (TURN): a peer of the allocation. */
    record XorPeerAddress(InetSocketAddress address) implements AddressAttribute {
        public XorPeerAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.XOR_PEER_ADDRESS.wireValue(); }
    }

    /** XOR-RELAYED-ADDRESS (TURN): the allocation's relayed transport address. */
    record XorRelayedAddress(InetSocketAddress address) implements AddressAttribute {
        public XorRelayedAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.XOR_RELAYED_ADDRESS.wireValue(); }
    }

    /** ALTERNATE-SERVER: where to retry, with a 300 error. */
    record AlternateServer(InetSocketAddress address) implements AddressAttribute {
        public AlternateServer { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.ALTERNATE_SERVER.wireValue(); }
    }

    /** RESPONSE-ORIGIN (RFC 5780): the address the response was sent from. */
    record ResponseOrigin(InetSocketAddress address) implements AddressAttribute {
        public ResponseOrigin { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.RESPONSE_ORIGIN.wireValue(); }
    }

    /** OTHER-ADDRESS (RFC 5780): the server's alternate address and port. */
    record OtherAddress(InetSocketAddress address) implements AddressAttribute {
        public OtherAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.OTHER_ADDRESS.wireValue(); }
    }

    /** SOURCE-ADDRESS (RFC 3489 11.2.5): where the response was sent from, for RFC 3489 clients. */
    record SourceAddress(InetSocketAddress address) implements AddressAttribute {
        public SourceAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.SOURCE_ADDRESS.wireValue(); }
    }

    /** CHANGED-ADDRESS (RFC 3489 11.2.3): the server's other address and port, for RFC 3489 clients. */
    record ChangedAddress(InetSocketAddress address) implements AddressAttribute {
        public ChangedAddress { address = Checks.resolved(address); }
        public int wireType() { return AttributeType.CHANGED_ADDRESS.wireValue(); }
    }

    // --- text (RFC 8489 14.3/14.9/14.10/14.14) ---

    /** USERNAME: at most 513 bytes of UTF-8. */
    record Username(String text) implements TextAttribute {
        public Username { Checks.text(text, 513, "USERNAME"); }
        public int wireType() { return AttributeType.USERNAME.wireValue(); }
    }

    /** REALM: fewer than 128 characters (at most 763 bytes). */
    record Realm(String text) implements TextAttribute {
        public Realm { Checks.text(text, 763, "REALM"); }
        public int wireType() { return AttributeType.REALM.wireValue(); }
    }

    /** NONCE: fewer than 128 characters (at most 763 bytes). */
    record Nonce(String text) implements TextAttribute {
        public Nonce { Checks.text(text, 763, "NONCE"); }
        public int wireType() { return AttributeType.NONCE.wireValue(); }
    }

    /** SOFTWARE: fewer than 128 characters (at most 763 bytes). */
    record Software(String text) implements TextAttribute {
        public Software { Checks.text(text, 763, "SOFTWARE"); }
        public int wireType() { return AttributeType.SOFTWARE.wireValue(); }
    }

    // --- integrity (RFC 8489 14.5/14.6/14.7) ---

    /** MESSAGE-INTEGRITY: HMAC-SHA1, 20 bytes. */
    record MessageIntegrity(Bytes hmac) implements StunAttribute {
        public MessageIntegrity { Bytes.requireLength(hmac, 20, 20, "MESSAGE-INTEGRITY"); }
        public int wireType() { return AttributeType.MESSAGE_INTEGRITY.wireValue(); }
    }

    /** MESSAGE-INTEGRITY-SHA256: HMAC-SHA256, truncated to 16..32 bytes in steps of 4. */
    record MessageIntegritySha256(Bytes hmac) implements StunAttribute {
        public MessageIntegritySha256 {
            Bytes.requireLength(hmac, 16, 32, "MESSAGE-INTEGRITY-SHA256");
            Checks.multipleOf4(hmac.length(), "MESSAGE-INTEGRITY-SHA256");
        }
        public int wireType() { return AttributeType.MESSAGE_INTEGRITY_SHA256.wireValue(); }
    }

    /** FINGERPRINT: CRC-32 of the message before it, XOR 0x5354554e. */
    record Fingerprint(int crc) implements StunAttribute {
        public int wireType() { return AttributeType.FINGERPRINT.wireValue(); }
    }

    // --- errors (RFC 8489 14.8/14.9) ---

    /** ERROR-CODE: a code 300..699 and a reason phrase (at most 763 bytes). */
    record ErrorCode(int code, String reason) implements StunAttribute {
        public ErrorCode {
            if (code < 300 || code > 699) {
                throw StunException.badRequest("ERROR-CODE code " + String.format("0x%04x", code));
            }
            Checks.text(reason, 763, "ERROR-CODE reason");
        }
        /** The code with the RFC's reason phrase. */
        public static ErrorCode of(StunError error) { return new ErrorCode(error.code(), error.reason()); }
        public int wireType() { return AttributeType.ERROR_CODE.wireValue(); }
    }

    /** UNKNOWN-ATTRIBUTES: the comprehension-required types a 420 error refuses. */
    record UnknownAttributes(List<Integer> types) implements StunAttribute {
        public UnknownAttributes {
            types = List.copyOf(types);
            types.forEach(t -> Checks.u16(t, "UNKNOWN-ATTRIBUTES type"));
        }
        public int wireType() { return AttributeType.UNKNOWN_ATTRIBUTES.wireValue(); }
    }

    // --- TURN (RFC 8656 section 18) ---

    /** CHANNEL-NUMBER: a channel 0x4000..0x7fff (the range is checked by the server: 400). */
    record ChannelNumber(int channel) implements StunAttribute {
        public ChannelNumber { Checks.u16(channel, "CHANNEL-NUMBER"); }
        public int wireType() { return AttributeType.CHANNEL_NUMBER.wireValue(); }
    }

    /** LIFETIME: seconds until the allocation expires (0 deletes it in a Refresh). */
    record Lifetime(long seconds) implements StunAttribute {
        public Lifetime { Checks.u32(seconds, "LIFETIME"); }
        public int wireType() { return AttributeType.LIFETIME.wireValue(); }
    }

    /** DATA: the application data of a Send or Data indication. */
    record Data(Bytes value) implements StunAttribute {
        public Data { Objects.requireNonNull(value, "value"); }
        public int wireType() { return AttributeType.DATA.wireValue(); }
    }

    /** REQUESTED-ADDRESS-FAMILY: the family of the relayed address to allocate. */
    record RequestedAddressFamily(AddressFamily family) implements StunAttribute {
        public RequestedAddressFamily { Objects.requireNonNull(family, "family"); }
        public int wireType() { return AttributeType.REQUESTED_ADDRESS_FAMILY.wireValue(); }
    }

    /** ADDITIONAL-ADDRESS-FAMILY: also allocate an IPv6 relayed address (only IPv6 is valid). */
    record AdditionalAddressFamily(AddressFamily family) implements StunAttribute {
        public AdditionalAddressFamily { Objects.requireNonNull(family, "family"); }
        public int wireType() { return AttributeType.ADDITIONAL_ADDRESS_FAMILY.wireValue(); }
    }

    /** EVEN-PORT: allocate an even port, and with R set reserve the next one. */
    record EvenPort(boolean reserveNext) implements StunAttribute {
        public int wireType() { return AttributeType.EVEN_PORT.wireValue(); }
    }

    /** REQUESTED-TRANSPORT: the IP protocol number to relay (17, UDP). */
    record RequestedTransport(int protocol) implements StunAttribute {
        /** The protocol number of UDP. */
        public static final int UDP = 17;
        public RequestedTransport { Checks.u8(protocol, "REQUESTED-TRANSPORT"); }
        public int wireType() { return AttributeType.REQUESTED_TRANSPORT.wireValue(); }
    }

    /** DONT-FRAGMENT: set DF on the relayed datagrams; no value. */
    record DontFragment() implements StunAttribute {
        public int wireType() { return AttributeType.DONT_FRAGMENT.wireValue(); }
    }

    /** RESERVATION-TOKEN: 8 bytes naming a reserved relayed port. */
    record ReservationToken(Bytes token) implements StunAttribute {
        public ReservationToken { Bytes.requireLength(token, 8, 8, "RESERVATION-TOKEN"); }
        public int wireType() { return AttributeType.RESERVATION_TOKEN.wireValue(); }
    }

    /** ICMP: an ICMP error a peer's host sent about relayed data, in a Data indication. */
    record Icmp(int icmpType, int icmpCode, long errorData) implements StunAttribute {
        public Icmp {
            Checks.u8(icmpType, "ICMP type");
            Checks.u8(icmpCode, "ICMP code");
            Checks.u32(errorData, "ICMP error data");
        }
        public int wireType() { return AttributeType.ICMP.wireValue(); }
    }

    // --- NAT behaviour discovery (RFC 5780 7.2/7.5/7.6) ---

    /** CHANGE-REQUEST: answer from the other address and/or port. */
    record ChangeRequest(boolean changeIp, boolean changePort) implements StunAttribute {
        public int wireType() { return AttributeType.CHANGE_REQUEST.wireValue(); }
    }

    /** RESPONSE-PORT: send the response to this port of the source address. */
    record ResponsePort(int port) implements StunAttribute {
        public ResponsePort { Checks.u16(port, "RESPONSE-PORT"); }
        public int wireType() { return AttributeType.RESPONSE_PORT.wireValue(); }
    }

    /** PADDING: bytes of no meaning that pad a message (for MTU tests); kept as a length. */
    record Padding(int length) implements StunAttribute {
        public Padding { Checks.u16(length, "PADDING length"); }
        public int wireType() { return AttributeType.PADDING.wireValue(); }
    }

    // --- ICE (RFC 8445 7.1) ---

    /** PRIORITY: an ICE candidate priority. */
    record Priority(long priority) implements StunAttribute {
        public Priority { Checks.u32(priority, "PRIORITY"); }
        public int wireType() { return AttributeType.PRIORITY.wireValue(); }
    }

    /** USE-CANDIDATE: ICE nomination, no value. */
    record UseCandidate() implements StunAttribute {
        public int wireType() { return AttributeType.USE_CANDIDATE.wireValue(); }
    }

    /** ICE-CONTROLLED or ICE-CONTROLLING with its 64-bit tie-breaker. */
    record IceRole(boolean controlling, long tieBreaker) implements StunAttribute {
        public int wireType() {
            return (controlling ? AttributeType.ICE_CONTROLLING : AttributeType.ICE_CONTROLLED).wireValue();
        }
    }

    /** Any other attribute, kept as its type and raw value. */
    record Unknown(int wireType, Bytes value) implements StunAttribute {
        public Unknown {
            Checks.u16(wireType, "attribute type");
            Objects.requireNonNull(value, "value");
            if (AttributeType.find(wireType).isPresent()) {
                throw new IllegalArgumentException("type " + wireType + " is known; use its record");
            }
        }
    }

}
