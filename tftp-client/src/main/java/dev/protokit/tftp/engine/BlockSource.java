package dev.protokit.tftp.engine;

import java.io.IOException;

/**
 * Where a {@link Sender} takes file data from, read sequentially: block after block. The sender
 * keeps each window's blocks in memory for retransmission, so a source never rewinds.
 * Implementations: {@link FileBlockSource} (positional FileChannel reads),
 * {@link StreamBlockSource}, and {@link NetasciiBlockSource} wrapping either.
 */
public interface BlockSource {
    /**
     * Fills {@code dst} from its position to its limit with the next bytes. Fewer bytes than
     * {@code dst.remaining()} means the end of the data was reached.
     *
     * @return the number of bytes written into {@code dst}
     */
    int read(java.nio.ByteBuffer dst) throws IOException;

    /** The total number of bytes this source will produce, when known in advance (RFC 2349 tsize). */
    default java.util.OptionalLong size() {
        return java.util.OptionalLong.empty();
    }
}
