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
        this(file, file.size());
    }

    /**
     * Reads exactly the first {@code length} bytes of {@code file}: the size announced to the
     * peer (RFC 2349 tsize). Bytes appended since are not sent; a file that is (or becomes)
     * shorter fails the read, so the peer never gets a length other than the one announced.
     */
    public FileBlockSource(FileChannel file, long length) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.size = length;
        if (file.size() < length) {
            throw shrank(file.size());
        }
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
            clip(dsts, offset, end, size - position); // a file that grew: never past the announced size
            long n = file.read(dsts, offset, end - offset);
            if (n <= 0) {
                channelPosition = -1;
                throw shrank(position);
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

    /** Positional reads into {@code dst} from {@code at} until it is full or {@code size} is reached. */
    private int fill(ByteBuffer dst, long at) throws IOException {
        int limit = dst.limit();
        if (size - at < dst.remaining()) {
            dst.limit(dst.position() + (int) (size - at)); // a file that grew: not past the announced size
        }
        int total = 0;
        try {
            while (dst.hasRemaining()) {
                int n = file.read(dst, at + total);
                if (n < 0) {
                    throw shrank(at + total);
                }
                total += n;
            }
        } finally {
            dst.limit(limit);
        }
        return total;
    }

    /** Lowers the limits of {@code dsts[offset..end)} so that together they take at most {@code budget} bytes. */
    private static void clip(ByteBuffer[] dsts, int offset, int end, long budget) {
        for (int i = offset; i < end; i++) {
            int take = (int) Math.min(dsts[i].remaining(), budget);
            dsts[i].limit(dsts[i].position() + take);
            budget -= take;
        }
    }

    private IOException shrank(long now) {
        return new IOException("file shrank below the " + size + " bytes announced (" + now + " left) during the transfer");
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
