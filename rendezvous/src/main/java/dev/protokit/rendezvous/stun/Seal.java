package dev.protokit.rendezvous.stun;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link StunCodec} appends after a message's attributes: MESSAGE-INTEGRITY (HMAC-SHA1)
 * and/or MESSAGE-INTEGRITY-SHA256 keyed with {@code key}, then FINGERPRINT (RFC 8489 14.5-14.7).
 *
 * @param key         the integrity key; empty for no integrity attribute
 * @param sha1        whether to add MESSAGE-INTEGRITY (needs a key)
 * @param sha256      whether to add MESSAGE-INTEGRITY-SHA256 (needs a key)
 * @param fingerprint whether to add FINGERPRINT last
 */
public record Seal(Optional<IntegrityKey> key, boolean sha1, boolean sha256, boolean fingerprint) {
    /** Nothing appended. */
    public static final Seal NONE = new Seal(Optional.empty(), false, false, false);
    /** FINGERPRINT only. */
    public static final Seal FINGERPRINT = new Seal(Optional.empty(), false, false, true);

    /** Requires a key exactly when an integrity attribute is asked for. */
    public Seal {
        Objects.requireNonNull(key, "key");
        if ((sha1 || sha256) != key.isPresent()) {
            throw new IllegalArgumentException("a key is needed exactly when sha1 or sha256 is asked for");
        }
    }

    /** Integrity with {@code key} in the given variants, and optionally FINGERPRINT. */
    public static Seal integrity(IntegrityKey key, boolean sha1, boolean sha256, boolean fingerprint) {
        return new Seal(Optional.of(key), sha1, sha256, fingerprint);
    }

    /** The bytes the seal adds to a message. */
    public int length() {
        return (sha1 ? 24 : 0) + (sha256 ? 36 : 0) + (fingerprint ? 8 : 0);
    }

    /** The same seal without FINGERPRINT (to fit an amplification bound). */
    public Seal withoutFingerprint() {
        return new Seal(key, sha1, sha256, false);
    }
}
