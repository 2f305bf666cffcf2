package dev.protokit.tftp.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Writes blocks with positional FileChannel writes, straight from the receiver's direct buffer.
 * {@link #finish()} forces the data to disk (so a reported success is durable). The channel is
 * not closed here: its opener owns it.
 */
public final class FileBlockSink implements BlockSink {
    private final FileChannel file;
    private final boolean force;
    private long position;

    /** Writes from offset 0; {@code force} fsyncs on finish. */
    public FileBlockSink(FileChannel file, boolean force) {
        this.file = Objects.requireNonNull(file, "file");
        this.force = force;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            position += file.write(src, position);
        }
    }

    @Override
    public void finish() throws IOException {
        if (force) {
            file.force(false);
        }
    }

    /** Bytes written so far. */
    public long written() {
        return position;
    }
}
