package dev.protokit.ftp.server.users;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Argon2id against hashes made by another implementation: the vectors below were produced once
 * with Debian's python3-argon2 (argon2-cffi 21.1.0 on libargon2), e.g.
 * {@code argon2.low_level.hash_secret(b'correct horse battery staple', b'protokit-vector!',
 * time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, type=Type.ID)}. The reverse
 * direction (a Java hash verified by Python) runs in interop/ftp.sh.
 */
class Argon2idTest {
    static final String HORSE = "$argon2id$v=19$m=19456,t=2,p=1$cHJvdG9raXQtdmVjdG9yIQ$nyIkJ4//rZcVwAXO75+ELt+NfC94eWpyjntcjEVp8+U";
    static final String UMLAUTS = "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$yxo0u725ht/u+ArqyyL37VGxPOyFMvsz2eBUq2J6aH8";
    static final String TWO_LANES = "$argon2id$v=19$m=64,t=1,p=2$c2FsdHNhbHQ$rMPV68+USsULl8QpsIqrUA";

    @Test
    void verifiesHashMadeByLibargon2() {
        assertTrue(Argon2id.verify("correct horse battery staple".toCharArray(), PhcHash.parse(HORSE)));
    }

    @Test
    void encodesNonAsciiPasswordsAsUtf8LikeLibargon2() {
        assertTrue(Argon2id.verify("pässwörd".toCharArray(), PhcHash.parse(UMLAUTS)));
    }

    @Test
    void honoursCostsStoredInTheHash() {
        assertTrue(Argon2id.verify("x".toCharArray(), PhcHash.parse(TWO_LANES)));
        assertFalse(Argon2id.verify("y".toCharArray(), PhcHash.parse(TWO_LANES)));
    }

    @Test
    void rejectsWrongPassword() {
        assertFalse(Argon2id.verify("correct horse battery stapler".toCharArray(), PhcHash.parse(HORSE)));
        assertFalse(Argon2id.verify(new char[0], PhcHash.parse(HORSE)));
    }

    @Test
    void newHashesUseOwaspCostAndAFreshSalt() {
        PhcHash first = Argon2id.hash("s3cret".toCharArray());
        PhcHash second = Argon2id.hash("s3cret".toCharArray());
        assertTrue(first.format().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), first.format());
        assertEquals(16, first.salt().length);
        assertEquals(32, first.hash().length);
        assertNotEquals(first, second);
        assertTrue(Argon2id.verify("s3cret".toCharArray(), first));
        assertTrue(Argon2id.verify("s3cret".toCharArray(), PhcHash.parse(second.format())));
    }

    @Test
    void derivationMatchesLibargon2ByteForByte() {
        PhcHash vector = PhcHash.parse(HORSE);
        byte[] ours = Argon2id.derive("correct horse battery staple".toCharArray(), 19456, 2, 1, vector.salt(), 32);
        assertArrayEquals(vector.hash(), ours);
    }

    @Test
    void pooledMemoryGivesRightAnswersUnderConcurrency() throws Exception {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                String password = i % 2 == 0 ? "correct horse battery staple" : "wrong " + i;
                results.add(pool.submit(() -> Argon2id.verify(password.toCharArray(), PhcHash.parse(HORSE))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0, results.get(i).get(2, java.util.concurrent.TimeUnit.MINUTES), "hash " + i);
            }
        }
    }

    @Test
    void refusesLoneSurrogateInsteadOfHashingReplacementBytes() {
        assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(new char[] {'a', '\uD800'}));
    }
}
