package dev.protokit.ftp.server.users;

import java.util.Objects;

/** One line of a users file: the user and their password hash. */
public record UserEntry(FtpUser user, PhcHash hash) {
    public UserEntry {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(hash, "hash");
    }

    public String name() {
        return user.name();
    }
}
