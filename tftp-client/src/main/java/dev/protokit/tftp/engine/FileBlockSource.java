package dev.protokit.tftp.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Reads a file straight into the sender's direct buffers (no copy through the heap): positional
 * reads for one block, one scattering read for a window. The source owns the channel's
 * position while it is used; the channel is not closed here: its opener owns it.
 */
public final class FileBlockSource implements BlockSource {
    private final FileChannel file;
    private final long size;
    private long position;

    /** Reads {@code file} from offset 0 to its size at construction. */
    public FileBlockSource(FileChannel file) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.size = file.size();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            int n = file.read(dst, position);
            if (n < 0) {
                break; // the file shrank under us: what we sent is what there was
            }
            position += n;
            total += n;
        }
        return total;
    }

    /**
     * Reads a window of blocks with one scattering read where possible. This moves the channel's
     * own position, which the source therefore owns.
     */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        int end = offset + length;
        while (offset < end && position < size) {
            file.position(position);
            long n = file.read(dsts, offset, end - offset);
            if (n <= 0) {
                break; // the file shrank under us: what we sent is what there was
            }
            position += n;
            total += n;
            while (offset < end && !dsts[offset].hasRemaining()) {
                offset++;
            }
        }
        return total;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(size);
    }
}
