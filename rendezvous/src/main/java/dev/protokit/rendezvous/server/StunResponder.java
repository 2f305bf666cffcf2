package dev.protokit.rendezvous.server;

import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunAttribute.ChangeRequest;
import dev.protokit.rendezvous.stun.StunAttribute.ErrorCode;
import dev.protokit.rendezvous.stun.StunAttribute.Fingerprint;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegrity;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegritySha256;
import dev.protokit.rendezvous.stun.StunAttribute.OtherAddress;
import dev.protokit.rendezvous.stun.StunAttribute.ResponseOrigin;
import dev.protokit.rendezvous.stun.StunAttribute.ResponsePort;
import dev.protokit.rendezvous.stun.StunAttribute.Username;
import dev.protokit.rendezvous.stun.StunAttribute.XorMappedAddress;
import dev.protokit.rendezvous.stun.StunError;
import dev.protokit.rendezvous.stun.StunIntegrity;
import dev.protokit.rendezvous.stun.StunIntegrity.Verification;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.AttributeType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers STUN Binding requests (RFC 8489 section 6.3, RFC 5780 section 6): XOR-MAPPED-ADDRESS
 * and FINGERPRINT; MESSAGE-INTEGRITY(-SHA256) when the request is signed with the configured
 * short-term credentials (401 when the signature is wrong); 420 with UNKNOWN-ATTRIBUTES for
 * unknown comprehension-required attributes; with an alternate address, OTHER-ADDRESS and
 * RESPONSE-ORIGIN, and CHANGE-REQUEST honoured. Pure: the caller sends the {@link Reply} from
 * the endpoint it names, to the request's source and nowhere else (so RESPONSE-PORT, which
 * would aim the answer at another port, is refused with 420).
 */
final class StunResponder {
    /** Short-term credentials: a user name and its key. */
    record ShortTerm(String username, IntegrityKey key) {
        ShortTerm {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(key, "key");
        }
    }

    private static final List<Class<? extends StunAttribute>> SHEDDABLE = List.of(ResponseOrigin.class);

    private final Endpoints endpoints;
    private final Optional<ShortTerm> credentials;

    StunResponder(Endpoints endpoints, Optional<ShortTerm> credentials) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * The answer to a decoded Binding request that arrived on {@code local} from {@code from};
     * {@code raw} is the request's bytes (for the integrity check). Empty: drop it.
     */
    Optional<Reply> binding(StunMessage request, ByteBuffer raw, InetSocketAddress from, InetSocketAddress local) {
        int length = raw.remaining();
        boolean fingerprint = request.has(Fingerprint.class);
        List<Integer> unknown = new ArrayList<>(request.unknownComprehensionRequired());
        request.attribute(ResponsePort.class).ifPresent(p -> unknown.add(AttributeType.RESPONSE_PORT.wireValue()));
        Optional<ChangeRequest> change = request.attribute(ChangeRequest.class);
        if (change.isPresent() && !endpoints.discovery()) {
            unknown.add(AttributeType.CHANGE_REQUEST.wireValue());
        }
        if (!unknown.isEmpty()) {
            return error(request, StunError.UNKNOWN_ATTRIBUTE, length, fingerprint,
                    new StunAttribute.UnknownAttributes(unknown));
        }
        Seal seal = Seal.FINGERPRINT;
        boolean signed = request.has(MessageIntegrity.class) || request.has(MessageIntegritySha256.class);
        if (signed && credentials.isPresent()) {
            ShortTerm st = credentials.get();
            boolean userOk = request.attribute(Username.class).map(u -> u.text().equals(st.username())).orElse(false);
            if (!userOk || StunIntegrity.verify(raw, st.key()) != Verification.VALID) {
                return error(request, StunError.UNAUTHENTICATED, length, fingerprint);
            }
            // RFC 8489 9.1.3: the response is signed the way the request was.
            seal = Seal.integrity(st.key(), request.has(MessageIntegrity.class),
                    request.has(MessageIntegritySha256.class), true);
        } else if (signed) {
            return error(request, StunError.BAD_REQUEST, length, fingerprint);
        }
        Via via = change.map(c -> Via.of(c.changeIp(), c.changePort())).orElse(Via.SAME);
        var attributes = new ArrayList<StunAttribute>(3);
        attributes.add(new XorMappedAddress(from));
        endpoints.other(local).ifPresent(other -> {
            attributes.add(new OtherAddress(other));
            attributes.add(new ResponseOrigin(endpoints.answering(local, via)));
        });
        StunMessage response = request.success(attributes.toArray(StunAttribute[]::new));
        return signed ? Optional.of(Reply.unbounded(response, seal, via))
                : Reply.bounded(response, seal, length, fingerprint, SHEDDABLE, via);
    }

    /** An error response with {@code more} attributes, reason shed first if it does not fit. */
    static Optional<Reply> error(StunMessage request, StunError error, int requestLength, boolean fingerprint,
                                 StunAttribute... more) {
        StunMessage full = request.error(ErrorCode.of(error), more);
        int bound = requestLength + Reply.ALLOWANCE;
        if (dev.protokit.rendezvous.stun.StunCodec.encodedLength(full, Seal.FINGERPRINT) > bound) {
            full = request.error(new ErrorCode(error.code(), ""), more);
        }
        return Reply.bounded(full, Seal.FINGERPRINT, requestLength, fingerprint, List.of(), Via.SAME);
    }
}
