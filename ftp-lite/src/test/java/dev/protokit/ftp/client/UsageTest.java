package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Command-line mistakes exit 2 with one clear line, before any connection is tried. */
class UsageTest {
    @Test
    void aPlainPathNeedsAHost() {
        var result = Cli.run("ls", "/pub");
        assertEquals(2, result.status(), result::toString);
        assertEquals("ftp-lite: no server for '/pub': give ftp://host/path or --host HOST\n", result.err());
    }

    @Test
    void noSubcommandIsAUsageError() {
        var result = Cli.run();
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: missing command"), result::toString);
    }

    @Test
    void unknownOptionIsAUsageError() {
        var result = Cli.run("get", "--frobnicate", "ftp://h/x");
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: Unknown option: '--frobnicate'"), result::toString);
    }

    @Test
    void tlsFlagsExcludeEachOther() {
        var result = Cli.run("ls", "--tls", "--implicit-tls", "ftp://127.0.0.1/");
        assertEquals(2, result.status(), result::toString);
        assertEquals("ftp-lite: --tls and --implicit-tls exclude each other\n", result.err());
    }

    @Test
    void controlCharactersInPathsAreRefused() {
        var result = Cli.run("rm", "--host", "127.0.0.1", "a\r\nDELE b");
        assertEquals(2, result.status(), result::toString);
        assertEquals("ftp-lite: path contains control character 0xd: refused\n", result.err());
    }

    @Test
    void helpSaysFtpsOffersTls12First() {
        var result = Cli.run("get", "--help");
        assertEquals(0, result.status(), result::toString);
        String help = result.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("(RFC 4217). TLS 1.2 first, sessions resumed by id, no session tickets"), result::toString);
        assertTrue(help.contains("also ftps:// URLs. TLS versions as --tls."), result::toString);
        assertTrue(help.contains("TLS 1.3 on a second connection if the server refuses 1.2."), result::toString);
    }

    @Test
    void helpListsExitCodes() {
        var result = Cli.run("--help");
        assertEquals(0, result.status());
        assertTrue(result.out().contains("3   connection, TLS or login failure"), result::toString);
    }
}
