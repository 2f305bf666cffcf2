package dev.protokit.tftp.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Writes to an OutputStream through one reused heap array; flushes on finish, never closes. */
public final class StreamBlockSink implements BlockSink {
    private final OutputStream stream;
    private byte[] scratch = new byte[0];

    /** Wraps a stream the caller keeps owning. */
    public StreamBlockSink(OutputStream stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (src.hasArray()) {
            stream.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
            return;
        }
        if (scratch.length < n) {
            scratch = new byte[n];
        }
        src.get(scratch, 0, n);
        stream.write(scratch, 0, n);
    }

    @Override
    public void finish() throws IOException {
        stream.flush();
    }
}
