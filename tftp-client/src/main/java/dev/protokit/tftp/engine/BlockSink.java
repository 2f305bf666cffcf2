package dev.protokit.tftp.engine;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a {@link Receiver} puts file data, written sequentially in block order. The receiver
 * calls {@link #finish()} once after the final block, before its last ACK is sent, so that
 * an error (disk full) can still be reported to the peer. Implementations:
 * {@link FileBlockSink} (positional FileChannel writes), {@link StreamBlockSink} and
 * {@link NetasciiBlockSink} wrapping either.
 */
public interface BlockSink {
    /** Writes all remaining bytes of {@code src}. */
    void write(ByteBuffer src) throws IOException;

    /** Flushes whatever is held back; the data is complete. */
    default void finish() throws IOException { }
}
