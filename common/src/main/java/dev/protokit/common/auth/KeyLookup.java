package dev.protokit.common.auth;

import java.util.Optional;

/**
 * Where a server finds the key a client names in its hello: a fixed {@link KeyRing} loaded from
 * a key file, or a live source such as a chat server's account store, where accounts come and go
 * while the server runs. Must be safe to call from many connection threads at once; a lookup
 * that fails for an unknown id is answered exactly like a wrong MAC.
 */
@FunctionalInterface
public interface KeyLookup {
    /** The key named {@code id}, if there is one now. */
    Optional<SharedKey> find(KeyId id);
}
