package dev.protokit.common.frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes length-prefixed frames (layout in {@link FrameCodec}): a header, then a body stream that
 * takes exactly the announced number of bytes, so a body of any size can be piped from a file or
 * another connection in constant memory.
 *
 * <pre>
 * begin(header, n) -> | u32 H | H bytes JSON {..., "bodyLength": n} |   written at once
 * returned stream  -> | n body bytes                                |   exactly n, then close()
 * </pre>
 *
 * <p>Writing too many bytes ({@link FrameError#BODY_OVERRUN}) or closing the body, or beginning
 * the next frame, too early ({@link FrameError#BODY_UNDERRUN}) throws, because the peer would
 * otherwise read body bytes as the next header. The writer adds no buffering of its own; wrap a
 * socket stream in a {@link java.io.BufferedOutputStream} for many small frames (closing a body
 * flushes). Not thread-safe: one writer per connection, used by one thread at a time.
 */
public final class FrameWriter {
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final FrameLimits limits;
    private BodyOutputStream current;

    /** A writer with {@link FrameLimits#DEFAULT} limits. */
    public FrameWriter(OutputStream out) {
        this(out, FrameLimits.DEFAULT);
    }

    /** A writer that refuses to produce frames beyond {@code limits}. */
    public FrameWriter(OutputStream out, FrameLimits limits) {
        this.out = Objects.requireNonNull(out, "out");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Writes a frame's length prefix and header and returns the stream for its body.
     *
     * @param header     an {@link com.fasterxml.jackson.databind.node.ObjectNode} or a value (a
     *                   record) that serializes to a JSON object; {@code bodyLength} is added
     * @param bodyLength the exact number of body bytes that will follow
     * @return a stream taking exactly {@code bodyLength} bytes; close it to finish the frame
     * @throws FrameException if the previous body is unfinished or the header breaks the limits
     */
    public OutputStream begin(Object header, long bodyLength) throws IOException {
        if (current != null && !current.complete()) {
            throw current.underrun("next frame begun");
        }
        byte[] head = FrameCodec.encodeHead(header, bodyLength, limits);
        out.write(head);
        current = new BodyOutputStream(out, bodyLength);
        return current;
    }

    /** Writes a whole frame with an in-memory body, and flushes. */
    public void write(Object header, byte[] body) throws IOException {
        Objects.requireNonNull(body, "body");
        try (OutputStream stream = begin(header, body.length)) {
            stream.write(body);
        }
    }

    /**
     * Writes a frame whose body is the next {@code length} bytes of {@code source}, copied through
     * one fixed buffer, and flushes. Reads nothing from {@code source} beyond those bytes.
     *
     * @throws FrameException {@link FrameError#BODY_UNDERRUN} if {@code source} ends early (the
     *                        frame is then incomplete and the connection unusable)
     */
    public void write(Object header, InputStream source, long length) throws IOException {
        Objects.requireNonNull(source, "source");
        OutputStream body = begin(header, length);
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER_BYTES, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n = source.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw current.underrun("source ended");
            }
            body.write(buffer, 0, n);
            left -= n;
        }
        body.close();
    }

    /** Flushes the underlying stream. */
    public void flush() throws IOException {
        out.flush();
    }

    /** The limits this writer enforces. */
    public FrameLimits limits() {
        return limits;
    }
}
