package dev.protokit.ftp.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one control-connection line into a {@link Command}. The line arrives as ISO-8859-1 text
 * (one char per byte, CRLF already removed) so that Telnet control sequences can be removed
 * before the rest is decoded as UTF-8 (RFC 2640):
 *
 * <pre>
 * line     = *telnet verb [ SP argument ]
 * telnet   = IAC (0xFF) command (0xF0..0xFA)       e.g. IAC IP, IAC DM before ABOR (RFC 959 4.1.3)
 *          | IAC (0xFF) command DM (0xF2)          IAC IP, then a Synch whose IAC went urgent (inetutils)
 *          | IAC                                   alone: its DM was sent urgent and dropped (tnftp)
 *          | IAC (WILL | WONT | DO | DONT) option  option negotiation, ignored
 *          | IAC IAC                               a literal 0xFF data byte
 * verb     = ALPHA *15(ALPHA | DIGIT)              any letter case; only known verbs are commands
 * argument = *byte (UTF-8, any but CR LF)
 * </pre>
 *
 * Errors are {@link FtpException}s carrying the reply: 500 for a line that is no command,
 * 502 for any well-formed verb this server does not implement (MD5, SITE, XCRC...), 501 for a
 * missing or unexpected argument or bytes that are not UTF-8.
 */
public final class CommandParser {
    private static final int IAC = 0xFF;
    private static final int WILL = 0xFB;
    private static final int TELNET_COMMANDS = 0xF0;
    private static final int DM = 0xF2;
    private static final int MAX_VERB = 16;

    private CommandParser() {}

    /** Parses a line read as ISO-8859-1 (without its CRLF). */
    public static Command parse(String latin1Line) {
        String line = decodeUtf8(stripTelnet(latin1Line));
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (!isVerb(verb)) {
            throw new FtpException(ReplyCode.SYNTAX_ERROR, "Syntax error, command unrecognized.");
        }
        FtpCommand command = FtpCommand.of(verb).orElseThrow(() -> new FtpException(
                ReplyCode.NOT_IMPLEMENTED, "Command not implemented: " + verb.toUpperCase(java.util.Locale.ROOT) + "."));
        switch (command.argument()) {
            case NONE -> {
                if (!argument.isBlank()) {
                    throw new FtpException(ReplyCode.ARGUMENT_ERROR, command.verb() + " takes no argument.");
                }
                argument = "";
            }
            case REQUIRED -> {
                if (argument.isEmpty()) {
                    throw new FtpException(ReplyCode.ARGUMENT_ERROR, command.verb() + " needs an argument.");
                }
            }
            case OPTIONAL -> { }
        }
        return new Command(command, argument);
    }

    /** Removes Telnet commands (RFC 854) and un-doubles IAC IAC. */
    static String stripTelnet(String line) {
        if (line.indexOf((char) IAC) < 0) {
            return line;
        }
        var out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != IAC) {
                out.append(c);
            } else if (i + 1 < line.length()) {
                char next = line.charAt(i + 1);
                if (next == IAC) {
                    out.append(next);
                    i++;
                } else if (next >= WILL) {
                    i += 2; // WILL/WONT/DO/DONT carry an option byte
                } else if (next >= TELNET_COMMANDS) {
                    i++;    // IP, DM, AO, ...
                    if (i + 1 < line.length() && line.charAt(i + 1) == DM) {
                        // The Synch after IAC IP (RFC 959 4.1.3): BSD clients send its IAC as the
                        // urgent byte, which the socket drops (no SO_OOBINLINE), so its DM comes alone.
                        i++;
                    }
                }
                // else: a lone IAC (its DM went as urgent data and was dropped); drop just the IAC
            }
        }
        return out.toString();
    }

    private static String decodeUtf8(String latin1) {
        boolean ascii = true;
        for (int i = 0; i < latin1.length() && ascii; i++) {
            ascii = latin1.charAt(i) < 0x80;
        }
        if (ascii) {
            return latin1;
        }
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Command line is not valid UTF-8.", e);
        }
    }

    private static boolean isVerb(String s) {
        if (s.isEmpty() || s.length() > MAX_VERB || !isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLetter(c) && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
