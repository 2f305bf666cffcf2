package dev.protokit.rendezvous.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest,
 * as coturn's {@code use-auth-secret} implements it): the user name is {@code expiry:name} with
 * the expiry in Unix seconds, the password {@code base64(HMAC-SHA1(secret, username))}. Whoever
 * holds the secret (this server, a web service) can mint credentials; the TURN server checks
 * them with no per-user state. Pure: the caller supplies the time.
 */
public final class RestCredentials {
    private final byte[] secret;

    /** Credentials keyed by {@code secret} (the bytes of the shared secret file, trimmed). */
    public RestCredentials(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the relay secret is empty");
        }
        this.secret = secret.clone();
    }

    /** A user name and its password. */
    public record Credential(String username, String password) {
        /** Requires both. */
        public Credential {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=(hidden)]";
        }
    }

    /** Mints a credential for {@code name} valid until {@code expiry}. */
    public Credential mint(String name, Instant expiry) {
        if (name.contains(":")) {
            throw new IllegalArgumentException("name must not contain ':'");
        }
        String username = expiry.getEpochSecond() + ":" + name;
        return new Credential(username, password(username));
    }

    /** The password of {@code username}: base64(HMAC-SHA1(secret, username)). */
    public String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA1", e);
        }
    }

    /**
     * The expiry of a REST user name ({@code 1735689600:alice}, or just {@code 1735689600}), or
     * empty when it does not start with a number of seconds.
     */
    public static Optional<Instant> expiry(String username) {
        int colon = username.indexOf(':');
        String seconds = colon < 0 ? username : username.substring(0, colon);
        if (seconds.isEmpty() || seconds.length() > 12 || !seconds.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(seconds)));
    }

    /** Whether {@code password} is right for {@code username}, compared in constant time. */
    public boolean check(String username, String password) {
        return MessageDigest.isEqual(password(username).getBytes(StandardCharsets.US_ASCII),
                password.getBytes(StandardCharsets.UTF_8));
    }
}
