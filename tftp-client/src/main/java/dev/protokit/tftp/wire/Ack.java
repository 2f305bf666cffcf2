package dev.protokit.tftp.wire;

/**
 * Acknowledges DATA block {@code block}; block 0 acknowledges a WRQ or an OACK (RFC 1350, RFC 2347).
 * With a window (RFC 7440) it acknowledges every block up to and including {@code block}.
 *
 * @param block the block number, 0..65535 (it rolls over to 0 after 65535)
 */
public record Ack(int block) implements TftpPacket {
    /** Checks the block fits in 16 bits. */
    public Ack {
        Data.requireBlock(block);
    }

    @Override
    public Opcode opcode() {
        return Opcode.ACK;
    }
}
