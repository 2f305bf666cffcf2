package dev.protokit.tftp.wire;

/**
 * TFTP error codes (RFC 1350 appendix, code 8 from RFC 2347), each carrying its wire value and
 * the standard description, which is what an ERROR packet says when there is nothing better.
 */
public enum ErrorCode {
    /** Not defined, see error message (if any). */
    NOT_DEFINED(0, "Not defined"),
    /** File not found. */
    FILE_NOT_FOUND(1, "File not found"),
    /** Access violation. */
    ACCESS_VIOLATION(2, "Access violation"),
    /** Disk full or allocation exceeded. */
    DISK_FULL(3, "Disk full or allocation exceeded"),
    /** Illegal TFTP operation. */
    ILLEGAL_OPERATION(4, "Illegal TFTP operation"),
    /** Unknown transfer ID. */
    UNKNOWN_TID(5, "Unknown transfer ID"),
    /** File already exists. */
    FILE_EXISTS(6, "File already exists"),
    /** No such user. */
    NO_SUCH_USER(7, "No such user"),
    /** Option negotiation failed: the transfer is terminated (RFC 2347). */
    OPTION_NEGOTIATION_FAILED(8, "Option negotiation failed");

    private static final ErrorCode[] BY_WIRE = WireTable.build(values(), ErrorCode::wireValue, 9);

    private final int wireValue;
    private final String description;

    ErrorCode(int wireValue, String description) {
        this.wireValue = wireValue;
        this.description = description;
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
