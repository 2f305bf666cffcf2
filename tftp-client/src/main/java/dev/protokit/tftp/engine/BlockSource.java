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
     * Fills {@code dst} from its position to its limit with the next bytes, looping over short
     * reads itself. Fewer bytes than {@code dst.remaining()} means the end of the data.
     *
     * @return the number of bytes written into {@code dst}
     */
    int read(java.nio.ByteBuffer dst) throws IOException;

    /**
     * Fills {@code dsts[offset]} .. {@code dsts[offset + length - 1]} in turn, as repeated
     * {@link #read(java.nio.ByteBuffer)} calls would; a buffer left with room means the end of
     * the data. The sender reads a window of blocks this way, so a source can do it in one
     * system call (a scattering read).
     *
     * @return the number of bytes read
     */
    default long read(java.nio.ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += read(dsts[i]);
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /** The total number of bytes this source will produce, when known in advance (RFC 2349 tsize). */
    default java.util.OptionalLong size() {
        return java.util.OptionalLong.empty();
    }
}
