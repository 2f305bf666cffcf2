package dev.protokit.tftp.server;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * File-name rewriting rules read from a {@code --remap FILE}, a readable subset of tftpd-hpa's
 * {@code -m} rules file. One rule per line, {@code FLAGS REGEX [REPLACEMENT]}, separated by
 * blanks; {@code #} starts a comment. Rules run in order, each on the previous one's output,
 * and the final name still goes through {@link RootJail}, so no rule can open a way out.
 *
 * <pre>
 *   r   REGEX REPL  replace the first match ("\0" is the whole match, "\1".."\9" groups, "\\" a backslash)
 *   g               with r: replace every match
 *   i               the regex ignores case
 *   e               stop after this rule if it matched
 *   a               refuse the request (ACCESS_VIOLATION) if it matched
 *   G / P           the rule applies to reads (GET) / writes (PUT) only
 * </pre>
 *
 * Not supported, and refused when the file is loaded: tftpd-hpa's {@code s} (start over),
 * {@code ~} (invert), and the {@code \i \x \U \L \E} escapes. Regexes are Java's, which accept
 * the POSIX extended syntax tftpd-hpa uses apart from bracket classes like {@code [[:alpha:]]}
 * (write {@code \p{Alpha}}).
 */
public final class RemapRules {
    /** Longest name a rule may produce; past it the request is refused. */
    static final int MAX_OUTPUT = 4 * RootJail.MAX_NAME_LENGTH;
    private static final Pattern BACKREF = Pattern.compile("\\\\(.)");

    private final List<Rule> rules;

    private RemapRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** No rules: names pass unchanged. */
    public static RemapRules none() {
        return new RemapRules(List.of());
    }

    /** Reads a rules file; a bad line fails with its line number. */
    public static RemapRules load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Parses rules lines; throws IllegalArgumentException naming the first bad line. */
    public static RemapRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                rules.add(Rule.parse(text.split("\\s+")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("remap line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new RemapRules(rules);
    }

    /** Number of rules. */
    public int size() {
        return rules.size();
    }

    /**
     * The name after every rule that applies to {@code direction}.
     *
     * @throws TftpException ACCESS_VIOLATION when an {@code a} rule matches or the name grows too long
     */
    public String apply(String name, Direction direction) {
        Objects.requireNonNull(direction, "direction");
        String current = Objects.requireNonNull(name, "name");
        for (Rule rule : rules) {
            if (rule.only != null && rule.only != direction) {
                continue;
            }
            Matcher m = rule.regex.matcher(current);
            if (!m.find()) {
                continue;
            }
            if (rule.abort) {
                throw new TftpException(ErrorCode.ACCESS_VIOLATION,
                        "ACCESS_VIOLATION refused by remap rule /" + rule.regex.pattern() + "/ " + RootJail.quote(name));
            }
            if (rule.replacement != null) {
                m.reset();
                current = rule.global ? m.replaceAll(rule.replacement) : m.replaceFirst(rule.replacement);
                if (current.length() > MAX_OUTPUT) {
                    throw new TftpException(ErrorCode.ACCESS_VIOLATION,
                            "ACCESS_VIOLATION remapped name too long " + RootJail.quote(name));
                }
            }
            if (rule.end) {
                break;
            }
        }
        return current;
    }

    private record Rule(Pattern regex, String replacement, boolean global, boolean end, boolean abort, Direction only) {
        static Rule parse(String[] fields) {
            String flags = fields[0];
            boolean replace = false, global = false, ignoreCase = false, end = false, abort = false;
            Direction only = null;
            for (char f : flags.toCharArray()) {
                switch (f) {
                    case 'r' -> replace = true;
                    case 'g' -> global = true;
                    case 'i' -> ignoreCase = true;
                    case 'e' -> end = true;
                    case 'a' -> abort = true;
                    case 'G' -> only = Direction.GET;
                    case 'P' -> only = Direction.PUT;
                    default -> throw new IllegalArgumentException("unsupported flag '" + f + "' in '" + flags + "'");
                }
            }
            int expected = replace ? 3 : 2;
            if (fields.length != expected) {
                throw new IllegalArgumentException("'" + flags + "' wants " + expected + " fields, got " + fields.length);
            }
            if (global && !replace) {
                throw new IllegalArgumentException("flag 'g' needs 'r'");
            }
            Pattern regex;
            try {
                regex = Pattern.compile(fields[1], ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regex '" + fields[1] + "': " + e.getDescription(), e);
            }
            String replacement = replace ? javaReplacement(fields[2], regex.matcher("").groupCount()) : null;
            return new Rule(regex, replacement, global, end, abort, only);
        }

        /** tftpd-hpa's {@code \0..\9} and {@code \\} as a Java replacement string. */
        private static String javaReplacement(String text, int groups) {
            StringBuilder out = new StringBuilder();
            Matcher m = BACKREF.matcher(text);
            int last = 0;
            while (m.find()) {
                out.append(Matcher.quoteReplacement(text.substring(last, m.start())));
                char c = m.group(1).charAt(0);
                if (c >= '0' && c <= '9') {
                    if (c - '0' > groups) {
                        throw new IllegalArgumentException("'\\" + c + "' but the regex has " + groups + " groups");
                    }
                    out.append('$').append(c);
                } else if (c == '\\') {
                    out.append("\\\\");
                } else {
                    throw new IllegalArgumentException("unsupported escape '\\" + c + "' in '" + text + "'");
                }
                last = m.end();
            }
            if (text.indexOf('\\', last) >= 0) {
                throw new IllegalArgumentException("trailing backslash in '" + text + "'");
            }
            return out.append(Matcher.quoteReplacement(text.substring(last))).toString();
        }
    }
}
