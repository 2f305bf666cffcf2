package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.stun.RestCredentials;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Another TURN server to relay through (coturn, say) instead of the one the rendezvous server
 * offers, with the shared secret of the REST credential scheme: this peer mints its own
 * short-lived credential ({@code expiry:user}, base64 HMAC-SHA1) as the server would.
 *
 * @param server the TURN server
 * @param user   the name part of the user name
 * @param secret the shared secret (the file's bytes); wiped by {@link #credential}'s caller via {@link #wipe}
 */
record RelayConfig(InetSocketAddress server, String user, byte[] secret) {
    private static final Duration VALIDITY = Duration.ofHours(2);

    RelayConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        secret = secret.clone();
    }

    /** A fresh credential valid for two hours. */
    RestCredentials.Credential credential() {
        return new RestCredentials(secret).mint(user, Instant.now().plus(VALIDITY));
    }

    void wipe() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
        return "RelayConfig[server=" + server + ", user=" + user + ", secret=(hidden)]";
    }
}
