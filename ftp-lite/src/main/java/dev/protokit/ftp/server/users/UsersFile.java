package dev.protokit.ftp.server.users;

import dev.protokit.common.daemon.PrivateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The users file: one user per line, {@code #} comments and blank lines kept as written.
 *
 * <pre>
 *  # name : PHC hash                                    : home        : mode : bytes/s (optional)
 *  alice:$argon2id$v=19$m=19456,t=2,p=1$c2FsdA...$aGFzaA...:/srv/ftp/alice:rw
 *  bob:$argon2id$v=19$m=19456,t=2,p=1$b3RoZXI...$b3V0...:bob:ro:1048576
 * </pre>
 *
 * <p>A relative home is taken under the server's root. The home may not contain {@code :}.
 * The file must be readable by its owner only (0600 or 0400), since the hashes are an offline
 * guessing target; {@link #load} refuses it otherwise. Rewrites go to a 0600 temporary file in
 * the same directory, then an atomic rename, so a server never reads a half-written file.
 */
public final class UsersFile {
    private static final long MAX_FILE_BYTES = 16 << 20;
    private static final String HEADER = "# ftp-lite users: name:argon2id-PHC-hash:home:rw|ro[:bytes-per-second]\n"
            + "# Edit with: ftp-lite-server user add|remove|list --users FILE. Keep mode 0600.\n";

    /** A line: a comment or blank kept verbatim, or a user. */
    private sealed interface Line permits Text, User {}

    private record Text(String text) implements Line {}

    private record User(UserEntry entry) implements Line {}

    private final List<Line> lines;

    private UsersFile(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    /** A new file holding only the explanatory header. */
    public static UsersFile empty() {
        return parse(HEADER, "(new)");
    }

    /** Checks the mode of {@code file}, then reads and parses it. */
    public static UsersFile load(Path file) {
        checkPermissions(file);
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UsersFileException("users file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UsersFileException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code content}; {@code source} names it in error messages. Duplicate names are refused. */
    public static UsersFile parse(String content, String source) {
        List<Line> lines = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        String[] raw = content.split("\n", -1);
        int count = content.endsWith("\n") ? raw.length - 1 : raw.length;
        for (int i = 0; i < count; i++) {
            String text = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
            String trimmed = text.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                lines.add(new Text(text));
                continue;
            }
            String where = "users file " + source + " line " + (i + 1);
            UserEntry entry;
            try {
                entry = parseEntry(trimmed);
            } catch (IllegalArgumentException e) {
                throw new UsersFileException(where + ": " + e.getMessage(), e);
            }
            if (!names.add(entry.name())) {
                throw new UsersFileException(where + ": user " + entry.name() + " appears twice");
            }
            lines.add(new User(entry));
        }
        return new UsersFile(lines);
    }

    private static UserEntry parseEntry(String line) {
        String[] f = line.split(":", -1);
        if (f.length != 4 && f.length != 5) {
            throw new IllegalArgumentException("expected name:hash:home:rw|ro[:bytes-per-second], found " + f.length + " fields");
        }
        boolean canWrite = switch (f[3]) {
            case "rw" -> true;
            case "ro" -> false;
            default -> throw new IllegalArgumentException("mode must be rw or ro, not '" + f[3] + "'");
        };
        if (f[2].isEmpty()) {
            throw new IllegalArgumentException("home directory is empty");
        }
        OptionalLong rate = OptionalLong.empty();
        if (f.length == 5) {
            try {
                rate = OptionalLong.of(Long.parseLong(f[4]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bytes-per-second must be a whole number, not '" + f[4] + "'", e);
            }
        }
        return new UserEntry(new FtpUser(f[0], Path.of(f[2]), canWrite, rate), PhcHash.parse(f[1]));
    }

    /** The users, in file order. */
    public List<UserEntry> entries() {
        return lines.stream().flatMap(l -> l instanceof User u ? java.util.stream.Stream.of(u.entry()) : java.util.stream.Stream.empty()).toList();
    }

    public Optional<UserEntry> find(String name) {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** This file with {@code entry} replacing the user of the same name in place, or appended. */
    public UsersFile with(UserEntry entry) {
        Objects.requireNonNull(entry, "entry");
        List<Line> copy = new ArrayList<>(lines);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) instanceof User u && u.entry().name().equals(entry.name())) {
                copy.set(i, new User(entry));
                return new UsersFile(copy);
            }
        }
        copy.add(new User(entry));
        return new UsersFile(copy);
    }

    /** This file without user {@code name} (unchanged if absent). */
    public UsersFile without(String name) {
        return new UsersFile(lines.stream().filter(l -> !(l instanceof User u && u.entry().name().equals(name))).toList());
    }

    /** The file's text: comments verbatim, users in the documented format, LF line ends. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            switch (line) {
                case Text t -> out.append(t.text());
                case User u -> out.append(formatEntry(u.entry()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String formatEntry(UserEntry entry) {
        FtpUser user = entry.user();
        String home = user.home().toString();
        if (home.indexOf(':') >= 0 || home.indexOf('\n') >= 0 || home.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("home directory may not contain ':' or a line break: " + home);
        }
        String line = user.name() + ":" + entry.hash().format() + ":" + home + ":" + (user.canWrite() ? "rw" : "ro");
        return user.bytesPerSecond().isPresent() ? line + ":" + user.bytesPerSecond().getAsLong() : line;
    }

    /** Writes this file to {@code file} through a 0600 temporary file and an atomic rename. */
    public void write(Path file) {
        UsersFileWriter.replace(file, format());
    }

    /** Refuses {@code file} unless only its owner may access it (mode 0600 or 0400). */
    public static void checkPermissions(Path file) {
        Optional<String> problem;
        try {
            problem = PrivateFile.problem(file, "users file");
        } catch (IOException e) {
            throw new UsersFileException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
        problem.ifPresent(why -> {
            throw new UsersFileException(why);
        });
    }
}
