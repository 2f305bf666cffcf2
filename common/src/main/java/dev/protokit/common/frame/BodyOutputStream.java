package dev.protokit.common.frame;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Accepts exactly {@code length} body bytes for the underlying stream: a write that would go past
 * the end is refused whole ({@link FrameError#BODY_OVERRUN}, nothing written), and closing early
 * is refused ({@link FrameError#BODY_UNDERRUN}), because either would desynchronise the peer's
 * reader. Closing flushes but does not close the connection. Owned by one {@link FrameWriter}.
 */
final class BodyOutputStream extends OutputStream {
    private final OutputStream out;
    private final long length;
    private long written;
    private boolean closed;

    BodyOutputStream(OutputStream out, long length) {
        this.out = out;
        this.length = length;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        checkRoom(1);
        out.write(b);
        written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        checkRoom(len);
        out.write(b, off, len);
        written += len;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Ends the body: flushes the connection, or throws {@link FrameError#BODY_UNDERRUN} if fewer
     * than {@code length} bytes were written. Closing twice is harmless.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (written < length) {
            throw underrun("body closed");
        }
        out.flush();
    }

    /** True once every body byte has been written. */
    boolean complete() {
        return written == length;
    }

    FrameException underrun(String what) {
        return new FrameException(FrameError.BODY_UNDERRUN, what + " after " + FrameException.hex(written)
                + " of " + FrameException.hex(length) + " body bytes");
    }

    private void checkRoom(int count) {
        if (count > length - written) {
            throw new FrameException(FrameError.BODY_OVERRUN, "write of " + FrameException.hex(count)
                    + " bytes after " + FrameException.hex(written) + " exceeds bodyLength "
                    + FrameException.hex(length));
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("frame body is closed");
        }
    }
}
