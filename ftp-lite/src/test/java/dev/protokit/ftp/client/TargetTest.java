package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.ftp.client.ConnectionOptions.Security;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetTest {
    private final ConnectionOptions none = new ConnectionOptions();

    @Test
    void urlPathIsRelativeToTheLoginDirectoryAsRfc1738Says() {
        Target t = Target.of("ftp://alice@example.org:2121/pub/file.txt", none);
        assertEquals(new Target("example.org", 2121, Optional.of("alice"), Optional.empty(), "pub/file.txt", Security.PLAIN), t);
        assertEquals("/etc/motd", Target.of("ftp://h//etc/motd", none).path());
        assertEquals("/etc/motd", Target.of("ftp://h/%2Fetc/motd", none).path());
        assertEquals(".", Target.of("ftp://h", none).path());
        assertEquals("a b", Target.of("ftp://h/a%20b", none).path());
    }

    @Test
    void ftpsSchemeMeansImplicitTlsOnPort990() {
        Target t = Target.of("ftps://h/x", none);
        assertEquals(Security.IMPLICIT_TLS, t.security());
        assertEquals(990, t.port());
    }

    @Test
    void passwordInUrlIsTakenButPlainPathsUseTheOptions() {
        Target t = Target.of("ftp://bob:s%3Acret@[::1]/x", none);
        assertEquals("::1", t.host());
        assertEquals(Optional.of("s:cret"), t.urlPassword());
        ConnectionOptions options = new ConnectionOptions();
        options.host = "127.0.0.1";
        options.port = 2121;
        options.user = "carol";
        options.tls = true;
        assertEquals(new Target("127.0.0.1", 2121, Optional.of("carol"), Optional.empty(), "/x", Security.EXPLICIT_TLS),
                Target.of("/x", options));
    }

    @Test
    void secondArgumentMustBeOnTheSameServer() {
        Target t = Target.of("ftp://h:21/a", none);
        assertEquals("b", t.sibling("b", none).path());
        assertEquals("c", t.sibling("ftp://h/c", none).path());
        var e = assertThrows(FtpCliException.class, () -> t.sibling("ftp://other/c", none));
        assertEquals(ExitCode.USAGE, e.code());
    }

    @Test
    void refusesEncodedCrLfThatWouldSmuggleACommand() {
        var e = assertThrows(FtpCliException.class, () -> Target.of("ftp://h/a%0d%0aDELE%20b", none));
        assertEquals("path contains control character 0xd: refused", e.getMessage());
        assertThrows(FtpCliException.class, () -> Target.of("ftp://us%0aer@h/a", none));
    }

    @Test
    void refusesQueriesAndBadPorts() {
        assertThrows(FtpCliException.class, () -> Target.of("ftp://h/a?b", none));
        assertThrows(FtpCliException.class, () -> Target.of("ftp://h:0/a", none));
        assertThrows(FtpCliException.class, () -> Target.of("ftp:///a", none));
    }
}
