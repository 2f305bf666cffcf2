package dev.protokit.rendezvous.stun;

import static dev.protokit.rendezvous.stun.Rfc5769Test.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.stun.StunAttribute.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** RFC 3489 Binding requests (no magic cookie) and the answers RFC 8489 section 11 describes. */
class Rfc3489Test {
    /** What stun-client (Vovida's RFC 3489 client) sends for its first test: CHANGE-REQUEST with no flag set. */
    static final String CLASSIC_REQUEST = """
            00010008                          Binding Request, length 8
            6b8b4567 327b23c6 643c9869 66334873   128-bit transaction id (no cookie)
            00030004 00000000                 CHANGE-REQUEST, no flags
            """;

    @Test
    void decodesTheCookieFieldAsPartOfTheTransactionId() {
        ByteBuffer wire = hex(CLASSIC_REQUEST);
        assertTrue(Rfc3489.looksLikeBindingRequest(wire));
        assertFalse(StunCodec.looksLikeStun(wire));
        Rfc3489.Request r = Rfc3489.decode(wire);
        assertEquals(0x6b8b4567, r.cookieField());
        assertEquals(TransactionId.ofHex("327b23c6643c986966334873"), r.message().transactionId());
        assertEquals(StunMethod.BINDING, r.message().method());
        assertEquals(StunClass.REQUEST, r.message().messageClass());
        assertEquals(new ChangeRequest(false, false), r.message().attribute(ChangeRequest.class).orElseThrow());
    }

    @Test
    void answerCarriesTheClientsWholeIdAndPlainAddresses() throws Exception {
        Rfc3489.Request r = Rfc3489.decode(hex(CLASSIC_REQUEST));
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        ByteBuffer wire = Rfc3489.encode(r.message().success(new MappedAddress(client),
                new SourceAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 3478)),
                new ChangedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 3479))), r);
        assertEquals(hex("""
                01010024 6b8b4567 327b23c6 643c9869 66334873   Binding Response, the client's id
                00010008 00018055 c0000201                     MAPPED-ADDRESS 192.0.2.1:32853
                00040008 00010d96 c0000209                     SOURCE-ADDRESS 192.0.2.9:3478
                00050008 00010d97 c000020a                     CHANGED-ADDRESS 192.0.2.10:3479
                """), wire);
    }

    @Test
    void refusesXorAddressesWhichTheClientCannotUndo() throws Exception {
        Rfc3489.Request r = Rfc3489.decode(hex(CLASSIC_REQUEST));
        var xor = new XorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1));
        assertThrows(IllegalArgumentException.class, () -> Rfc3489.encode(r.message().success(xor), r));
    }

    @Test
    void refusesWhatIsNotAClassicBindingRequest() {
        assertEquals("BAD_REQUEST not an RFC 3489 Binding request", assertThrows(StunException.class,
                () -> Rfc3489.decode(hex("00010000 2112a442 0102030405060708090a0b0c"))).getMessage()); // RFC 8489
        assertThrows(StunException.class, () -> Rfc3489.decode(hex("00010004 6b8b4567 327b23c6643c986966334873")));
        assertEquals("BAD_REQUEST CHANGE-REQUEST length 0x0003", assertThrows(StunException.class,
                () -> Rfc3489.decode(hex("00010008 6b8b4567 327b23c6643c986966334873 00030003 00000000"))).getMessage());
    }
}
