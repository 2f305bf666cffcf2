package dev.protokit.tftp.wire;

import java.util.Locale;

/**
 * The transfer modes of RFC 1350 section 1, carrying their wire names. Mode names are matched
 * without regard to case ("any combination of upper and lower case"). {@link #MAIL} is
 * recognised so it can be refused with ILLEGAL_OPERATION rather than misparsed: RFC 1350 calls
 * it obsolete and no one should deliver mail over TFTP.
 */
public enum TransferMode {
    /** Text: lines end in CR LF on the wire, a bare CR is sent as CR NUL (RFC 764). */
    NETASCII("netascii"),
    /** Raw 8-bit bytes. */
    OCTET("octet"),
    /** Obsolete; always refused with ILLEGAL_OPERATION. */
    MAIL("mail");

    private final String wireName;

    TransferMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name as sent in a request, in lower case. */
    public String wireName() {
        return wireName;
    }

    /**
     * The mode named on the wire, in any case.
     *
     * @throws TftpException ILLEGAL_OPERATION for an unknown mode name
     */
    public static TransferMode fromWire(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "netascii" -> { return NETASCII; }
            case "octet" -> { return OCTET; }
            case "mail" -> { return MAIL; }
            default -> throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                    "ILLEGAL_OPERATION mode " + Hex.ofString(name));
        }
    }
}
