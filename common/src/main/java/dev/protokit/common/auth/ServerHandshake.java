package dev.protokit.common.auth;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server side of the handshake as a pure state machine over message bodies: no sockets,
 * no clocks. {@link ServerAuthenticator} drives it over a connection and adds the deadline,
 * the generic failure reply and the per-address throttle.
 *
 * <pre>
 *  onHello(T1 body) -> T2 body     onClientProof(T3 body) -> Accepted(key id, T4 body, keys)
 * </pre>
 *
 * <p>An unknown key id is not revealed at T2: the server draws a nonce and answers as usual,
 * then at T3 computes the MAC under a fresh random dummy key and compares it in constant time, so
 * an unknown id and a wrong MAC take the same work and end in the same way.
 */
public final class ServerHandshake {
    private enum State { AWAIT_HELLO, AWAIT_CLIENT_PROOF, DONE, FAILED }

    /** A verified client: its key id, the T4 body to send, and the session keys. */
    public record Accepted(KeyId keyId, byte[] serverProof, SessionKeys keys) {
        public Accepted {
            Objects.requireNonNull(keyId, "keyId");
            serverProof = Objects.requireNonNull(serverProof, "serverProof").clone();
            Objects.requireNonNull(keys, "keys");
        }

        @Override
        public byte[] serverProof() {
            return serverProof.clone();
        }
    }

    private final KeyLookup keys;
    private final SecureRandom random;
    private final Transcript transcript = new Transcript();
    private State state = State.AWAIT_HELLO;
    private KeyId claimedId;
    private SharedKey key;
    private boolean knownKey;
    private Bytes32 clientNonce;
    private Bytes32 serverNonce;

    /** A handshake that accepts any key {@code keys} finds, drawing its nonce from {@code random}. */
    public ServerHandshake(KeyLookup keys, SecureRandom random) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Takes T1 and returns T2, the challenge; the same whether or not the key id is known. */
    public byte[] onHello(byte[] body) {
        expect(State.AWAIT_HELLO);
        return guarded(() -> {
            if (!(AuthCodec.decode(Objects.requireNonNull(body, "body")) instanceof AuthMessage.ClientHello hello)) {
                throw new AuthException(AuthError.MALFORMED, "expected client-hello");
            }
            if (!Protocol.LABEL.equals(hello.protocol())) {
                throw new AuthException(AuthError.UNSUPPORTED_PROTOCOL, "client speaks another protocol");
            }
            claimedId = hello.keyId();
            Optional<SharedKey> found = keys.find(claimedId);
            knownKey = found.isPresent();
            key = found.orElseGet(this::dummyKey);
            clientNonce = hello.nonce();
            serverNonce = HandshakeCrypto.nonce(random);
            transcript.append(body);
            byte[] challenge = AuthCodec.encode(new AuthMessage.ServerChallenge(serverNonce));
            transcript.append(challenge);
            state = State.AWAIT_CLIENT_PROOF;
            return challenge;
        });
    }

    /** Takes T3; if the client's MAC verifies under a known key, returns T4 and the keys. */
    public Accepted onClientProof(byte[] body) {
        expect(State.AWAIT_CLIENT_PROOF);
        return guarded(() -> {
            if (!(AuthCodec.decode(Objects.requireNonNull(body, "body")) instanceof AuthMessage.ClientProof proof)) {
                throw new AuthException(AuthError.MALFORMED, "expected client-proof");
            }
            Bytes32 expected = transcript.mac(key.secret(), Protocol.Role.CLIENT);
            // Non-short-circuit '&': the comparison runs in full for an unknown id too.
            boolean verified = HandshakeCrypto.macEquals(expected, proof.mac()) & knownKey;
            if (!verified) {
                throw knownKey
                        ? new AuthException(AuthError.BAD_MAC, "client-proof does not verify under key " + claimedId)
                        : new AuthException(AuthError.UNKNOWN_KEY_ID, "no key named " + claimedId);
            }
            transcript.append(body);
            byte[] serverProof = AuthCodec.encode(new AuthMessage.ServerProof(transcript.mac(key.secret(), Protocol.Role.SERVER)));
            transcript.append(serverProof);
            SessionKeys keys = HandshakeCrypto.sessionKeys(key.secret(), clientNonce, serverNonce, transcript.hash());
            state = State.DONE;
            return new Accepted(claimedId, serverProof, keys);
        });
    }

    /** A random key to MAC with when the client named an unknown id; never matches a real key. */
    private SharedKey dummyKey() {
        byte[] secret = new byte[Protocol.KEY_BYTES];
        random.nextBytes(secret);
        try {
            return new SharedKey(new KeyId("dummy"), secret);
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    /** The key id the client named in its hello, once received (known or not; safe to log). */
    public Optional<KeyId> claimedKeyId() {
        return Optional.ofNullable(claimedId);
    }

    /** The body of the one failure message the server ever sends. */
    public static byte[] failure() {
        return AuthCodec.encode(AuthMessage.Failure.GENERIC);
    }

    private <T> T guarded(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private void expect(State wanted) {
        if (state != wanted) {
            throw new IllegalStateException("server handshake is " + state + ", not " + wanted);
        }
    }
}
