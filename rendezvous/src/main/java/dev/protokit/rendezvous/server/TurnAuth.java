package dev.protokit.rendezvous.server;

import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.PasswordAlgorithm;
import dev.protokit.rendezvous.stun.RestCredentials;
import dev.protokit.rendezvous.stun.StunAttribute.Nonce;
import dev.protokit.rendezvous.stun.StunAttribute.Realm;
import dev.protokit.rendezvous.stun.StunAttribute.Username;
import dev.protokit.rendezvous.stun.StunError;
import dev.protokit.rendezvous.stun.StunIntegrity;
import dev.protokit.rendezvous.stun.StunIntegrity.Verification;
import dev.protokit.rendezvous.stun.StunMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN's long-term credential mechanism (RFC 8489 9.2, RFC 8656 section 5) over REST API
 * credentials: stateless nonces (a timestamp and a MAC over it and the client's address, 16
 * characters), the user name's expiry, its password derived from the shared secret, and the
 * MESSAGE-INTEGRITY(-SHA256) check with the MD5 long-term key.
 */
final class TurnAuth {
    /** How long a nonce stays fresh; older ones get 438 Stale Nonce. */
    static final Duration NONCE_LIFETIME = Duration.ofMinutes(10);

    /** The outcome: the key to sign the response with, or the error to answer. */
    sealed interface Result permits Accepted, Refused {}

    /** Authenticated as {@code username}; sign the response with {@code key}. */
    record Accepted(String username, IntegrityKey key) implements Result {}

    /** Answer {@code error}; {@code challenge} says whether REALM and a fresh NONCE go with it. */
    record Refused(StunError error, boolean challenge) implements Result {}

    private final RestCredentials credentials;
    private final String realm;
    private final Clock clock;
    private final byte[] nonceKey = new byte[32];

    TurnAuth(RestCredentials credentials, String realm, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.realm = Objects.requireNonNull(realm, "realm");
        this.clock = Objects.requireNonNull(clock, "clock");
        new SecureRandom().nextBytes(nonceKey);
    }

    String realm() {
        return realm;
    }

    /** A fresh nonce for {@code client}: base64url(4 bytes of seconds, 8 bytes of MAC). */
    String nonce(InetAddress client) {
        int seconds = (int) clock.instant().getEpochSecond();
        ByteBuffer b = ByteBuffer.allocate(12).putInt(seconds).put(mac(seconds, client), 0, 8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** Checks a request's credentials (RFC 8489 9.2.4). */
    Result check(StunMessage request, ByteBuffer raw, InetAddress client) {
        var username = request.attribute(Username.class);
        var requestRealm = request.attribute(Realm.class);
        var nonce = request.attribute(Nonce.class);
        boolean signed = request.has(dev.protokit.rendezvous.stun.StunAttribute.MessageIntegrity.class)
                || request.has(dev.protokit.rendezvous.stun.StunAttribute.MessageIntegritySha256.class);
        if (!signed) {
            return new Refused(StunError.UNAUTHENTICATED, true);
        }
        if (username.isEmpty() || requestRealm.isEmpty() || nonce.isEmpty()) {
            return new Refused(StunError.BAD_REQUEST, false);
        }
        if (!fresh(nonce.get().text(), client)) {
            return new Refused(StunError.STALE_NONCE, true);
        }
        String user = username.get().text();
        var expiry = RestCredentials.expiry(user);
        if (expiry.isEmpty() || expiry.get().isBefore(clock.instant()) || !realm.equals(requestRealm.get().text())) {
            return new Refused(StunError.UNAUTHENTICATED, true);
        }
        IntegrityKey key = IntegrityKey.longTerm(user, realm, credentials.password(user), PasswordAlgorithm.MD5);
        if (StunIntegrity.verify(raw, key) != Verification.VALID) {
            key.wipe();
            return new Refused(StunError.UNAUTHENTICATED, true);
        }
        return new Accepted(user, key);
    }

    private boolean fresh(String nonce, InetAddress client) {
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (b.length != 12) {
            return false;
        }
        int seconds = ByteBuffer.wrap(b).getInt();
        byte[] expected = java.util.Arrays.copyOf(mac(seconds, client), 8);
        long age = clock.instant().getEpochSecond() - Integer.toUnsignedLong(seconds);
        return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(b, 4, 12))
                && age >= 0 && age <= NONCE_LIFETIME.toSeconds();
    }

    private byte[] mac(int seconds, InetAddress client) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(4).putInt(seconds).array());
            return mac.doFinal(client.getAddress());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
