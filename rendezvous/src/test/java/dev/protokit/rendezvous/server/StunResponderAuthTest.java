package dev.protokit.rendezvous.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.stun.Bytes;
import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunAttribute.ErrorCode;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegrity;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegritySha256;
import dev.protokit.rendezvous.stun.StunAttribute.ResponsePort;
import dev.protokit.rendezvous.stun.StunAttribute.Unknown;
import dev.protokit.rendezvous.stun.StunAttribute.UnknownAttributes;
import dev.protokit.rendezvous.stun.StunAttribute.Username;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunIntegrity;
import dev.protokit.rendezvous.stun.StunIntegrity.Verification;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Short-term credentials on Binding (RFC 8489 9.1.3 and 6.3): the authentication checks come
 * first and in order, and every answer to an authenticated request is signed the way the
 * request was, a 420 included. pion/stun's clients check the integrity of such answers and
 * discard unsigned ones (9.1.4); before, a signed request with an unknown comprehension-required
 * attribute got an unsigned 420, a wrong MAC beside one a 420 instead of 401.
 */
class StunResponderAuthTest {
    private static final String USER = "evtj:h6vY";
    private static final IntegrityKey KEY = IntegrityKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBt");
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 3478);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private final StunResponder responder = new StunResponder(new Endpoints(LOCAL, Optional.empty(), 3479),
            Optional.of(new StunResponder.ShortTerm(USER, KEY)));

    /** The answer's bytes to a Binding request with {@code attributes}, sealed with {@code seal}. */
    private ByteBuffer answer(Seal seal, StunAttribute... attributes) {
        ByteBuffer raw = StunCodec.encode(StunMessage.of(StunMethod.BINDING, StunClass.REQUEST, TransactionId.random(),
                attributes), seal);
        StunMessage request = StunCodec.decode(raw.duplicate());
        return responder.binding(request, raw, CLIENT, LOCAL).orElseThrow().answer();
    }

    private static int code(ByteBuffer answer) {
        return StunCodec.decode(answer.duplicate()).attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
    }

    @Test
    void aSignedRequestWithAnUnknownAttributeGetsA420SignedTheSameWay() {
        for (boolean sha256 : new boolean[] {false, true}) {
            ByteBuffer a = answer(Seal.integrity(KEY, !sha256, sha256, true), new Username(USER),
                    new Unknown(0x7ff0, Bytes.ofHex("01020304")));
            StunMessage m = StunCodec.decode(a.duplicate());
            assertEquals(420, code(a));
            assertEquals(List.of(0x7ff0), m.attribute(UnknownAttributes.class).orElseThrow().types());
            assertEquals(Verification.VALID, StunIntegrity.verify(a, KEY));
            assertEquals(sha256, m.has(MessageIntegritySha256.class));
            assertEquals(!sha256, m.has(MessageIntegrity.class));
        }
        // RESPONSE-PORT is refused as unknown (answers go only to the source): signed as well.
        ByteBuffer port = answer(Seal.integrity(KEY, true, false, true), new Username(USER), new ResponsePort(9));
        assertEquals(420, code(port));
        assertEquals(Verification.VALID, StunIntegrity.verify(port, KEY));
    }

    @Test
    void aWrongMacOutranksAnUnknownAttributeAndGets401Unsigned() {
        ByteBuffer a = answer(Seal.integrity(IntegrityKey.shortTerm("wrong"), true, false, true), new Username(USER),
                new Unknown(0x7ff0, Bytes.ofHex("01020304")));
        assertEquals(401, code(a));
        assertEquals(Verification.ABSENT, StunIntegrity.verify(a, KEY));
    }

    @Test
    void aSignedRequestWithoutUsernameGets400() {
        ByteBuffer a = answer(Seal.integrity(KEY, true, false, true));
        assertEquals(400, code(a));
        assertEquals(Verification.ABSENT, StunIntegrity.verify(a, KEY));
    }

    @Test
    void bothIntegrityAttributesAreAnsweredWithSha256Only() {
        ByteBuffer a = answer(Seal.integrity(KEY, true, true, true), new Username(USER));
        StunMessage m = StunCodec.decode(a.duplicate());
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertTrue(m.has(MessageIntegritySha256.class));
        assertFalse(m.has(MessageIntegrity.class));
        assertEquals(Verification.VALID, StunIntegrity.verify(a, KEY));
    }
}
