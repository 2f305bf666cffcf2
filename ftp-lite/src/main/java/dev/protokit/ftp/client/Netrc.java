package dev.protokit.ftp.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code .netrc} file as ftp(1) and curl read it: {@code machine NAME login USER password PW},
 * a final {@code default} entry, {@code macdef} bodies skipped up to the next blank line, tokens
 * separated by white space, double quotes around tokens with spaces.
 *
 * <p>Like ftp(1), a netrc that group or others may read is refused rather than used, since its
 * passwords are then no secret.
 */
final class Netrc {
    /** One machine (or the default, with an empty machine name). */
    record Entry(Optional<String> machine, Optional<String> login, Optional<String> password) {}

    private static final long MAX_BYTES = 1 << 20;

    private final List<Entry> entries;

    private Netrc(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads {@code file}, refusing it if group or others have any access. */
    static Netrc load(Path file) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> mode = view.readAttributes().permissions();
                if (mode.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                    throw FtpCliException.local(file + " has mode " + PosixFilePermissions.toString(mode)
                            + "; a netrc must be private: chmod 600 " + file, null);
                }
            }
            if (Files.size(file) > MAX_BYTES) {
                throw FtpCliException.local(file + " is larger than " + MAX_BYTES + " bytes; not a netrc", null);
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw FtpCliException.local("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses netrc text. */
    static Netrc parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Tokens tokens = new Tokens(text);
        Optional<String> machine = Optional.empty();
        Optional<String> login = Optional.empty();
        Optional<String> password = Optional.empty();
        boolean open = false;
        for (Optional<String> t = tokens.next(); t.isPresent(); t = tokens.next()) {
            switch (t.get()) {
                case "machine", "default" -> {
                    if (open) {
                        entries.add(new Entry(machine, login, password));
                    }
                    machine = t.get().equals("machine") ? Optional.of(tokens.next().orElse("")) : Optional.empty();
                    login = Optional.empty();
                    password = Optional.empty();
                    open = true;
                }
                case "login" -> login = tokens.next();
                case "password" -> password = tokens.next();
                case "account" -> tokens.next();
                case "macdef" -> tokens.skipMacro();
                default -> { } // unknown tokens are ignored, as ftp(1) does
            }
        }
        if (open) {
            entries.add(new Entry(machine, login, password));
        }
        return new Netrc(entries);
    }

    /**
     * The entry for {@code host} (and {@code user}, if one was asked for): the first matching
     * {@code machine}, else {@code default}.
     */
    Optional<Entry> find(String host, Optional<String> user) {
        for (Entry e : entries) {
            boolean hostMatches = e.machine().map(m -> m.equalsIgnoreCase(host)).orElse(true);
            boolean userMatches = user.isEmpty() || e.login().isEmpty() || e.login().equals(user);
            if (hostMatches && userMatches) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** White-space separated tokens, with {@code "quoted strings"} and backslash escapes in them. */
    private static final class Tokens {
        private final String text;
        private int at;

        Tokens(String text) {
            this.text = text;
        }

        Optional<String> next() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at >= text.length()) {
                return Optional.empty();
            }
            StringBuilder token = new StringBuilder();
            if (text.charAt(at) == '"') {
                at++;
                while (at < text.length() && text.charAt(at) != '"') {
                    if (text.charAt(at) == '\\' && at + 1 < text.length()) {
                        at++;
                    }
                    token.append(text.charAt(at++));
                }
                at++;
            } else {
                while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
                    token.append(text.charAt(at++));
                }
            }
            return Optional.of(token.toString());
        }

        /** Skips a macro name and its body, which runs to the first empty line. */
        void skipMacro() {
            next();
            int end = text.indexOf("\n\n", at);
            at = end < 0 ? text.length() : end + 2;
        }
    }
}
