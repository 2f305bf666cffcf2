package dev.protokit.chat.irc;

import dev.protokit.chat.core.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802 section 5, RFC 7677), mutual: the
 * server proves it holds the verifier by its signature in the final message.
 *
 * <pre>
 *  C: n,,n=user,r=cnonce                         client-first (gs2 header "n,,": no channel binding)
 *  S: r=cnonce+snonce,s=salt,i=iterations        server-first
 *  C: c=biws,r=cnonce+snonce,p=ClientProof       client-final
 *  S: v=ServerSignature                          server-final
 *  AuthMessage = client-first-bare "," server-first "," client-final-without-proof
 *  ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage);  accept iff H(ClientKey) == StoredKey
 * </pre>
 *
 * <p>An unknown user gets a stable fake salt and fails only at the proof, exactly like a wrong
 * password, so the exchange does not reveal which accounts exist. Pure: the verifier lookup
 * and nonce come from the caller.
 */
public final class ScramServer {
    /** What the exchange says next. */
    public sealed interface Step {
        /** Send this challenge and wait for the next client message. */
        record Challenge(byte[] message) implements Step {}

        /** Authenticated as {@code account}; send {@code serverFinal} as the last challenge. */
        record Success(String account, byte[] serverFinal) implements Step {}

        /** Refused for {@code reason} (never sent to the client verbatim). */
        record Failure(String reason) implements Step {}
    }

    private final Function<String, Optional<ScramVerifier>> verifiers;
    private final Supplier<String> nonces;
    private final byte[] fakeSaltKey;
    private String user;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramVerifier verifier;
    private boolean known;

    /** An exchange looking verifiers up by user name; {@code fakeSaltKey} keys the salts of unknown users. */
    public ScramServer(Function<String, Optional<ScramVerifier>> verifiers, Supplier<String> nonces, byte[] fakeSaltKey) {
        this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.fakeSaltKey = fakeSaltKey.clone();
    }

    /** Handles the client-first message. */
    public Step clientFirst(byte[] message) {
        String m = new String(message, StandardCharsets.UTF_8);
        if (!m.startsWith("n,")) {
            return new Step.Failure(m.startsWith("p=") ? "channel binding not supported" : "bad gs2 header");
        }
        int comma = m.indexOf(',', 2);
        if (comma < 0) {
            return new Step.Failure("bad gs2 header");
        }
        clientFirstBare = m.substring(comma + 1);
        String name = attribute(clientFirstBare, "n");
        String cnonce = attribute(clientFirstBare, "r");
        if (name == null || cnonce == null || cnonce.isEmpty() || !clientFirstBare.startsWith("n=")
                || cnonce.chars().anyMatch(c -> c <= ' ' || c == ',' || c > '~')) {
            return new Step.Failure("bad client-first message");
        }
        user = name.replace("=2C", ",").replace("=3D", "=");
        Optional<ScramVerifier> found = verifiers.apply(user);
        known = found.isPresent();
        verifier = found.orElseGet(this::fakeVerifier);
        nonce = cnonce + nonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt()) + ",i=" + verifier.iterations();
        return new Step.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /** Handles the client-final message; must follow {@link #clientFirst}. */
    public Step clientFinal(byte[] message) {
        if (serverFirst == null) {
            return new Step.Failure("client-final before client-first");
        }
        String m = new String(message, StandardCharsets.UTF_8);
        int proofAt = m.lastIndexOf(",p=");
        if (proofAt < 0) {
            return new Step.Failure("no proof");
        }
        String withoutProof = m.substring(0, proofAt);
        if (!"biws".equals(attribute(withoutProof, "c")) || !nonce.equals(attribute(withoutProof, "r"))) {
            return new Step.Failure("channel binding or nonce mismatch");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(m.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return new Step.Failure("proof is not base64");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] storedKey = verifier.storedKey();
        byte[] signature = ScramVerifier.hmac(storedKey, authMessage);
        if (proof.length != signature.length) {
            return new Step.Failure("proof has the wrong length");
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        boolean ok = MessageDigest.isEqual(ScramVerifier.sha256(clientKey), storedKey) && known;
        Arrays.fill(clientKey, (byte) 0);
        if (!ok) {
            return new Step.Failure("wrong proof");
        }
        byte[] serverSignature = ScramVerifier.hmac(verifier.serverKey(), authMessage);
        return new Step.Success(user, ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8));
    }

    /** The name the client gave in client-first, if any yet. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    private ScramVerifier fakeVerifier() {
        byte[] salt = Arrays.copyOf(ScramVerifier.hmac(fakeSaltKey, user.toLowerCase(java.util.Locale.ROOT)), 16);
        byte[] junk = ScramVerifier.hmac(fakeSaltKey, "stored:" + user);
        return new ScramVerifier(salt, ScramVerifier.DEFAULT_ITERATIONS, junk, junk);
    }

    /** The value of {@code key=} among comma-separated attributes, or null. */
    private static String attribute(String attributes, String key) {
        for (String part : attributes.split(",")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return null;
    }
}
