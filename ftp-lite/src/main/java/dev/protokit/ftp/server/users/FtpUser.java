package dev.protokit.ftp.server.users;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A user who has logged in: what the server needs to run the session, and nothing secret.
 *
 * @param name           the login name, 1-64 characters of {@code A-Z a-z 0-9 . _ -}, not starting with {@code -}
 * @param home           the home directory as written in the users file; absolute, or relative
 *                       to the server's root (see {@link #resolveHome})
 * @param canWrite       whether STOR, APPE, DELE, MKD, RMD and RNFR/RNTO are allowed
 * @param bytesPerSecond a per-session transfer rate limit, if any
 */
public record FtpUser(String name, Path home, boolean canWrite, OptionalLong bytesPerSecond) {
    public FtpUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(bytesPerSecond, "bytesPerSecond");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("user name must be 1-64 characters of A-Z a-z 0-9 . _ - and not start with -: " + name);
        }
        if (bytesPerSecond.isPresent() && bytesPerSecond.getAsLong() < 1) {
            throw new IllegalArgumentException("bytes per second must be positive: " + bytesPerSecond.getAsLong());
        }
    }

    /** The home directory as an absolute, normalised path: a relative home is taken under {@code root}. */
    public Path resolveHome(Path root) {
        return root.toAbsolutePath().resolve(home).normalize();
    }

    /** True for names this package accepts: short, plain ASCII, safe in logs and in the file format. */
    public static boolean isValidName(String name) {
        if (name.isEmpty() || name.length() > 64 || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
