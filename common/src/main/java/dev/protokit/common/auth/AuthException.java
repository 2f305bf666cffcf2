package dev.protokit.common.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The one unchecked exception of the authentication handshake, carrying why it failed and,
 * when the client got as far as naming one, the key id it claimed.
 *
 * <p>The {@link AuthError} and message are for logs and the local caller; the peer only ever
 * sees the generic {@code failure} message. Messages never contain key material.
 */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final AuthError error;
    private final String detail;
    private final transient KeyId keyId;

    /** A failure without an underlying cause. */
    public AuthException(AuthError error, String detail) {
        this(error, detail, null, null);
    }

    /** A failure caused by {@code cause}, which is kept. */
    public AuthException(AuthError error, String detail, Throwable cause) {
        this(error, detail, cause, null);
    }

    private AuthException(AuthError error, String detail, Throwable cause, KeyId keyId) {
        super(Objects.requireNonNull(error, "error") + " " + Objects.requireNonNull(detail, "detail"), cause);
        this.error = error;
        this.detail = detail;
        this.keyId = keyId;
    }

    /** Why the handshake failed. */
    public AuthError error() {
        return error;
    }

    /** The key id the client claimed, if it got that far (known to the server or not). */
    public Optional<KeyId> keyId() {
        return Optional.ofNullable(keyId);
    }

    /** This failure, annotated with the key id the client claimed; keeps the cause. */
    public AuthException withKeyId(KeyId claimed) {
        AuthException copy = new AuthException(error, detail, getCause(), Objects.requireNonNull(claimed, "claimed"));
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
