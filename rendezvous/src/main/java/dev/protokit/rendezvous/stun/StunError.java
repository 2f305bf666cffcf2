package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;
import java.util.Optional;

/**
 * The STUN and TURN error codes this server sends (RFC 8489 section 14.8, RFC 8656 section 19),
 * each with its wire value (class x 100 + number) and the reason phrase the RFC suggests.
 */
public enum StunError {
    /** Try the ALTERNATE-SERVER. */
    TRY_ALTERNATE(300, "Try Alternate"),
    /** Malformed request. */
    BAD_REQUEST(400, "Bad Request"),
    /** Missing or wrong credentials. */
    UNAUTHENTICATED(401, "Unauthenticated"),
    /** Not allowed (TURN: the peer address or permission is refused). */
    FORBIDDEN(403, "Forbidden"),
    /** A comprehension-required attribute the server does not understand. */
    UNKNOWN_ATTRIBUTE(420, "Unknown Attribute"),
    /** TURN: an Allocate for a 5-tuple that has one, or a request for one that has none. */
    ALLOCATION_MISMATCH(437, "Allocation Mismatch"),
    /** The NONCE is no longer valid. */
    STALE_NONCE(438, "Stale Nonce"),
    /** TURN: the requested address family is not supported. */
    ADDRESS_FAMILY_NOT_SUPPORTED(440, "Address Family not Supported"),
    /** TURN: credentials differ from those of the allocation. */
    WRONG_CREDENTIALS(441, "Wrong Credentials"),
    /** TURN: only UDP relaying is offered. */
    UNSUPPORTED_TRANSPORT_PROTOCOL(442, "Unsupported Transport Protocol"),
    /** TURN: the peer address family differs from the relayed address's. */
    PEER_ADDRESS_FAMILY_MISMATCH(443, "Peer Address Family Mismatch"),
    /** TURN: this user has as many allocations as allowed. */
    ALLOCATION_QUOTA_REACHED(486, "Allocation Quota Reached"),
    /** Temporary server failure. */
    SERVER_ERROR(500, "Server Error"),
    /** TURN: no relay ports or capacity left. */
    INSUFFICIENT_CAPACITY(508, "Insufficient Capacity");

    private static final WireIndex<StunError> INDEX = WireIndex.of(values(), StunError::code);

    private final int code;
    private final String reason;

    StunError(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The error code on the wire, 300..699. */
    public int code() {
        return code;
    }

    /** The reason phrase the RFC suggests. */
    public String reason() {
        return reason;
    }

    /** The constant for a code, if this server knows it (a client may receive others). */
    public static Optional<StunError> find(int code) {
        return INDEX.find(code);
    }
}
