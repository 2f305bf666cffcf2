package dev.protokit.tftp.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One block of file data (RFC 1350 DATA). A block shorter than the negotiated block size ends
 * the transfer. The payload is a read-only view; a decoded Data shares the receive buffer, so
 * copy it out before that buffer is reused.
 *
 * @param block   the block number, 0..65535 (block numbers roll over to 0 after 65535)
 * @param payload the data, at most {@link #MAX_PAYLOAD} bytes (RFC 2348's largest blksize)
 */
public record Data(int block, ByteBuffer payload) implements TftpPacket {
    /** The largest payload any negotiated block size allows (RFC 2348). */
    public static final int MAX_PAYLOAD = 65464;

    /** Checks the block and size, and keeps a read-only slice of the payload's remaining bytes. */
    public Data {
        requireBlock(block);
        Objects.requireNonNull(payload, "payload");
        if (payload.remaining() > MAX_PAYLOAD) {
            throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                    "ILLEGAL_OPERATION data length " + WireTable.hex16(payload.remaining()));
        }
        payload = payload.slice().asReadOnlyBuffer();
    }

    /** A block holding a copy of {@code bytes}. */
    public static Data of(int block, byte[] bytes) {
        return new Data(block, ByteBuffer.wrap(bytes.clone()));
    }

    /** The number of payload bytes. */
    public int length() {
        return payload.remaining();
    }

    /** A copy of the payload bytes. */
    public byte[] bytes() {
        byte[] out = new byte[payload.remaining()];
        payload.duplicate().get(out);
        return out;
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA;
    }

    @Override
    public String toString() {
        int shown = Math.min(16, length());
        byte[] head = new byte[shown];
        payload.duplicate().get(head);
        return "Data[block=" + block + ", length=" + length() + ", payload="
                + HexFormat.of().formatHex(head) + (shown < length() ? "..." : "") + "]";
    }

    static void requireBlock(int block) {
        if (block < 0 || block > 0xffff) {
            throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                    "ILLEGAL_OPERATION block " + WireTable.hex16(block & 0xffffffffL));
        }
    }
}
