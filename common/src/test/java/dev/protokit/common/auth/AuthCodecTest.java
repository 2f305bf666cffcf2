package dev.protokit.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AuthCodecTest {
    private static final Bytes32 ONES = new Bytes32(filled(1));
    /** base64 of 32 bytes of 0x01. */
    private static final String ONES_B64 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    @Test
    void encodesClientHelloFieldByField() {
        byte[] body = AuthCodec.encode(new AuthMessage.ClientHello(Protocol.LABEL, new KeyId("k1"), ONES));
        assertEquals("{\"type\":\"client-hello\",\"protocol\":\"protokit-auth/1\",\"key_id\":\"k1\",\"nonce\":\""
                + ONES_B64 + "\"}", utf8(body));
    }

    @Test
    void roundTripsEveryMessage() {
        AuthMessage[] messages = {
            new AuthMessage.ClientHello(Protocol.LABEL, new KeyId("key.2026-a_b"), ONES),
            new AuthMessage.ServerChallenge(ONES),
            new AuthMessage.ClientProof(new Bytes32(filled(7))),
            new AuthMessage.ServerProof(new Bytes32(filled(9))),
            AuthMessage.Failure.GENERIC,
        };
        for (AuthMessage message : messages) {
            assertEquals(message, AuthCodec.decode(AuthCodec.encode(message)));
        }
    }

    @Test
    void failureIsTheOneGenericMessage() {
        assertEquals("{\"type\":\"failure\",\"error\":\"authentication failed\"}",
                utf8(ServerHandshake.failure()));
    }

    @Test
    void acceptsFieldsInAnyOrderAndAZeroBodyLength() {
        AuthMessage decoded = decode("{\"mac\":\"" + ONES_B64 + "\",\"bodyLength\":0,\"type\":\"client-proof\"}");
        assertEquals(new AuthMessage.ClientProof(ONES), decoded);
    }

    @Test
    void rejectsUnknownField() {
        assertMalformed("{\"type\":\"client-proof\",\"mac\":\"" + ONES_B64 + "\",\"admin\":\"yes\"}",
                "MALFORMED client-proof has unknown fields [admin]");
    }

    @Test
    void rejectsDuplicateField() {
        assertMalformed("{\"type\":\"client-proof\",\"mac\":\"" + ONES_B64 + "\",\"mac\":\"" + ONES_B64 + "\"}",
                "MALFORMED bad handshake frame: HEADER_NOT_JSON");
    }

    @Test
    void rejectsUnknownType() {
        assertMalformed("{\"type\":\"admin-hello\"}", "MALFORMED unknown type \"admin-hello\"");
    }

    @Test
    void rejectsMissingType() {
        assertMalformed("{\"mac\":\"" + ONES_B64 + "\"}", "MALFORMED field \"type\" missing or not a string");
    }

    @Test
    void rejectsNonStringField() {
        assertMalformed("{\"type\":\"client-proof\",\"mac\":12}", "MALFORMED field \"mac\" missing or not a string");
    }

    @Test
    void rejectsShortNonce() {
        assertMalformed("{\"type\":\"server-challenge\",\"nonce\":\"AQID\"}",
                "MALFORMED field \"nonce\" holds 3 bytes, expected 32");
    }

    @Test
    void rejectsNonBase64Mac() {
        assertMalformed("{\"type\":\"server-proof\",\"mac\":\"not base64!\"}",
                "MALFORMED field \"mac\" is not base64");
    }

    @Test
    void rejectsInvalidKeyId() {
        assertMalformed("{\"type\":\"client-hello\",\"protocol\":\"protokit-auth/1\",\"key_id\":\"../etc\",\"nonce\":\""
                + ONES_B64 + "\"}", "MALFORMED client-hello key_id is not a valid key id");
    }

    @Test
    void rejectsBody() {
        assertMalformed("{\"type\":\"client-proof\",\"mac\":\"" + ONES_B64 + "\",\"bodyLength\":5}",
                "MALFORMED bad handshake frame: BODY_TOO_LARGE");
    }

    @Test
    void rejectsNonObjectAndGarbage() {
        assertMalformed("[1,2]", "MALFORMED bad handshake frame: HEADER_NOT_OBJECT");
        assertMalformed("GET / HTTP/1.0", "MALFORMED bad handshake frame: HEADER_NOT_JSON");
        AuthException e = assertThrows(AuthException.class,
                () -> AuthCodec.decode(new byte[] {'{', (byte) 0xff, '}'}));
        assertTrue(e.getMessage().startsWith("MALFORMED bad handshake frame: HEADER_NOT_UTF8"), e.getMessage());
    }

    @Test
    void bytes32CopiesAndHidesNothingSecret() {
        byte[] raw = filled(3);
        Bytes32 value = new Bytes32(raw);
        raw[0] = 0;
        assertArrayEquals(filled(3), value.bytes());
        assertThrows(IllegalArgumentException.class, () -> new Bytes32(new byte[31]));
    }

    private static void assertMalformed(String json, String messagePrefix) {
        AuthException e = assertThrows(AuthException.class, () -> decode(json));
        assertEquals(AuthError.MALFORMED, e.error());
        assertTrue(e.getMessage().startsWith(messagePrefix), () -> "message was: " + e.getMessage());
    }

    private static AuthMessage decode(String json) {
        return AuthCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
