package dev.protokit.common.auth;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The exact bytes of every handshake frame so far, in order, each as it travels on the wire:
 * a u32 big-endian length followed by the JSON body. Both sides append the same frames, so
 * both compute the same MACs and keys; any change to any byte on the way breaks them.
 *
 * <p>Length prefixes make the concatenation unambiguous: no two different message sequences
 * give the same transcript.
 */
final class Transcript {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);

    /** Appends one frame: its body's length as u32 big-endian, then the body. */
    void append(byte[] body) {
        int n = body.length;
        bytes.write(n >>> 24);
        bytes.write(n >>> 16);
        bytes.write(n >>> 8);
        bytes.write(n);
        bytes.writeBytes(body);
    }

    /** HMAC-SHA256 under {@code key} of {@code role}'s label, a NUL, then the transcript. */
    Bytes32 mac(byte[] key, Protocol.Role role) {
        return new Bytes32(HandshakeCrypto.hmac(key, role.macLabel(), bytes.toByteArray()));
    }

    /** SHA-256 of the transcript, bound into the session keys. */
    byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
