package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.auth.KeyFile;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.daemon.PrivateFile;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AccountCommandTest {
    @TempDir
    Path state;

    private record Run(int status, String out, String err) {}

    private Run run(String stdin, String... args) {
        var accountCommand = new CommandLine(new AccountCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        accountCommand.setOut(new PrintWriter(out));
        accountCommand.setErr(new PrintWriter(err));
        int status = accountCommand.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void addWritesAPrivateKeyFileAndAScramVerifierOnly() throws Exception {
        Run r = run("pencil\n", "add", "alice", "--email", "alice@example.org", "--operator", "--password-stdin",
                "--state-dir", state.toString());
        assertEquals(0, r.status(), r.err());
        Path key = Path.of(r.out().strip());
        assertEquals(state.resolve("keys/alice.key").toAbsolutePath(), key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(PrivateFile.problem(key, "key file").isEmpty());
        var ring = KeyFile.load(key);
        try (SqliteChatStore store = SqliteChatStore.open(state.resolve("chat.db"), List.of())) {
            byte[] stored = store.nativeKey("alice").orElseThrow().copySecret();
            byte[] inFile = ring.find(new KeyId("alice")).orElseThrow().copySecret();
            assertTrue(Arrays.equals(stored, inFile));
            assertTrue(store.scram("alice").orElseThrow().matches("pencil".toCharArray()));
            assertTrue(store.account("alice").orElseThrow().operator());
        }
        byte[] db = Files.readAllBytes(state.resolve("chat.db"));
        assertTrue(new String(db, StandardCharsets.ISO_8859_1).indexOf("pencil") < 0, "the password is never stored");
    }

    @Test
    void listPasswdRemoveAndErrors() {
        assertEquals(0, run("", "add", "bob", "--no-password", "--state-dir", state.toString()).status());
        Run list = run("", "list", "--state-dir", state.toString());
        assertTrue(list.out().contains("bob") && list.out().contains("key-only"), list.out());
        assertEquals(0, run("secret\n", "passwd", "bob", "--password-stdin", "--state-dir", state.toString()).status());
        assertTrue(run("", "list", "--state-dir", state.toString()).out().contains("password"));
        Run dup = run("", "add", "BOB", "--no-password", "--state-dir", state.toString());
        assertEquals(1, dup.status());
        assertTrue(dup.err().contains("exists"), dup.err());
        Run bad = run("", "add", "9bad", "--no-password", "--state-dir", state.toString());
        assertEquals(1, bad.status());
        assertEquals(1, run("", "passwd", "nobody", "--password-stdin", "--state-dir", state.toString()).status(),
                "an empty password is refused");
        assertEquals(0, run("", "remove", "bob", "--state-dir", state.toString()).status());
        assertTrue(Files.notExists(state.resolve("keys/bob.key")));
        assertEquals(1, run("", "remove", "bob", "--state-dir", state.toString()).status());
        assertEquals(2, run("", "add", "x", "--state-dir").status());
    }
}
