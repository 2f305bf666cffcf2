package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpPacket;
import java.nio.ByteBuffer;

/** Turns a packet the engine did not expect into the right exception, telling the peer if needed. */
final class Peer {
    private Peer() {}

    /**
     * An ERROR from the peer ends the transfer and is not answered (RFC 1350 section 7); a
     * malformed or out-of-place packet gets ERROR 4 (RFC 1350: illegal TFTP operation).
     */
    static TftpException unexpected(TransferChannel channel, ByteBuffer datagram, String expecting) {
        TftpPacket packet;
        try {
            packet = TftpCodec.decode(datagram);
        } catch (TftpException e) {
            channel.sendError(TftpError.of(e));
            return e;
        }
        if (packet instanceof TftpError error) {
            return new TftpException(error.code(), error.code().description()
                    + " (" + channel.peerRole() + " error " + error.code().wireValue() + ": " + error.message() + ")");
        }
        var e = new TftpException(ErrorCode.ILLEGAL_OPERATION,
                "ILLEGAL_OPERATION " + packet.opcode() + " while expecting " + expecting);
        channel.sendError(TftpError.of(e));
        return e;
    }
}
