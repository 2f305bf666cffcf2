package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.NetasciiEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Converts local text from another source to netascii as it is read (LF to CR LF, CR to CR NUL).
 * The size is unknown in advance, since conversion grows the data.
 */
public final class NetasciiBlockSource implements BlockSource {
    private final BlockSource local;
    private final NetasciiEncoder encoder = new NetasciiEncoder();
    private final ByteBuffer raw = ByteBuffer.allocate(8192).flip();
    private boolean eof;

    /** Wraps a source of local text. */
    public NetasciiBlockSource(BlockSource local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        while (dst.hasRemaining()) {
            if (!raw.hasRemaining() && !encoder.hasPending()) {
                if (eof) {
                    break;
                }
                raw.clear();
                int n = local.read(raw);
                raw.flip();
                eof = n < raw.capacity();
                if (n == 0) {
                    break;
                }
            }
            encoder.encode(raw, dst);
        }
        return dst.position() - start;
    }
}
