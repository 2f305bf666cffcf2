package dev.protokit.common.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The constants of the {@value #LABEL} handshake: sizes, limits and the labels that bind each
 * MAC and derived key to its role, so a MAC made for one purpose verifies for no other.
 *
 * <pre>
 *  client                                                      server
 *    |  T1 client-hello  {protocol, key_id, nonce: Nc}            |
 *    | ---------------------------------------------------------> |  look up key_id (unknown:
 *    |  T2 server-challenge  {nonce: Ns}                          |   go on with a dummy key)
 *    | &lt;--------------------------------------------------------- |
 *    |  T3 client-proof  {mac: HMAC(K, "protokit-auth/1 client" 0x00 T1 T2)}
 *    | ---------------------------------------------------------> |  verify (constant time)
 *    |  T4 server-proof  {mac: HMAC(K, "protokit-auth/1 server" 0x00 T1 T2 T3)}
 *    | &lt;--------------------------------------------------------- |  or T4 failure
 *    |                                                            |  {error: "authentication failed"}
 *
 *  Ti = the exact frame as sent: u32 big-endian length | UTF-8 JSON object
 *  keys: PRK = HKDF-Extract(salt = Nc | Ns, IKM = K)
 *        c2s = HKDF-Expand(PRK, "protokit-auth/1 client->server" 0x00 SHA-256(T1 T2 T3 T4), 32)
 *        s2c = HKDF-Expand(PRK, "protokit-auth/1 server->client" 0x00 SHA-256(T1 T2 T3 T4), 32)
 * </pre>
 */
public final class Protocol {
    /** The protocol and version label, sent in the hello and mixed into every MAC and key. */
    public static final String LABEL = "protokit-auth/1";
    /** Bytes in each side's fresh random nonce. */
    public static final int NONCE_BYTES = 32;
    /** Bytes in an HMAC-SHA256 tag. */
    public static final int MAC_BYTES = 32;
    /** Bytes in a shared secret (256 random bits; never a password). */
    public static final int KEY_BYTES = 32;
    /** Bytes in each derived session key. */
    public static final int SESSION_KEY_BYTES = 32;
    /** The largest handshake frame body either side accepts; every real message is far smaller. */
    public static final int MAX_FRAME_BYTES = 1024;
    /** The only error text the peer ever sees. */
    public static final String GENERIC_ERROR = "authentication failed";

    private Protocol() {
    }

    /** Which side made a MAC; part of the MAC input so a reflected MAC fails. */
    public enum Role {
        CLIENT("client", "client->server"),
        SERVER("server", "server->client");

        private final byte[] macLabel;
        private final byte[] keyLabel;

        Role(String name, String direction) {
            this.macLabel = nulTerminated(LABEL + " " + name);
            this.keyLabel = nulTerminated(LABEL + " " + direction);
        }

        /** {@code "protokit-auth/1 client" 0x00}: prefixed to the transcript before MACing. */
        byte[] macLabel() {
            return macLabel.clone();
        }

        /** {@code "protokit-auth/1 client->server" 0x00}: HKDF info prefix for the key this role sends with. */
        byte[] keyLabel() {
            return keyLabel.clone();
        }
    }

    private static byte[] nulTerminated(String label) {
        byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(ascii, ascii.length + 1);
    }
}
