package dev.protokit.chat.mail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the SMTP server and how often to mail: the {@code --smtp-*}, {@code --mail-from}
 * and {@code --mail-digest-interval} flags. The password is held as characters, never logged
 * ({@link #toString()} redacts it).
 *
 * @param host           SMTP server name or address
 * @param port           its port (25, 587 for STARTTLS, 465 for implicit TLS)
 * @param security       how the connection is protected
 * @param user           the login, if the server wants one
 * @param password       its password (from {@code --smtp-password-file})
 * @param from           the envelope and header sender, {@code chat@example.org}
 * @param serverName     the chat server's name, for subjects and texts
 * @param digestInterval an account gets at most one digest per interval
 * @param timeout        connect, read and write timeout for each SMTP exchange
 */
public record MailSettings(String host, int port, SmtpSecurity security, Optional<String> user,
                           Optional<char[]> password, String from, String serverName, Duration digestInterval,
                           Duration timeout) {
    /** How the SMTP connection is protected. */
    public enum SmtpSecurity {
        /** Plain connection upgraded with STARTTLS, which is required (RFC 3207). */
        STARTTLS,
        /** TLS from the first byte (RFC 8314 "implicit TLS", port 465). */
        IMPLICIT,
        /** No TLS: only for a relay on loopback or a trusted network. */
        NONE
    }

    public MailSettings {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--smtp-port must be 1..65535, got " + port);
        }
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(user, "user");
        password = Objects.requireNonNull(password, "password").map(char[]::clone);
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("--smtp-user and --smtp-password-file go together");
        }
        if (!from.matches("[^\\s@<>,\\p{Cntrl}]+@[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("--mail-from must be one plain address local@domain, got " + from);
        }
        Objects.requireNonNull(serverName, "serverName");
        if (!digestInterval.isPositive() || !timeout.isPositive()) {
            throw new IllegalArgumentException("the digest interval and the SMTP timeout must be positive");
        }
    }

    /** A copy of the password; the caller wipes it. */
    @Override
    public Optional<char[]> password() {
        return password.map(char[]::clone);
    }

    /** Overwrites the password held here. */
    public void wipe() {
        password.ifPresent(p -> Arrays.fill(p, '\0'));
    }

    @Override
    public String toString() {
        return "MailSettings[" + security + " " + host + ":" + port + user.map(u -> " user " + u).orElse("")
                + " from " + from + " every " + digestInterval + "]";
    }
}
