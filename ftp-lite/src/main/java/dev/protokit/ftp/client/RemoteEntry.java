package dev.protokit.ftp.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One name in a remote directory listing. {@code modified} is present only when the server
 * gave an exact UTC time (MLSD, RFC 3659 section 7), never a guess from LIST's local format.
 */
record RemoteEntry(String name, Kind kind, OptionalLong size, Optional<Instant> modified) {
    enum Kind { FILE, DIRECTORY, LINK, OTHER }

    RemoteEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(modified, "modified");
    }

    /**
     * True if {@code name} is one plain file name, safe to join to a local directory: a hostile
     * server must not be able to send {@code ../../.bashrc} or {@code /etc/passwd} in a listing.
     */
    static boolean isSafeName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
