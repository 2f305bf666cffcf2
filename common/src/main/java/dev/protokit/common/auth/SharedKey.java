package dev.protokit.common.auth;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * One pre-shared 256-bit secret and the public id that names it. The secret never appears in
 * {@code toString}, logs or exception messages; {@link #destroy()} overwrites it.
 */
public final class SharedKey implements Destroyable {
    private final KeyId id;
    private final byte[] secret;
    private volatile boolean destroyed;

    /** Copies {@code secret}, which must be exactly {@value Protocol#KEY_BYTES} bytes. */
    public SharedKey(KeyId id, byte[] secret) {
        this.id = Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        if (secret.length != Protocol.KEY_BYTES) {
            throw new IllegalArgumentException("key " + id + " must be " + Protocol.KEY_BYTES
                    + " bytes (256 random bits), got " + secret.length);
        }
        this.secret = secret.clone();
    }

    /** The public name of this key. */
    public KeyId id() {
        return id;
    }

    /** The secret itself, for the handshake; callers must not keep or log it. */
    byte[] secret() {
        if (destroyed) {
            throw new IllegalStateException("key " + id + " was destroyed");
        }
        return secret;
    }

    /** A copy of the secret, for writing a key file; the caller wipes it. */
    public byte[] copySecret() {
        return secret().clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SharedKey[id=" + id + ", secret=<redacted>]";
    }
}
