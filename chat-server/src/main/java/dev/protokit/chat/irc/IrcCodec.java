package dev.protokit.chat.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses and formats IRC lines (RFC 1459 section 2.3.1 with IRCv3 message-tags). Pure: no I/O.
 *
 * <pre>
 *   ['@' tag *(';' tag) SP] [':' source SP] command *(SP middle) [SP ':' trailing]   (CR LF by the transport)
 *    tag      = ['+'] key ['=' escaped-value]        escapes: \: ;  \s SP  \\ \  \r CR  \n LF
 *    |&lt;- tags: at most 8191 bytes from the server, 4094 of client tags -&gt;|
 *                     |&lt;- source, command, params: at most 510 bytes (512 with CR LF) -&gt;|
 * </pre>
 *
 * <p>{@link #parse} refuses what a server must not act on: an overlong message or tag section
 * (417 ERR_INPUTTOOLONG), a NUL, CR or LF inside the line, no command. {@link #format} refuses
 * to build a line another client would split differently: CR, LF or NUL anywhere, a middle
 * parameter that is empty, holds a space or starts with ':'.
 */
public final class IrcCodec {
    /** Bytes of source, command and parameters, without CR LF (RFC 1459 2.3: 512 with CR LF). */
    public static final int MAX_MESSAGE_BYTES = 510;
    /** Bytes of the client's tag section including '@' (IRCv3 message-tags: 4094). */
    public static final int MAX_CLIENT_TAG_BYTES = 4094;
    /** Bytes of the whole tag section including '@' and the space (IRCv3 message-tags: 8191). */
    public static final int MAX_TAG_BYTES = 8191;
    /** Most parameters in a message (RFC 2812 2.3: 15). */
    public static final int MAX_PARAMS = 15;
    /** A command word or a numeric (compiled once: {@code String.matches} compiled it for every line). */
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z]{1,32}|[0-9]{3}");
    /** A tag key: optional client-only {@code +}, optional vendor, then the name. */
    private static final Pattern TAG_KEY = Pattern.compile("\\+?([A-Za-z0-9.-]+/)?[A-Za-z0-9-]+");

    private IrcCodec() {}

    /** Parses one line received from a client, without its CR LF. */
    public static IrcMessage parse(String line) {
        int pos = 0;
        Map<String, String> tags = Map.of();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                throw new IrcException(Numeric.ERR_UNKNOWNCOMMAND, List.of("*"),
                        String.format("Control character 0x%02x in line at offset 0x%04x", (int) c, i));
            }
        }
        if (line.startsWith("@")) {
            int space = line.indexOf(' ');
            String section = space < 0 ? line : line.substring(0, space);
            if (utf8Length(section) > MAX_CLIENT_TAG_BYTES) {
                throw new IrcException(Numeric.ERR_INPUTTOOLONG, List.of(), "Input line was too long (tags)");
            }
            tags = parseTags(section.substring(1));
            pos = space < 0 ? line.length() : space;
        }
        pos = skipSpaces(line, pos);
        if (utf8Length(line.substring(pos)) > MAX_MESSAGE_BYTES) {
            throw new IrcException(Numeric.ERR_INPUTTOOLONG, List.of(), "Input line was too long");
        }
        Optional<String> source = Optional.empty();
        if (line.startsWith(":", pos)) {
            int space = line.indexOf(' ', pos);
            if (space < 0) {
                throw new IrcException(Numeric.ERR_UNKNOWNCOMMAND, List.of("*"), "Source without a command");
            }
            source = Optional.of(line.substring(pos + 1, space));
            pos = skipSpaces(line, space);
        }
        int end = line.indexOf(' ', pos);
        String command = (end < 0 ? line.substring(pos) : line.substring(pos, end));
        if (command.isEmpty()) {
            throw new IrcException(Numeric.ERR_UNKNOWNCOMMAND, List.of("*"), "No command");
        }
        if (!COMMAND.matcher(command).matches()) {
            throw new IrcException(Numeric.ERR_UNKNOWNCOMMAND, List.of(printable(command)), "Unknown command");
        }
        List<String> params = new ArrayList<>();
        pos = end < 0 ? line.length() : end;
        while (pos < line.length()) {
            pos = skipSpaces(line, pos);
            if (pos >= line.length()) {
                break;
            }
            if (line.charAt(pos) == ':' || params.size() == MAX_PARAMS - 1) {
                params.add(line.substring(line.charAt(pos) == ':' ? pos + 1 : pos));
                break;
            }
            int next = line.indexOf(' ', pos);
            params.add(next < 0 ? line.substring(pos) : line.substring(pos, next));
            pos = next < 0 ? line.length() : next;
        }
        return new IrcMessage(tags, source, command.toUpperCase(java.util.Locale.ROOT), params);
    }

    private static Map<String, String> parseTags(String section) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : section.split(";", -1)) {
            if (tag.isEmpty()) {
                continue;
            }
            int eq = tag.indexOf('=');
            String key = eq < 0 ? tag : tag.substring(0, eq);
            if (!TAG_KEY.matcher(key).matches()) {
                throw new IrcException(Numeric.ERR_UNKNOWNCOMMAND, List.of("*"), "Malformed tag key '" + printable(key) + "'");
            }
            tags.put(key, eq < 0 ? "" : unescape(tag.substring(eq + 1)));
        }
        return tags;
    }

    /** The wire form of {@code m}, without CR LF. */
    public static String format(IrcMessage m) {
        var out = new StringBuilder(128);
        if (!m.tags().isEmpty()) {
            out.append('@');
            boolean first = true;
            for (var e : m.tags().entrySet()) {
                if (!first) {
                    out.append(';');
                }
                first = false;
                requireClean(e.getKey(), "tag key");
                out.append(e.getKey());
                if (!e.getValue().isEmpty()) {
                    out.append('=').append(escape(e.getValue()));
                }
            }
            out.append(' ');
        }
        m.source().ifPresent(s -> {
            requireMiddle(s, "source");
            out.append(':').append(s).append(' ');
        });
        requireMiddle(m.command(), "command");
        out.append(m.command());
        List<String> params = m.params();
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            out.append(' ');
            if (i == params.size() - 1 && (p.isEmpty() || p.indexOf(' ') >= 0 || p.startsWith(":") || i >= textIndex(m.command()))) {
                requireClean(p, "trailing parameter");
                out.append(':').append(p);
            } else {
                requireMiddle(p, "parameter");
                out.append(p);
            }
        }
        return out.toString();
    }

    /**
     * Where a command's free text (a message, a reason, a reply's description, a list) sits: a
     * last parameter at or past it is always written as trailing, one word or not, as ircds do.
     * Simple clients (ii, sic) read the text from the first ':' after the source: they showed
     * "PRIVMSG #c hi" as an empty message, ii dropped "NICK new", and "PING irc.test" was
     * answered "PONG (null)" by ii and "PONG " by sic. JOIN and MODE keep the middle form, where
     * such clients look for their names (as Solanum writes them).
     */
    private static int textIndex(String command) {
        if (command.length() == 3 && Character.isDigit(command.charAt(0))) {
            return 1; // numerics: after the client's nick
        }
        return switch (command) {
            case "QUIT", "AWAY", "ERROR", "NICK", "PING" -> 0;
            case "PRIVMSG", "NOTICE", "PART", "TOPIC", "INVITE", "PONG" -> 1;
            case "KICK", "CAP", "FAIL", "WARN", "NOTE" -> 2;
            default -> Integer.MAX_VALUE;
        };
    }

    /** IRCv3 tag value escaping. */
    public static String escape(String value) {
        var out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case ';' -> out.append("\\:");
                case ' ' -> out.append("\\s");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** IRCv3 tag value unescaping: unknown escapes drop the backslash, a trailing one is dropped. */
    public static String unescape(String value) {
        var out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == value.length()) {
                break;
            }
            char e = value.charAt(i);
            out.append(switch (e) {
                case ':' -> ';';
                case 's' -> ' ';
                case 'r' -> '\r';
                case 'n' -> '\n';
                default -> e;
            });
        }
        return out.toString();
    }

    /** UTF-8 length of {@code s} in bytes. */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static void requireMiddle(String p, String what) {
        if (p.isEmpty() || p.indexOf(' ') >= 0 || p.startsWith(":")) {
            throw new IllegalArgumentException(what + " '" + printable(p) + "' cannot be a middle parameter");
        }
        requireClean(p, what);
    }

    private static void requireClean(String p, String what) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(String.format("%s holds control character 0x%02x", what, (int) c));
            }
        }
    }

    private static int skipSpaces(String line, int pos) {
        while (pos < line.length() && line.charAt(pos) == ' ') {
            pos++;
        }
        return pos;
    }

    private static String printable(String s) {
        String cut = s.length() > 32 ? s.substring(0, 32) : s;
        return cut.replaceAll("[\\p{Cntrl}\\s]", "?");
    }

    /** The UTF-8 bytes of a formatted line plus CR LF. */
    public static byte[] encodeLine(IrcMessage m) {
        return (format(m) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
