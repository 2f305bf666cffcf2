package dev.protokit.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
    private static final String SECRET_B64 = Base64.getEncoder().encodeToString(AuthCodecTest.filled(0x5a));

    @TempDir
    Path dir;

    @Test
    void parsesKeysInOrderSkippingCommentsBlanksAndCrlf() {
        String text = "# keys\r\n\r\n  k1 " + SECRET_B64 + "\r\n\tk2\t\t" + SECRET_B64 + "  \n# end";
        KeyRing ring = KeyFile.parse(text.getBytes(StandardCharsets.US_ASCII), "test");
        assertEquals(List.of(new KeyId("k1"), new KeyId("k2")), ring.ids());
        assertEquals(new KeyId("k1"), ring.first().id());
        assertArrayEquals(AuthCodecTest.filled(0x5a), ring.find(new KeyId("k2")).orElseThrow().copySecret());
        assertTrue(ring.find(new KeyId("k3")).isEmpty());
    }

    @Test
    void rejectsShortSecretWithoutShowingIt() {
        String shortSecret = Base64.getEncoder().encodeToString(new byte[16]);
        KeyFileException e = assertThrows(KeyFileException.class, () -> parse("k1 " + shortSecret + "\n"));
        assertEquals("key file test line 1: secret of key k1 is 16 bytes, expected 32 random bytes in base64", e.getMessage());
    }

    @Test
    void rejectsMalformedLines() {
        assertEquals("key file test line 2: expected two fields, key-id and base64-secret",
                assertThrows(KeyFileException.class, () -> parse("# x\nk1\n")).getMessage());
        assertEquals("key file test line 1: expected two fields, key-id and base64-secret",
                assertThrows(KeyFileException.class, () -> parse("k1 " + SECRET_B64 + " extra\n")).getMessage());
        assertEquals("key file test line 1: key id must be 1-64 characters of A-Z a-z 0-9 . _ -",
                assertThrows(KeyFileException.class, () -> parse("k/1 " + SECRET_B64)).getMessage());
        assertEquals("key file test line 1: secret of key k1 is not valid base64",
                assertThrows(KeyFileException.class, () -> parse("k1 %%%%")).getMessage());
        assertEquals("key file test: duplicate key id k1",
                assertThrows(KeyFileException.class, () -> parse("k1 " + SECRET_B64 + "\nk1 " + SECRET_B64)).getMessage());
        assertEquals("key file test holds no keys",
                assertThrows(KeyFileException.class, () -> parse("# nothing\n")).getMessage());
    }

    @Test
    void refusesGroupOrOtherReadableFileNamingModeAndFix() throws IOException {
        Path file = dir.resolve("keys");
        KeyFileWriter.write(file, KeyFileWriter.generate(new KeyId("k1"), new SecureRandom()), KeyFileWriter.Mode.CREATE_NEW);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFile.load(file));
        assertEquals("key file " + file + " has mode 0644 and is accessible by group or others; run: chmod 600 " + file,
                e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(1, KeyFile.load(file).size());
    }

    @Test
    void keygenCreatesOwnerOnlyFileThatLoads() throws IOException {
        Path file = dir.resolve("new.keys");
        SharedKey key = KeyFileWriter.generate(new KeyId("k1"), new SecureRandom());
        KeyFileWriter.write(file, key, KeyFileWriter.Mode.CREATE_NEW);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(key.copySecret(), KeyFile.load(file).first().copySecret());
    }

    @Test
    void keygenRefusesToOverwriteUnlessForced() {
        Path file = dir.resolve("k");
        SecureRandom random = new SecureRandom();
        KeyFileWriter.write(file, KeyFileWriter.generate(new KeyId("old"), random), KeyFileWriter.Mode.CREATE_NEW);
        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFileWriter.write(file,
                KeyFileWriter.generate(new KeyId("new"), random), KeyFileWriter.Mode.CREATE_NEW));
        assertEquals(file + " already exists; use --append to add a key or --force to replace it", e.getMessage());
        KeyFileWriter.write(file, KeyFileWriter.generate(new KeyId("new"), random), KeyFileWriter.Mode.OVERWRITE);
        assertEquals(List.of(new KeyId("new")), KeyFile.load(file).ids());
    }

    @Test
    void keygenAppendsForRotationButNotADuplicateId() throws IOException {
        Path file = dir.resolve("ring");
        SecureRandom random = new SecureRandom();
        KeyFileWriter.write(file, KeyFileWriter.generate(new KeyId("a"), random), KeyFileWriter.Mode.APPEND);
        KeyFileWriter.write(file, KeyFileWriter.generate(new KeyId("b"), random), KeyFileWriter.Mode.APPEND);
        assertEquals(List.of(new KeyId("a"), new KeyId("b")), KeyFile.load(file).ids());
        assertThrows(KeyFileException.class, () -> KeyFileWriter.write(file,
                KeyFileWriter.generate(new KeyId("a"), random), KeyFileWriter.Mode.APPEND));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void secretsNeverShowInToString() {
        KeyRing ring = parse("k1 " + SECRET_B64);
        assertEquals("SharedKey[id=k1, secret=<redacted>]", ring.first().toString());
        assertEquals("KeyRing[k1]", ring.toString());
        ring.destroy();
        assertTrue(ring.first().isDestroyed());
        assertFalse(ring.first().toString().contains(SECRET_B64));
    }

    private static KeyRing parse(String text) {
        return KeyFile.parse(text.getBytes(StandardCharsets.US_ASCII), "test");
    }
}
