package dev.protokit.rendezvous.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestCredentialsTest {
    private final RestCredentials rest = new RestCredentials("north".getBytes(StandardCharsets.UTF_8));

    @Test
    void passwordIsBase64HmacSha1OfTheUserName() {
        // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"north",
        //     b"1735689600:alice", hashlib.sha1).digest()))'
        var c = rest.mint("alice", Instant.ofEpochSecond(1735689600));
        assertEquals("1735689600:alice", c.username());
        assertEquals("HbvWA6hGDtdv3wflBolXLhvzs0w=", c.password());
        assertTrue(rest.check(c.username(), c.password()));
        assertFalse(rest.check(c.username(), "HbvWA6hGDtdv3wflBolXLhvzs0x="));
        assertFalse(c.toString().contains(c.password()));
    }

    @Test
    void expiryIsTheLeadingNumberOfSeconds() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1735689600)), RestCredentials.expiry("1735689600:alice"));
        assertEquals(Optional.of(Instant.ofEpochSecond(42)), RestCredentials.expiry("42"));
        assertEquals(Optional.empty(), RestCredentials.expiry("alice:1735689600"));
        assertEquals(Optional.empty(), RestCredentials.expiry(":x"));
        assertEquals(Optional.empty(), RestCredentials.expiry("99999999999999:x"));
    }
}
