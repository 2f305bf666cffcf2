package dev.protokit.ftp.server.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhcHashTest {
    @Test
    void parsesAndFormatsTheSameString() {
        PhcHash parsed = PhcHash.parse(Argon2idTest.HORSE);
        assertEquals(19456, parsed.memoryKiB());
        assertEquals(2, parsed.iterations());
        assertEquals(1, parsed.parallelism());
        assertEquals("protokit-vector!", new String(parsed.salt(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(Argon2idTest.HORSE, parsed.format());
        assertEquals(parsed, PhcHash.parse(parsed.format()));
    }

    @Test
    void refusesOtherAlgorithms() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PhcHash.parse(Argon2idTest.HORSE.replace("argon2id", "argon2i")));
        assertTrue(e.getMessage().startsWith("not an argon2id PHC string"), e.getMessage());
    }

    @Test
    void refusesVersion16() {
        var e = assertThrows(IllegalArgumentException.class, () -> PhcHash.parse(Argon2idTest.HORSE.replace("v=19", "v=16")));
        assertEquals("argon2id version v=16 unsupported; only v=19", e.getMessage());
    }

    @Test
    void refusesCostsThatWouldLetAFileExhaustTheServer() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PhcHash.parse(Argon2idTest.HORSE.replace("m=19456", "m=99999999")));
        assertEquals("argon2id memory m=99999999 outside 8..1048576", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PhcHash.parse(Argon2idTest.HORSE.replace("t=2", "t=999")));
        assertThrows(IllegalArgumentException.class, () -> PhcHash.parse(Argon2idTest.HORSE.replace("p=1", "p=0")));
    }

    @Test
    void refusesMemoryBelowEightBlocksPerLane() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PhcHash.parse("$argon2id$v=19$m=8,t=1,p=2$c2FsdHNhbHQ$rMPV68+USsULl8QpsIqrUA"));
        assertEquals("argon2id memory m=8 outside 16..1048576", e.getMessage());
    }

    @Test
    void refusesShortSaltAndHash() {
        assertThrows(IllegalArgumentException.class, () -> PhcHash.parse("$argon2id$v=19$m=64,t=1,p=1$c2FsdA$rMPV68+USsULl8QpsIqrUA"));
        assertThrows(IllegalArgumentException.class, () -> PhcHash.parse("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$rMPV68+U"));
    }

    @Test
    void refusesTrailingGarbageAndPadding() {
        assertThrows(IllegalArgumentException.class, () -> PhcHash.parse(Argon2idTest.HORSE + "="));
        assertThrows(IllegalArgumentException.class, () -> PhcHash.parse(Argon2idTest.HORSE + ":rw"));
    }

    @Test
    void toStringNeverShowsTheHash() {
        PhcHash parsed = PhcHash.parse(Argon2idTest.HORSE);
        assertFalse(parsed.toString().contains("nyIkJ4"), parsed.toString());
        assertFalse(parsed.toString().contains("9f22242"), parsed.toString());
    }

    @Test
    void isImmutableThroughItsAccessors() {
        PhcHash parsed = PhcHash.parse(Argon2idTest.HORSE);
        parsed.hash()[0] ^= 1;
        parsed.salt()[0] ^= 1;
        assertEquals(Argon2idTest.HORSE, parsed.format());
    }
}
