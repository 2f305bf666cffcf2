package dev.protokit.tftp.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.OptionalLong;

/** Reads from an InputStream, through one reused heap array. The stream is not closed here. */
public final class StreamBlockSource implements BlockSource {
    private final InputStream stream;
    private final OptionalLong size;
    private byte[] scratch = new byte[0];

    /** A source of unknown size. */
    public StreamBlockSource(InputStream stream) {
        this(stream, OptionalLong.empty());
    }

    /** A source whose size is known (for tsize). */
    public StreamBlockSource(InputStream stream, OptionalLong size) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.size = Objects.requireNonNull(size, "size");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (scratch.length < dst.remaining()) {
            scratch = new byte[dst.remaining()];
        }
        int total = 0;
        int want = dst.remaining();
        while (total < want) {
            int n = stream.read(scratch, total, want - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        dst.put(scratch, 0, total);
        return total;
    }

    @Override
    public OptionalLong size() {
        return size;
    }
}
