package dev.protokit.chat.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered account as the core sees it: its name (also its protected nick and its native key
 * id), an optional e-mail address for offline notifications, whether it is a server operator,
 * and when it was last seen online. Secrets (the native key, the SCRAM verifier) are not here:
 * they stay in the store and are fetched only to authenticate.
 */
public record Account(String name, Optional<String> email, boolean operator, Instant created,
                      Optional<Instant> lastSeen) {
    public Account {
        Names.requireAccount(Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastSeen, "lastSeen");
        email.ifPresent(Account::requireEmail);
    }

    /** A new account with no last-seen time. */
    public static Account create(String name, Optional<String> email, boolean operator, Instant now) {
        return new Account(name, email, operator, now, Optional.empty());
    }

    /** The folded name, the store's key. */
    public String key() {
        return Names.fold(name);
    }

    /** This account with {@code when} as its last-seen time. */
    public Account seen(Instant when) {
        return new Account(name, email, operator, created, Optional.of(when));
    }

    /** Refuses anything but one plain {@code local@domain} address (no spaces, controls or commas). */
    static void requireEmail(String email) {
        if (email.length() > 254 || !email.matches("[^\\s@,<>\\p{Cntrl}]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")) {
            throw new ChatException(ChatError.INVALID_REQUEST, "e-mail address '" + Names.printable(email) + "'");
        }
    }
}
