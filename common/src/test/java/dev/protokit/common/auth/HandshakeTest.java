package dev.protokit.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure state machines against each other and against scripted attackers. */
class HandshakeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SharedKey k1 = KeyFileWriter.generate(new KeyId("k1"), RANDOM);
    private final SharedKey k2 = KeyFileWriter.generate(new KeyId("k2"), RANDOM);
    private final KeyRing ring = new KeyRing(List.of(k1, k2));

    /** The four bodies of a completed handshake, and both sides' keys. */
    private record Run(byte[] t1, byte[] t2, byte[] t3, byte[] t4, SessionKeys client, ServerHandshake.Accepted server) {}

    private Run run(SharedKey clientKey) {
        ClientHandshake client = new ClientHandshake(clientKey, RANDOM);
        ServerHandshake server = new ServerHandshake(ring, RANDOM);
        byte[] t1 = client.hello();
        byte[] t2 = server.onHello(t1);
        byte[] t3 = client.onChallenge(t2);
        ServerHandshake.Accepted accepted = server.onClientProof(t3);
        byte[] t4 = accepted.serverProof();
        return new Run(t1, t2, t3, t4, client.onServerProof(t4), accepted);
    }

    @Test
    void goodKeyAuthenticatesBothSidesWithEqualKeys() {
        Run run = run(k2);
        assertEquals(new KeyId("k2"), run.server().keyId());
        assertArrayEquals(run.client().clientToServer(), run.server().keys().clientToServer());
        assertArrayEquals(run.client().serverToClient(), run.server().keys().serverToClient());
    }

    @Test
    void keysDifferPerDirectionAndPerSession() {
        Run first = run(k1);
        Run second = run(k1);
        assertFalse(Arrays.equals(first.client().clientToServer(), first.client().serverToClient()));
        assertFalse(Arrays.equals(first.client().clientToServer(), second.client().clientToServer()));
        assertFalse(Arrays.equals(first.client().serverToClient(), second.client().serverToClient()));
    }

    @Test
    void keysMatchAnIndependentRfc5869Derivation() {
        Run run = run(k1);
        byte[] nc = ((AuthMessage.ClientHello) AuthCodec.decode(run.t1())).nonce().bytes();
        byte[] ns = ((AuthMessage.ServerChallenge) AuthCodec.decode(run.t2())).nonce().bytes();
        byte[] hash = sha256(Rfc5869.concat(frame(run.t1()), frame(run.t2()), frame(run.t3()), frame(run.t4())));
        byte[] prk = Rfc5869.extract(Rfc5869.concat(nc, ns), k1.copySecret());
        byte[] c2s = Rfc5869.expand(prk, Rfc5869.concat(ascii("protokit-auth/1 client->server\0"), hash), 32);
        byte[] s2c = Rfc5869.expand(prk, Rfc5869.concat(ascii("protokit-auth/1 server->client\0"), hash), 32);
        assertArrayEquals(c2s, run.client().clientToServer());
        assertArrayEquals(s2c, run.client().serverToClient());
    }

    @Test
    void macsCoverTheDocumentedLabelAndTranscript() {
        Run run = run(k1);
        byte[] clientMac = Rfc5869.hmac(k1.copySecret(),
                Rfc5869.concat(ascii("protokit-auth/1 client\0"), frame(run.t1()), frame(run.t2())));
        byte[] serverMac = Rfc5869.hmac(k1.copySecret(),
                Rfc5869.concat(ascii("protokit-auth/1 server\0"), frame(run.t1()), frame(run.t2()), frame(run.t3())));
        assertArrayEquals(clientMac, ((AuthMessage.ClientProof) AuthCodec.decode(run.t3())).mac().bytes());
        assertArrayEquals(serverMac, ((AuthMessage.ServerProof) AuthCodec.decode(run.t4())).mac().bytes());
    }

    @Test
    void wrongKeyIsRejectedAsBadMac() {
        SharedKey impostor = KeyFileWriter.generate(new KeyId("k1"), RANDOM);
        AuthException e = assertThrows(AuthException.class, () -> run(impostor));
        assertEquals(AuthError.BAD_MAC, e.error());
    }

    @Test
    void unknownKeyIdGetsAnOrdinaryChallengeThenFails() {
        ClientHandshake client = new ClientHandshake(KeyFileWriter.generate(new KeyId("nobody"), RANDOM), RANDOM);
        ServerHandshake server = new ServerHandshake(ring, RANDOM);
        byte[] challenge = server.onHello(client.hello());
        // Indistinguishable from a known id at this point: same type, same fields, same size.
        assertTrue(AuthCodec.decode(challenge) instanceof AuthMessage.ServerChallenge);
        assertEquals(AuthCodec.encode(new AuthMessage.ServerChallenge(new Bytes32(new byte[32]))).length, challenge.length);
        AuthException e = assertThrows(AuthException.class, () -> server.onClientProof(client.onChallenge(challenge)));
        assertEquals(AuthError.UNKNOWN_KEY_ID, e.error());
        assertEquals(new KeyId("nobody"), server.claimedKeyId().orElseThrow());
    }

    @Test
    void reflectedServerMacIsNotAClientProof() {
        // The attacker holds no key: it relays a real client's handshake to learn a server MAC,
        // then sends that MAC back as its own client proof in a second session.
        Run observed = run(k1);
        ServerHandshake victim = new ServerHandshake(ring, RANDOM);
        victim.onHello(observed.t1());
        byte[] reflected = AuthCodec.encode(new AuthMessage.ClientProof(
                ((AuthMessage.ServerProof) AuthCodec.decode(observed.t4())).mac()));
        assertEquals(AuthError.BAD_MAC, assertThrows(AuthException.class, () -> victim.onClientProof(reflected)).error());
    }

    @Test
    void replayedClientProofFailsInANewSession() {
        Run observed = run(k1);
        ServerHandshake server = new ServerHandshake(ring, RANDOM);
        server.onHello(observed.t1()); // same hello, but the server draws a new nonce
        assertEquals(AuthError.BAD_MAC,
                assertThrows(AuthException.class, () -> server.onClientProof(observed.t3())).error());
    }

    @Test
    void replayedServerTranscriptFailsAtTheClient() {
        Run observed = run(k1);
        ClientHandshake client = new ClientHandshake(k1, RANDOM);
        client.hello(); // a fresh client nonce: the recorded server proof covers the old one
        client.onChallenge(observed.t2());
        AuthException e = assertThrows(AuthException.class, () -> client.onServerProof(observed.t4()));
        assertEquals(AuthError.BAD_MAC, e.error());
    }

    @Test
    void clientRefusesAChallengeThatEchoesItsNonce() {
        ClientHandshake client = new ClientHandshake(k1, RANDOM);
        Bytes32 own = ((AuthMessage.ClientHello) AuthCodec.decode(client.hello())).nonce();
        byte[] echo = AuthCodec.encode(new AuthMessage.ServerChallenge(own));
        assertEquals(AuthError.BAD_MAC, assertThrows(AuthException.class, () -> client.onChallenge(echo)).error());
    }

    @Test
    void tamperingWithTheHelloBreaksTheProof() {
        ClientHandshake client = new ClientHandshake(k1, RANDOM);
        ServerHandshake server = new ServerHandshake(ring, RANDOM);
        String hello = new String(client.hello(), StandardCharsets.UTF_8);
        // A relay reorders the hello's fields: same meaning, different bytes, so different transcript.
        byte[] reordered = hello.replace("{\"type\":\"client-hello\",", "{").replace("}", ",\"type\":\"client-hello\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] challenge = server.onHello(reordered);
        assertEquals(AuthError.BAD_MAC,
                assertThrows(AuthException.class, () -> server.onClientProof(client.onChallenge(challenge))).error());
    }

    @Test
    void serverFailureMessageIsReportedAsRejected() {
        ClientHandshake client = new ClientHandshake(k1, RANDOM);
        client.hello();
        AuthException e = assertThrows(AuthException.class, () -> client.onChallenge(ServerHandshake.failure()));
        assertEquals(AuthError.REJECTED, e.error());
        assertThrows(IllegalStateException.class, () -> client.onChallenge(ServerHandshake.failure()));
    }

    @Test
    void otherProtocolVersionIsRefused() {
        byte[] hello = AuthCodec.encode(new AuthMessage.ClientHello("protokit-auth/0", new KeyId("k1"),
                new Bytes32(new byte[32])));
        ServerHandshake server = new ServerHandshake(ring, RANDOM);
        assertEquals(AuthError.UNSUPPORTED_PROTOCOL, assertThrows(AuthException.class, () -> server.onHello(hello)).error());
    }

    @Test
    void destroyedSessionKeysAreWipedAndHidden() {
        SessionKeys keys = run(k1).client();
        assertFalse(keys.toString().contains("="));
        keys.destroy();
        assertTrue(keys.isDestroyed());
        assertThrows(IllegalStateException.class, keys::clientToServer);
    }

    private static byte[] frame(byte[] body) {
        return Rfc5869.concat(new byte[] {(byte) (body.length >>> 24), (byte) (body.length >>> 16),
            (byte) (body.length >>> 8), (byte) body.length}, body);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
