package dev.protokit.rendezvous.server;

import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.Rfc3489;
import dev.protokit.rendezvous.stun.StunAttribute.ChangeRequest;
import dev.protokit.rendezvous.stun.StunAttribute.ChangedAddress;
import dev.protokit.rendezvous.stun.StunAttribute.MappedAddress;
import dev.protokit.rendezvous.stun.StunAttribute.ErrorCode;
import dev.protokit.rendezvous.stun.StunAttribute.Fingerprint;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegrity;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegritySha256;
import dev.protokit.rendezvous.stun.StunAttribute.OtherAddress;
import dev.protokit.rendezvous.stun.StunAttribute.ResponseOrigin;
import dev.protokit.rendezvous.stun.StunAttribute.ResponsePort;
import dev.protokit.rendezvous.stun.StunAttribute.SourceAddress;
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
 * Answers STUN Binding requests (RFC 8489 section 6.3, RFC 5780 section 6): XOR-MAPPED-ADDRESS,
 * MAPPED-ADDRESS (RFC 8489 14.1 keeps it for backwards compatibility; clients such as nmap's
 * stun-info read only it, and coturn sends both by default) and FINGERPRINT; MESSAGE-INTEGRITY(-SHA256) when the request is signed with the configured
 * short-term credentials (401 when the signature is wrong); 420 with UNKNOWN-ATTRIBUTES for
 * unknown comprehension-required attributes; with an alternate address, OTHER-ADDRESS and
 * RESPONSE-ORIGIN, and CHANGE-REQUEST honoured. Pure: the caller sends the {@link Reply} from
 * the endpoint it names, to the request's source and nowhere else (so RESPONSE-PORT, which
 * would aim the answer at another port, is refused with 420). RFC 3489 clients get the answer
 * RFC 8489 section 11 describes ({@link #rfc3489Binding}).
 */
final class StunResponder {
    /** Short-term credentials: a user name and its key. */
    record ShortTerm(String username, IntegrityKey key) {
        ShortTerm {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * What an unauthenticated answer drops, in this order, after FINGERPRINT (when the request had
     * none) to stay within {@link Reply#ALLOWANCE}: the legacy MAPPED-ADDRESS first, then
     * RESPONSE-ORIGIN. A 20-byte request keeps all four of RFC 5780's attributes (section 6.1:
     * MAPPED-ADDRESS and XOR-MAPPED-ADDRESS MUST both be there) in 68 bytes over IPv4; IPv6 sheds.
     */
    private static final List<Class<? extends StunAttribute>> SHEDDABLE =
            List.of(MappedAddress.class, ResponseOrigin.class);

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
        boolean signed = request.has(MessageIntegrity.class) || request.has(MessageIntegritySha256.class);
        Seal seal = Seal.FINGERPRINT;
        if (signed) {
            // RFC 8489 9.1.3, in its order: no USERNAME 400, an unknown user or a wrong MAC 401;
            // none of these answers is signed.
            if (credentials.isEmpty() || !request.has(Username.class)) {
                return error(request, StunError.BAD_REQUEST, length, fingerprint);
            }
            ShortTerm st = credentials.get();
            boolean userOk = request.attribute(Username.class).map(u -> u.text().equals(st.username())).orElse(false);
            if (!userOk || StunIntegrity.verify(raw, st.key()) != Verification.VALID) {
                return error(request, StunError.UNAUTHENTICATED, length, fingerprint);
            }
            // Every other answer is signed, with MESSAGE-INTEGRITY-SHA256 if the request had it,
            // else MESSAGE-INTEGRITY: only one of them (9.1.3).
            boolean sha256 = request.has(MessageIntegritySha256.class);
            seal = Seal.integrity(st.key(), !sha256, sha256, true);
        }
        // RFC 8489 6.3: unknown attributes are looked for once the authentication checks are done,
        // so a 420 to a signed request is signed too (a client discards it otherwise, 9.1.4).
        List<Integer> unknown = new ArrayList<>(request.unknownComprehensionRequired());
        request.attribute(ResponsePort.class).ifPresent(p -> unknown.add(AttributeType.RESPONSE_PORT.wireValue()));
        Optional<ChangeRequest> change = request.attribute(ChangeRequest.class);
        if (change.isPresent() && !endpoints.discovery()) {
            unknown.add(AttributeType.CHANGE_REQUEST.wireValue());
        }
        if (!unknown.isEmpty()) {
            var list = new StunAttribute.UnknownAttributes(unknown);
            return signed
                    ? Optional.of(Reply.unbounded(request.error(ErrorCode.of(StunError.UNKNOWN_ATTRIBUTE), list), seal, Via.SAME))
                    : error(request, StunError.UNKNOWN_ATTRIBUTE, length, fingerprint, list);
        }
        Via via = change.map(c -> Via.of(c.changeIp(), c.changePort())).orElse(Via.SAME);
        var attributes = new ArrayList<StunAttribute>(4);
        attributes.add(new XorMappedAddress(from));
        attributes.add(new MappedAddress(from));
        endpoints.other(local).ifPresent(other -> {
            attributes.add(new OtherAddress(other));
            attributes.add(new ResponseOrigin(endpoints.answering(local, via)));
        });
        StunMessage response = request.success(attributes.toArray(StunAttribute[]::new));
        return signed ? Optional.of(Reply.unbounded(response, seal, via))
                : Reply.bounded(response, seal, length, fingerprint, SHEDDABLE, via);
    }

    /**
     * The answer to an RFC 3489 Binding request (no magic cookie), as RFC 8489 section 11 asks:
     * MAPPED-ADDRESS instead of XOR-MAPPED-ADDRESS, the client's cookie field copied back, and
     * with an alternate address the RFC 3489 names of RFC 5780's attributes (SOURCE-ADDRESS,
     * CHANGED-ADDRESS, which classic NAT type discovery needs) with CHANGE-REQUEST honoured.
     * RESPONSE-ADDRESS (it would aim the answer elsewhere) and CHANGE-REQUEST without an
     * alternate address get 420; a signed request gets 400 (RFC 3489's shared secrets over TLS
     * are not offered). Answers stay within {@link Reply#ALLOWANCE} of the request: at most 56
     * bytes over IPv4; over IPv6 the discovery addresses are left out when they would not fit.
     */
    Optional<Reply> rfc3489Binding(Rfc3489.Request classic, int requestLength, InetSocketAddress from,
                                   InetSocketAddress local) {
        StunMessage request = classic.message();
        List<Integer> unknown = new ArrayList<>(request.unknownComprehensionRequired());
        request.attribute(ResponsePort.class).ifPresent(p -> unknown.add(AttributeType.RESPONSE_PORT.wireValue()));
        Optional<ChangeRequest> change = request.attribute(ChangeRequest.class);
        if (change.isPresent() && !endpoints.discovery()) {
            unknown.add(AttributeType.CHANGE_REQUEST.wireValue());
        }
        StunMessage answer;
        Via via = Via.SAME;
        if (!unknown.isEmpty()) {
            if (unknown.size() % 2 == 1) {
                unknown.add(unknown.getLast()); // RFC 3489 11.2.10: an odd count repeats one
            }
            answer = request.error(ErrorCode.of(StunError.UNKNOWN_ATTRIBUTE),
                    new StunAttribute.UnknownAttributes(unknown.subList(0, Math.min(unknown.size(), 4))));
        } else if (request.has(MessageIntegrity.class) || request.has(MessageIntegritySha256.class)) {
            answer = request.error(ErrorCode.of(StunError.BAD_REQUEST));
        } else {
            via = change.map(c -> Via.of(c.changeIp(), c.changePort())).orElse(Via.SAME);
            var attributes = new ArrayList<StunAttribute>(3);
            attributes.add(new MappedAddress(from));
            Via sent = via;
            endpoints.other(local).ifPresent(other -> {
                attributes.add(new SourceAddress(endpoints.answering(local, sent)));
                attributes.add(new ChangedAddress(other));
            });
            answer = request.success(attributes.toArray(StunAttribute[]::new));
        }
        ByteBuffer encoded = Rfc3489.encode(answer, classic);
        if (encoded.remaining() > requestLength + Reply.ALLOWANCE) { // IPv6 with discovery: 92 bytes
            encoded = Rfc3489.encode(request.success(new MappedAddress(from)), classic);
        }
        return Optional.of(new Reply(encoded, via));
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
