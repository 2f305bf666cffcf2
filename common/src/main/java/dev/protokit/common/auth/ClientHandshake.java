package dev.protokit.common.auth;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The client side of the handshake as a pure state machine over message bodies: no sockets,
 * no clocks. {@link ClientAuthenticator} drives it over a connection.
 *
 * <pre>
 *  hello() -> T1 body     onChallenge(T2 body) -> T3 body     onServerProof(T4 body) -> keys
 * </pre>
 *
 * <p>The client proves itself first, so a server never hands its MAC to a stranger; it then
 * checks the server's MAC, so a fake server that does not hold the key is caught too. Any
 * failure leaves the machine failed: each instance runs one handshake at most.
 */
public final class ClientHandshake {
    private enum State { START, AWAIT_CHALLENGE, AWAIT_SERVER_PROOF, DONE, FAILED }

    private final SharedKey key;
    private final SecureRandom random;
    private final Transcript transcript = new Transcript();
    private State state = State.START;
    private Bytes32 clientNonce;
    private Bytes32 serverNonce;

    /** A handshake that will authenticate with {@code key}, drawing its nonce from {@code random}. */
    public ClientHandshake(SharedKey key, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** T1: the body of the client-hello, naming the key and carrying a fresh nonce. */
    public byte[] hello() {
        expect(State.START);
        clientNonce = HandshakeCrypto.nonce(random);
        byte[] body = AuthCodec.encode(new AuthMessage.ClientHello(Protocol.LABEL, key.id(), clientNonce));
        transcript.append(body);
        state = State.AWAIT_CHALLENGE;
        return body;
    }

    /** Takes T2 (the server's challenge) and returns T3, the client's proof. */
    public byte[] onChallenge(byte[] body) {
        expect(State.AWAIT_CHALLENGE);
        return guarded(() -> {
            AuthMessage.ServerChallenge challenge = decode(body, AuthMessage.ServerChallenge.class);
            serverNonce = challenge.nonce();
            if (serverNonce.equals(clientNonce)) {
                // Only a reflecting peer returns our own nonce; a real server draws a fresh one.
                throw new AuthException(AuthError.BAD_MAC, "server-challenge echoes the client's nonce");
            }
            transcript.append(body);
            byte[] proof = AuthCodec.encode(new AuthMessage.ClientProof(transcript.mac(key.secret(), Protocol.Role.CLIENT)));
            transcript.append(proof);
            state = State.AWAIT_SERVER_PROOF;
            return proof;
        });
    }

    /** Takes T4; on a valid server proof returns the session keys, otherwise throws. */
    public SessionKeys onServerProof(byte[] body) {
        expect(State.AWAIT_SERVER_PROOF);
        return guarded(() -> {
            AuthMessage.ServerProof proof = decode(body, AuthMessage.ServerProof.class);
            Bytes32 expected = transcript.mac(key.secret(), Protocol.Role.SERVER);
            if (!HandshakeCrypto.macEquals(expected, proof.mac())) {
                throw new AuthException(AuthError.BAD_MAC, "server-proof does not verify: the server does not hold key " + key.id());
            }
            transcript.append(body);
            SessionKeys keys = HandshakeCrypto.sessionKeys(key.secret(), clientNonce, serverNonce, transcript.hash());
            state = State.DONE;
            return keys;
        });
    }

    /** The id of the key this handshake uses. */
    public KeyId keyId() {
        return key.id();
    }

    private <T extends AuthMessage> T decode(byte[] body, Class<T> expected) {
        AuthMessage message = AuthCodec.decode(Objects.requireNonNull(body, "body"));
        if (message instanceof AuthMessage.Failure) {
            throw new AuthException(AuthError.REJECTED, "server refused authentication");
        }
        if (!expected.isInstance(message)) {
            throw new AuthException(AuthError.MALFORMED, "unexpected " + message.type().wire());
        }
        return expected.cast(message);
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
            throw new IllegalStateException("client handshake is " + state + ", not " + wanted);
        }
    }
}
