package dev.protokit.common.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.Destroyable;

/**
 * The shared keys a side may use, by id, in file order; several keys let an operator rotate:
 * add the new key on the server, move clients over, then remove the old one.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class KeyRing implements KeyLookup, Destroyable {
    private final Map<KeyId, SharedKey> keys;
    private volatile boolean destroyed;

    /** A ring of {@code keys} (at least one, ids unique), in the order given. */
    public KeyRing(List<SharedKey> keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key");
        }
        Map<KeyId, SharedKey> byId = new LinkedHashMap<>();
        for (SharedKey key : keys) {
            if (byId.put(key.id(), key) != null) {
                throw new IllegalArgumentException("duplicate key id " + key.id());
            }
        }
        this.keys = Collections.unmodifiableMap(byId);
    }

    /** The key named {@code id}, if this ring has it. */
    @Override
    public Optional<SharedKey> find(KeyId id) {
        return Optional.ofNullable(keys.get(Objects.requireNonNull(id, "id")));
    }

    /** The first key in file order: a client's default. */
    public SharedKey first() {
        return keys.values().iterator().next();
    }

    /** The ids in file order (public; safe to log). */
    public List<KeyId> ids() {
        return List.copyOf(keys.keySet());
    }

    /** Number of keys. */
    public int size() {
        return keys.size();
    }

    /** Overwrites every secret in the ring. */
    @Override
    public void destroy() {
        destroyed = true;
        keys.values().forEach(SharedKey::destroy);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "KeyRing" + keys.keySet();
    }
}
