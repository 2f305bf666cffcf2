package dev.protokit.rendezvous.stun;

import dev.protokit.rendezvous.stun.StunAttribute.XorMappedAddress;
import dev.protokit.rendezvous.stun.StunAttribute.XorPeerAddress;
import dev.protokit.rendezvous.stun.StunAttribute.XorRelayedAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Binding requests from RFC 3489 ("classic STUN") clients, which RFC 8489 section 11 (RFC 5389
 * section 12.2) lets a server answer: such a client has no magic cookie, its transaction id is
 * the whole 128 bits after the length. Pure.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      0x0001 (Binding Request) |         Message Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Transaction ID (128 bits): the first 32 are not 0x2112A442   |  = "cookie field"
 *  |                                                               |  + a 96-bit id
 *  |                                                               |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  attributes, as in RFC 8489 (RFC 3489 has no XOR-ed ones)  ....
 * </pre>
 *
 * <p>The answer copies the cookie field back, so the client finds its whole 128-bit id, and
 * carries no XOR-ed address (the client could not undo the XOR) and no FINGERPRINT (RFC 3489
 * has none): MAPPED-ADDRESS, and for NAT type discovery SOURCE-ADDRESS and CHANGED-ADDRESS.
 */
public final class Rfc3489 {
    private static final int BINDING_REQUEST = 0x0001;

    private Rfc3489() {}

    /**
     * A decoded RFC 3489 request.
     *
     * @param cookieField the first 32 bits of the client's 128-bit transaction id
     * @param message     the request, with the remaining 96 bits as its transaction id
     */
    public record Request(int cookieField, StunMessage message) {
        /** Requires the message. */
        public Request {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Whether the bytes between position and limit are an RFC 3489 Binding request: a header
     * of type 0x0001 whose length field covers exactly the rest, and no magic cookie. Does not
     * move the position.
     */
    public static boolean looksLikeBindingRequest(ByteBuffer datagram) {
        int p = datagram.position();
        int n = datagram.remaining();
        return n >= StunCodec.HEADER && Short.toUnsignedInt(datagram.getShort(p)) == BINDING_REQUEST
                && Short.toUnsignedInt(datagram.getShort(p + 2)) == n - StunCodec.HEADER
                && datagram.getInt(p + 4) != StunCodec.MAGIC_COOKIE;
    }

    /**
     * Decodes an RFC 3489 Binding request from position to limit (leaving the position at the
     * limit), with the checks of {@link StunCodec#decode}.
     *
     * @throws StunException BAD_REQUEST if it is not one
     */
    public static Request decode(ByteBuffer datagram) {
        if (!looksLikeBindingRequest(datagram)) {
            throw StunException.badRequest("not an RFC 3489 Binding request");
        }
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
        datagram.position(datagram.limit());
        int cookieField = copy.getInt(4);
        copy.putInt(4, StunCodec.MAGIC_COOKIE); // from here on it parses as an RFC 8489 message
        return new Request(cookieField, StunCodec.decode(copy));
    }

    /**
     * Encodes an answer to {@code request} with its cookie field put back, flipped for sending.
     *
     * @throws IllegalArgumentException if the answer holds an XOR-ed address
     */
    public static ByteBuffer encode(StunMessage answer, Request request) {
        for (StunAttribute a : answer.attributes()) {
            if (a instanceof XorMappedAddress || a instanceof XorPeerAddress || a instanceof XorRelayedAddress) {
                throw new IllegalArgumentException("an RFC 3489 client cannot read " + a.getClass().getSimpleName());
            }
        }
        ByteBuffer out = StunCodec.encode(answer, Seal.NONE);
        out.putInt(4, request.cookieField());
        return out;
    }
}
