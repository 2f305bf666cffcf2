package dev.protokit.tftp.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Reads a file into the sender's direct buffers (no copy through the heap): one scattering read
 * for a window; small single blocks (lock-step) come from a {@value #READ_AHEAD}-byte direct
 * read-ahead buffer, so a 512-byte lock-step transfer makes one file read per 32 blocks instead
 * of one per block (a system call is a sizeable part of a loopback round trip). The source owns
 * the channel's position while it is used; the channel is not closed here: its opener owns it.
 */
public final class FileBlockSource implements BlockSource {
    /** Read-ahead size; blocks larger than a quarter of it are read straight into place. */
    private static final int READ_AHEAD = 16 * 1024;

    private final FileChannel file;
    private final long size;
    /** The next byte handed out; the file itself is read from {@code position + ahead.remaining()}. */
    private long position;
    /** Read from the file but not yet handed out (flipped: ready to be read); created on first use. */
    private ByteBuffer ahead;
    /** Where the channel's own position is known to be (scattering reads move it), or -1. */
    private long channelPosition = -1;

    /** Reads {@code file} from offset 0 to its size at construction. */
    public FileBlockSource(FileChannel file) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.size = file.size();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = drainAhead(dst);
        if (!dst.hasRemaining() || position >= size) {
            return total;
        }
        if (dst.remaining() <= READ_AHEAD / 4) {
            if (ahead == null) {
                ahead = ByteBuffer.allocateDirect(READ_AHEAD);
            }
            ahead.clear();
            fill(ahead, position);
            ahead.flip();
            return total + drainAhead(dst);
        }
        int n = fill(dst, position);
        position += n;
        return total + n;
    }

    /**
     * Reads a window of blocks with one scattering read where possible (a window of one block is
     * a lock-step read, served from the read-ahead). This moves the channel's own position, which
     * the source therefore owns.
     */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        if (length == 1) {
            return read(dsts[offset]); // lock-step: served from the read-ahead
        }
        long total = 0;
        int end = offset + length;
        while (offset < end && ahead != null && ahead.hasRemaining()) {
            total += drainAhead(dsts[offset]);
            if (!dsts[offset].hasRemaining()) {
                offset++;
            }
        }
        while (offset < end && position < size) {
            if (channelPosition != position) {
                file.position(position); // a system call: only when positional reads came between
            }
            long n = file.read(dsts, offset, end - offset);
            if (n <= 0) {
                channelPosition = -1;
                break; // the file shrank under us: what we sent is what there was
            }
            position += n;
            channelPosition = position;
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

    /** Positional reads into {@code dst} from {@code at} until it is full or the file ends. */
    private int fill(ByteBuffer dst, long at) throws IOException {
        int total = 0;
        while (dst.hasRemaining() && at + total < size) {
            int n = file.read(dst, at + total);
            if (n < 0) {
                break; // the file shrank under us: what we sent is what there was
            }
            total += n;
        }
        return total;
    }

    /** Moves read-ahead bytes into {@code dst}, as many as fit; returns how many. */
    private int drainAhead(ByteBuffer dst) {
        if (ahead == null || !ahead.hasRemaining()) {
            return 0;
        }
        int n = Math.min(ahead.remaining(), dst.remaining());
        dst.put(dst.position(), ahead, ahead.position(), n);
        dst.position(dst.position() + n);
        ahead.position(ahead.position() + n);
        position += n;
        return n;
    }
}
