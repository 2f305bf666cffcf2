package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetrcTest {
    private static final String TEXT = """
            machine ftp.example.org login alice password "two words"
            macdef init
            cd /pub
            binary

            machine ftp.example.org
              login bob
              password b0b
            default login anonymous password me@example.org
            """;

    @Test
    void findsTheFirstMachineEntry() {
        var entry = Netrc.parse(TEXT).find("FTP.example.org", Optional.empty()).orElseThrow();
        assertEquals(Optional.of("alice"), entry.login());
        assertEquals(Optional.of("two words"), entry.password());
    }

    @Test
    void matchesTheRequestedLogin() {
        var entry = Netrc.parse(TEXT).find("ftp.example.org", Optional.of("bob")).orElseThrow();
        assertEquals(Optional.of("b0b"), entry.password());
    }

    @Test
    void fallsBackToDefaultAndSkipsMacros() {
        var entry = Netrc.parse(TEXT).find("elsewhere", Optional.empty()).orElseThrow();
        assertEquals(Optional.of("anonymous"), entry.login());
        assertEquals(Optional.of("me@example.org"), entry.password());
        assertTrue(Netrc.parse("machine a login x\n").find("b", Optional.empty()).isEmpty());
    }
}
