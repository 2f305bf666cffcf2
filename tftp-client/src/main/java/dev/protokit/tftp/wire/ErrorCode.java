package dev.protokit.tftp.wire;

/**
 * TFTP error codes (RFC 1350 appendix, code 8 from RFC 2347), each carrying its wire value and
 * the standard description, which is what an ERROR packet says when there is nothing better.
 */
public enum ErrorCode {
    /** Not defined, see error message (if any). */
    NOT_DEFINED(0, "Not defined", "Error"),
    /** File not found. */
    FILE_NOT_FOUND(1, "File not found", "Not found"),
    /** Access violation. */
    ACCESS_VIOLATION(2, "Access violation", "Denied"),
    /** Disk full or allocation exceeded. */
    DISK_FULL(3, "Disk full or allocation exceeded", "Disk full"),
    /** Illegal TFTP operation. */
    ILLEGAL_OPERATION(4, "Illegal TFTP operation", "Illegal"),
    /** Unknown transfer ID. */
    UNKNOWN_TID(5, "Unknown transfer ID", "Bad TID"),
    /** File already exists. */
    FILE_EXISTS(6, "File already exists", "Exists"),
    /** No such user. */
    NO_SUCH_USER(7, "No such user", "No user"),
    /** Option negotiation failed: the transfer is terminated (RFC 2347). */
    OPTION_NEGOTIATION_FAILED(8, "Option negotiation failed", "Bad option");

    private static final ErrorCode[] BY_WIRE = WireTable.build(values(), ErrorCode::wireValue, 9);

    private final int wireValue;
    private final String description;
    private final String shortText;

    ErrorCode(int wireValue, String description, String shortText) {
        this.wireValue = wireValue;
        this.description = description;
        this.shortText = shortText;
    }

    /**
     * A word or two for an ERROR that must stay short ("Denied"): a server answering an
     * unauthenticated request never sends more bytes than it received, and a message cut to fit
     * ("Access violat") reads worse than a short one.
     */
    public String shortText() {
        return shortText;
    }

    /** The 16-bit value on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** The human description from the RFC, such as {@code "File not found"}. */
    public String description() {
        return description;
    }

    /**
     * The error code for a wire value.
     *
     * @throws TftpException ILLEGAL_OPERATION for a value no RFC defines
     */
    public static ErrorCode fromWire(int value) {
        if (value < 0 || value >= BY_WIRE.length || BY_WIRE[value] == null) {
            throw new TftpException(ILLEGAL_OPERATION,
                    "ILLEGAL_OPERATION error code " + WireTable.hex16(value));
        }
        return BY_WIRE[value];
    }
}
