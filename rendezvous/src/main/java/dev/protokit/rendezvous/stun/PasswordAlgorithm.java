package dev.protokit.rendezvous.stun;

/**
 * How a long-term credential key is derived (RFC 8489 sections 9.2.2 and 18.5): the hash of
 * {@code username ":" realm ":" password}.
 */
public enum PasswordAlgorithm {
    /** MD5, the RFC 5389 key every TURN client supports (16 bytes). */
    MD5(0x0001, "MD5"),
    /** SHA-256 (32 bytes). */
    SHA_256(0x0002, "SHA-256");

    private final int wireValue;
    private final String jcaName;

    PasswordAlgorithm(int wireValue, String jcaName) {
        this.wireValue = wireValue;
        this.jcaName = jcaName;
    }

    /** The value in PASSWORD-ALGORITHM. */
    public int wireValue() {
        return wireValue;
    }

    /** The JCA digest name. */
    String jcaName() {
        return jcaName;
    }
}
