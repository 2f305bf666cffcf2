package dev.protokit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.auth.KeyFile;
import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.daemon.DaemonLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth-client and auth-server as a user runs them: exit codes, one-line reasons, key files. */
class CommandLineTest {
    @TempDir
    Path dir;

    /** What a command printed and returned. */
    record Run(int status, String out, String err) {}

    @Test
    void keygenMakesAnOwnerOnlyFileAndNeverOverwritesByAccident() throws IOException {
        Path keys = dir.resolve("auth.keys");
        Run made = run(new AuthClientMain(), "keygen", "--id", "k1", "--out", keys.toString());
        assertEquals(0, made.status(), made.err());
        assertEquals("wrote key k1 to " + keys + " (mode 0600)\n", made.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));

        Run again = run(new AuthClientMain(), "keygen", "--id", "k2", "--out", keys.toString());
        assertEquals(1, again.status());
        assertEquals("auth-client: " + keys + " already exists; use --append to add a key or --force to replace it\n",
                again.err());

        assertEquals(0, run(new AuthClientMain(), "keygen", "--id", "k2", "--out", keys.toString(), "--append").status());
        assertEquals("[k1, k2]", KeyFile.load(keys).ids().toString());
        assertEquals(0, run(new AuthClientMain(), "keygen", "--id", "k3", "--out", keys.toString(), "--force").status());
        assertEquals("[k3]", KeyFile.load(keys).ids().toString());
        assertEquals(2, run(new AuthClientMain(), "keygen", "--id", "k4", "--out", keys.toString(), "--force", "--append").status());
    }

    @Test
    void oneShotMessageAndKeyChoice() throws IOException {
        Path keys = keyFile("a", "b");
        KeyRing ring = KeyFile.load(keys);
        try (AuthServer server = AuthServer.start(AuthServer.Config.loopback(ring))) {
            String port = Integer.toString(server.port());
            Run first = run(new AuthClientMain(), "--host", "127.0.0.1", "--port", port, "--key", keys.toString(),
                    "--message", "hi there");
            assertEquals(0, first.status());
            assertEquals("HI THERE\n", first.out());
            Run second = run(new AuthClientMain(), "--host", "127.0.0.1", "--port", port, "--key", keys.toString(),
                    "--key-id", "b", "--message", "b too");
            assertEquals(0, second.status());
            assertEquals("B TOO\n", second.out());
            Run missing = run(new AuthClientMain(), "--host", "127.0.0.1", "--port", port, "--key", keys.toString(),
                    "--key-id", "c", "--message", "x");
            assertEquals(1, missing.status());
            assertEquals(List.of("auth-client: key file " + keys + " has no key c (it has [a, b])"), clientLines(missing));
            assertEquals("", missing.out());
        }
    }

    @Test
    void failedAuthenticationExitsNonZeroWithOneLine() throws IOException {
        Path serverKeys = keyFile("k1");
        Path clientKeys = keyFile("k1"); // same id, different secret
        try (AuthServer server = AuthServer.start(AuthServer.Config.loopback(KeyFile.load(serverKeys)))) {
            Run run = run(new AuthClientMain(), "--host", "127.0.0.1", "--port", Integer.toString(server.port()),
                    "--key", clientKeys.toString(), "--message", "let me in");
            assertEquals(1, run.status());
            assertEquals("", run.out());
            // The in-process server logs to stderr too; the client's own output is one line.
            assertEquals(List.of("auth-client: authentication to 127.0.0.1 port " + server.port()
                    + " failed: the server refused key k1"), clientLines(run));
        }
    }

    @Test
    void unreachableServerExitsNonZeroWithOneLine() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Run run = run(new AuthClientMain(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--key", keyFile("k1").toString(), "--message", "x");
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("auth-client: cannot connect to 127.0.0.1 port " + port + ": "), run.err());
        assertEquals(1, run.err().lines().count());
    }

    @Test
    void serverRefusesAKeyFileOthersCanRead() throws IOException {
        Path keys = keyFile("k1");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r-----"));
        Run run = run(new AuthServerMain(), "--keys", keys.toString(), "--port", "0", "--bind", "127.0.0.1");
        assertEquals(1, run.status());
        assertEquals("auth-server: key file " + keys + " has mode 0640 and is accessible by group or others; run: chmod 600 "
                + keys + "\n", run.err());
        assertFalse(run.err().contains("Exception"));
    }

    /** Standard error without the in-process server's log lines. */
    private static List<String> clientLines(Run run) {
        return run.err().lines().filter(line -> !line.contains(" INFO  auth-server - ")).toList();
    }

    private Path keyFile(String... ids) {
        Path file = dir.resolve("keys-" + System.nanoTime());
        for (String id : ids) {
            assertEquals(0, run(new AuthClientMain(), "keygen", "--id", id, "--out", file.toString(), "--append").status());
        }
        return file;
    }

    private static synchronized Run run(Callable<Integer> command, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = DaemonLauncher.run(command, args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
