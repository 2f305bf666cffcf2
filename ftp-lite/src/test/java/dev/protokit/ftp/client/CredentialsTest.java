package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the login comes from, in order: URL, --password-stdin, netrc, anonymous, else a prompt. */
class CredentialsTest {
    @TempDir
    Path dir;

    private final ConnectionOptions options = new ConnectionOptions();
    private final InputStream noStdin = new ByteArrayInputStream(new byte[0]);

    private Credentials resolve(String url, InputStream stdin) {
        return Credentials.resolve(Target.of(url, options), options, stdin);
    }

    @Test
    void anonymousWhenNoUserIsNamed() throws Exception {
        options.netrc = emptyNetrc();
        Credentials c = resolve("ftp://h/x", noStdin);
        assertEquals("anonymous", c.user());
        assertEquals("ftp-lite@", new String(c.password()));
    }

    @Test
    void urlPasswordWins() {
        Credentials c = resolve("ftp://bob:pw@h/x", noStdin);
        assertEquals("bob", c.user());
        assertEquals("pw", new String(c.password()));
    }

    @Test
    void passwordStdinReadsOneLine() {
        options.passwordStdin = true;
        Credentials c = resolve("ftp://bob@h/x", new ByteArrayInputStream("sëcret\r\nmore".getBytes(StandardCharsets.UTF_8)));
        assertEquals("sëcret", new String(c.password()));
        c.wipe();
        assertEquals("\0\0\0\0\0\0", new String(c.password()));
    }

    @Test
    void netrcSuppliesLoginAndPasswordForTheHost() throws Exception {
        Path netrc = dir.resolve("netrc");
        Files.writeString(netrc, "machine h login carol password c4rol\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        options.netrc = netrc;
        Credentials c = resolve("ftp://h/x", noStdin);
        assertEquals("carol", c.user());
        assertEquals("c4rol", new String(c.password()));
    }

    @Test
    void aNamedUserWithoutPasswordAndNoTerminalIsAUsageError() throws Exception {
        options.netrc = emptyNetrc();
        var e = assertThrows(FtpCliException.class, () -> resolve("ftp://dave@h/x", noStdin));
        assertEquals(ExitCode.USAGE, e.code());
        assertEquals("no password for dave@h: use --password-stdin, a netrc entry, or run on a terminal", e.getMessage());
    }

    private Path emptyNetrc() throws Exception {
        Path netrc = dir.resolve("empty-netrc");
        Files.writeString(netrc, "");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        return netrc;
    }
}
