package dev.protokit.common.auth;

import java.util.Objects;

/**
 * A handshake that succeeded: which key both sides proved they hold, and the session keys
 * derived from it. The caller owns the keys and should {@link SessionKeys#destroy()} them
 * when the session ends.
 */
public record Authenticated(KeyId keyId, SessionKeys keys) {
    public Authenticated {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keys, "keys");
    }
}
