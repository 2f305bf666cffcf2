package dev.protokit.rendezvous.stun;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A STUN message as a value: method, class, transaction id and attributes in wire order. The
 * peer's address travels beside it, never inside it. Decoded messages keep MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT in the list; to send, leave them out and let
 * {@link StunCodec#encode(StunMessage, Seal, java.nio.ByteBuffer)} compute them.
 *
 * @param method        what is asked
 * @param messageClass  request, indication, success or error response
 * @param transactionId the 96-bit id a response echoes
 * @param attributes    the attributes, in order
 */
public record StunMessage(StunMethod method, StunClass messageClass, TransactionId transactionId,
                          List<StunAttribute> attributes) {
    /** Requires every part; copies the list. */
    public StunMessage {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(transactionId, "transactionId");
        attributes = List.copyOf(attributes);
    }

    /** A message with the given attributes. */
    public static StunMessage of(StunMethod method, StunClass messageClass, TransactionId id, StunAttribute... attributes) {
        return new StunMessage(method, messageClass, id, List.of(attributes));
    }

    /** A success response to this request, with {@code attributes}. */
    public StunMessage success(StunAttribute... attributes) {
        return of(method, StunClass.SUCCESS_RESPONSE, transactionId, attributes);
    }

    /** An error response to this request: ERROR-CODE first, then {@code more}. */
    public StunMessage error(StunAttribute.ErrorCode code, StunAttribute... more) {
        var list = new ArrayList<StunAttribute>(more.length + 1);
        list.add(code);
        list.addAll(List.of(more));
        return new StunMessage(method, StunClass.ERROR_RESPONSE, transactionId, list);
    }

    /** The first attribute of this record type, if any (RFC 8489: later duplicates are ignored). */
    public <T extends StunAttribute> Optional<T> attribute(Class<T> type) {
        for (StunAttribute a : attributes) {
            if (type.isInstance(a)) {
                return Optional.of(type.cast(a));
            }
        }
        return Optional.empty();
    }

    /** Whether an attribute of this record type is present. */
    public boolean has(Class<? extends StunAttribute> type) {
        return attribute(type).isPresent();
    }

    /**
     * The comprehension-required types among the {@link StunAttribute.Unknown} attributes, in
     * order without repeats: what a 420 response lists in UNKNOWN-ATTRIBUTES.
     */
    public List<Integer> unknownComprehensionRequired() {
        var out = new ArrayList<Integer>();
        for (StunAttribute a : attributes) {
            if (a instanceof StunAttribute.Unknown u && AttributeType.isComprehensionRequired(u.wireType())
                    && !out.contains(u.wireType())) {
                out.add(u.wireType());
            }
        }
        return List.copyOf(out);
    }
}
