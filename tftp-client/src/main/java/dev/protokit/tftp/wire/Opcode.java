package dev.protokit.tftp.wire;

/**
 * The TFTP opcodes (RFC 1350 section 5, OACK from RFC 2347), each carrying its wire value.
 */
public enum Opcode {
    /** Read request. */
    RRQ(1),
    /** Write request. */
    WRQ(2),
    /** A block of file data. */
    DATA(3),
    /** Acknowledgment of a block (or of a request, block 0). */
    ACK(4),
    /** Error, which also terminates the transfer. */
    ERROR(5),
    /** Option acknowledgment (RFC 2347). */
    OACK(6);

    private static final Opcode[] BY_WIRE = WireTable.build(values(), Opcode::wireValue, 7);

    private final int wireValue;

    Opcode(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 16-bit value on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The opcode for a wire value.
     *
     * @throws TftpException ILLEGAL_OPERATION for a value no RFC defines
     */
    public static Opcode fromWire(int value) {
        if (value < 0 || value >= BY_WIRE.length || BY_WIRE[value] == null) {
            throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                    "ILLEGAL_OPERATION opcode " + WireTable.hex16(value));
        }
        return BY_WIRE[value];
    }
}
