package dev.protokit.common.frame;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One received frame: its checked header and a stream over exactly
 * {@link FrameHeader#bodyLength()} body bytes.
 *
 * <p>The body stream reads from the connection itself, so it is valid only until the next
 * {@link FrameReader#next()}, which discards whatever the caller left unread. It returns -1
 * after the last body byte, never reads past the body, and throws {@link FrameException}
 * ({@link FrameError#TRUNCATED_BODY}) if the connection ends early. Closing it does not close
 * the connection.
 *
 * @param header the frame's header
 * @param body   the frame's body, to be read or left for the reader to skip
 */
public record Frame(FrameHeader header, InputStream body) {
    /** Requires both parts. */
    public Frame {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
    }

    /**
     * Reads the whole body into memory, for protocols whose bodies are small; refuses, before
     * allocating, a body longer than {@code maxBytes}.
     *
     * @throws FrameException {@link FrameError#BODY_TOO_LARGE} if the body is longer than
     *                        {@code maxBytes}, {@link FrameError#TRUNCATED_BODY} if it ends early
     */
    public byte[] readBody(int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        long length = header.bodyLength();
        if (length > maxBytes) {
            throw new FrameException(FrameError.BODY_TOO_LARGE, FrameCodec.BODY_LENGTH + " "
                    + FrameException.hex(length) + " exceeds limit " + FrameException.hex(maxBytes));
        }
        return body.readNBytes((int) length);
    }
}
