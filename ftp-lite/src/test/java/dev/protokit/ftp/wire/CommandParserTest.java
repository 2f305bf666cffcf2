package dev.protokit.ftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {

    /** What the control channel hands the parser: the line's bytes as ISO-8859-1 chars. */
    private static String wire(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesVerbInAnyCaseAndKeepsArgumentSpaces() {
        Command c = CommandParser.parse("stor  two  spaces.txt ");
        assertEquals(FtpCommand.STOR, c.verb());
        assertEquals(" two  spaces.txt ", c.argument());
    }

    @Test
    void decodesUtf8Arguments() {
        assertEquals("résumé.pdf", CommandParser.parse(wire("RETR résumé.pdf")).argument());
    }

    @Test
    void rejectsArgumentsThatAreNotUtf8() {
        var e = assertThrows(FtpException.class, () -> CommandParser.parse("RETR caf\u00e9"));
        assertEquals(ReplyCode.ARGUMENT_ERROR, e.code());
    }

    @Test
    void stripsTelnetInterruptBeforeAbor() {
        // IAC IP IAC (the DM went as urgent data and was discarded by the kernel).
        assertEquals(Command.of(FtpCommand.ABOR), CommandParser.parse("\u00ff\u00f4\u00ff\u00f2ABOR"));
        // tnftp: IAC IP, then IAC DM sent as urgent data; the kernel drops the DM byte.
        assertEquals(Command.of(FtpCommand.ABOR), CommandParser.parse("\u00ff\u00f4\u00ffABOR"));
        // inetutils-ftp: send(IAC IP IAC, MSG_OOB) makes the second IAC the urgent byte, which the
        // kernel drops, then "DM ABOR": the DM arrives without its IAC (issue #9: was 501 not UTF-8).
        assertEquals(Command.of(FtpCommand.ABOR), CommandParser.parse("\u00ff\u00f4\u00f2ABOR"));
        // SO_OOBINLINE on: everything arrives in band.
        assertEquals(Command.of(FtpCommand.ABOR), CommandParser.parse("\u00ff\u00f4\u00ff\u00f2ABOR"));
    }

    @Test
    void keepsALiteralDataMarkByteOutsideTheSynch() {
        assertEquals("RETR \u00f2", CommandParser.stripTelnet("RETR \u00f2"));
        assertEquals("NOOP", CommandParser.stripTelnet("\u00ff\u00f1NOOP"));
    }

    @Test
    void undoublesIacIacAndDropsOptionNegotiation() {
        assertEquals("\u00ff", CommandParser.stripTelnet("\u00ff\u00ff"));
        assertEquals("NOOP", CommandParser.stripTelnet("\u00ff\u00fb\u0001NOOP"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "XYZZ          | NOT_IMPLEMENTED",
        "SITE CHMOD 777 x | NOT_IMPLEMENTED",
        "''            | SYNTAX_ERROR",
        "' NOOP'       | SYNTAX_ERROR",
        "NO            | NOT_IMPLEMENTED",
        "RETRIEVE x    | NOT_IMPLEMENTED",
        "RE7R x        | NOT_IMPLEMENTED",
        "MD5 file      | NOT_IMPLEMENTED",
        "XCRC file     | NOT_IMPLEMENTED",
        "1234          | SYNTAX_ERROR",
        "'R-TR x'      | SYNTAX_ERROR",
        "'\u0001ABC'   | SYNTAX_ERROR",
        "RETR          | ARGUMENT_ERROR",
        "PWD x         | ARGUMENT_ERROR",
        "USER          | ARGUMENT_ERROR",
    })
    void refusesBadLinesWithTheRightCode(String line, ReplyCode expected) {
        assertEquals(expected, assertThrows(FtpException.class, () -> CommandParser.parse(line)).code());
    }

    @Test
    void acceptsTrailingSpaceOnArgumentlessCommands() {
        assertEquals(Command.of(FtpCommand.PASV), CommandParser.parse("PASV "));
    }

    @Test
    void optionalArgumentsMayBeAbsent() {
        assertEquals(Command.of(FtpCommand.LIST), CommandParser.parse("LIST"));
        assertEquals("-la", CommandParser.parse("LIST -la").argument());
    }

    @Test
    void hidesPasswordsInToString() {
        assertEquals("PASS ****", CommandParser.parse("PASS secret").toString());
    }

    @Test
    void commandTableIsConsistent() {
        for (FtpCommand c : FtpCommand.values()) {
            assertEquals(c, FtpCommand.of(c.verb().toLowerCase()).orElseThrow());
        }
        assertEquals(true, FtpCommand.ABOR.actsDuringTransfer());
        assertEquals(false, FtpCommand.RETR.allowedBeforeLogin());
        assertEquals(true, FtpCommand.FEAT.allowedBeforeLogin());
        assertEquals(false, FtpCommand.STAT.allowedBeforeLogin());
        assertEquals(true, FtpCommand.NOOP.allowedBeforeLogin() && FtpCommand.NOOP.actsDuringTransfer());
    }
}
