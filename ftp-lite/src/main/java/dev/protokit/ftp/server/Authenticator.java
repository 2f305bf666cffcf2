package dev.protokit.ftp.server;

import dev.protokit.ftp.server.users.FtpUser;
import java.util.Optional;

/**
 * Checks a virtual user's password. The users file ({@code UserDirectory}) is the production
 * implementation; tests pass lambdas so they need no Argon2 work.
 */
@FunctionalInterface
public interface Authenticator {
    /** Knows no users: every password is wrong. */
    Authenticator NONE = (name, password) -> Optional.empty();

    /**
     * The user if {@code password} is right for {@code name}. Must take about as long for an
     * unknown name as for a wrong password, so timing does not reveal which names exist.
     */
    Optional<FtpUser> authenticate(String name, char[] password);
}
