package dev.protokit.auth;

import dev.protokit.common.auth.KeyFileWriter;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.auth.SharedKey;
import java.security.SecureRandom;
import java.util.List;

/** Fresh random keys for a test. */
final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    static SharedKey key(String id) {
        return KeyFileWriter.generate(new KeyId(id), RANDOM);
    }

    static KeyRing ring(SharedKey... keys) {
        return new KeyRing(List.of(keys));
    }
}
