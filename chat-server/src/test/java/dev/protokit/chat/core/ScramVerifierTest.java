package dev.protokit.chat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramVerifierTest {
    // RFC 7677 section 3: user "user", password "pencil".
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String AUTH_MESSAGE = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
            + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    @Test
    void derivesTheRfc7677ServerSignature() {
        ScramVerifier v = ScramVerifier.derive("pencil".toCharArray(), SALT, 4096);
        byte[] signature = ScramVerifier.hmac(v.serverKey(), AUTH_MESSAGE);
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Base64.getEncoder().encodeToString(signature));
    }

    @Test
    void matchesOnlyTheRightPassword() {
        ScramVerifier v = ScramVerifier.derive("correct horse".toCharArray(), new SecureRandom());
        assertTrue(v.matches("correct horse".toCharArray()));
        assertFalse(v.matches("correct horse ".toCharArray()));
        assertFalse(v.matches("".toCharArray()));
        assertNotEquals(v, ScramVerifier.derive("correct horse".toCharArray(), new SecureRandom()), "fresh salt each time");
        assertFalse(v.toString().contains(Base64.getEncoder().encodeToString(v.storedKey())), v.toString());
    }

    @Test
    void refusesWeakParameters() {
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.derive("x".toCharArray(), SALT, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ScramVerifier(new byte[4], 4096, new byte[32], new byte[32]));
    }
}
