package dev.protokit.common.frame;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A view of exactly {@code length} bytes of the underlying stream: it never asks for more than
 * remain, reports end of body as -1, and turns an early end of the connection into
 * {@link FrameError#TRUNCATED_BODY}. Not thread-safe; owned by one {@link FrameReader}.
 */
final class BodyInputStream extends InputStream {
    private final InputStream in;
    private final byte[] scratch;
    private final long length;
    private long remaining;
    private boolean closed;

    /** @param scratch the reader's buffer for discarded bytes, shared by its bodies */
    BodyInputStream(InputStream in, long length, byte[] scratch) {
        this.in = in;
        this.scratch = scratch;
        this.length = length;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (remaining == 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw truncated();
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw truncated();
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        return n <= 0 ? 0 : skipUpTo(Math.min(n, remaining));
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(in.available(), remaining);
    }

    /** Marks the body closed; the connection stays open and {@link #discardRest()} still works. */
    @Override
    public void close() {
        closed = true;
    }

    /** Skips whatever the caller left unread and closes the view; for {@link FrameReader}. */
    void discardRest() throws IOException {
        while (remaining > 0) {
            skipUpTo(remaining);
        }
        closed = true;
    }

    /**
     * Skips between 1 and {@code n} bytes (n > 0), failing on end of input. Reads rather than
     * calling {@link InputStream#skip}: some streams (files) skip past their end without a word,
     * which would hide a truncated body.
     */
    private long skipUpTo(long n) throws IOException {
        int skipped = in.read(scratch, 0, (int) Math.min(n, scratch.length));
        if (skipped < 0) {
            throw truncated();
        }
        remaining -= skipped;
        return skipped;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("frame body is closed");
        }
    }

    private FrameException truncated() {
        return new FrameException(FrameError.TRUNCATED_BODY, "input ended after "
                + FrameException.hex(length - remaining) + " of " + FrameException.hex(length) + " body bytes");
    }
}
