package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.NetasciiDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Converts netascii to local text (CR LF to LF, CR NUL to CR) before another sink; a CR at the
 * end of one block waits for the next.
 */
public final class NetasciiBlockSink implements BlockSink {
    private final BlockSink local;
    private final NetasciiDecoder decoder = new NetasciiDecoder();
    private ByteBuffer out = ByteBuffer.allocate(0);

    /** Wraps a sink of local text. */
    public NetasciiBlockSink(BlockSink local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (out.capacity() < src.remaining() + 1) {
            out = ByteBuffer.allocate(src.remaining() + 1);
        }
        out.clear();
        decoder.decode(src, out);
        local.write(out.flip());
    }

    @Override
    public void finish() throws IOException {
        out.clear();
        decoder.finish(out);
        local.write(out.flip());
        local.finish();
    }
}
