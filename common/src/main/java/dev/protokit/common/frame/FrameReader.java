package dev.protokit.common.frame;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads length-prefixed frames (layout in {@link FrameCodec}) from a stream, one after another,
 * holding only the header in memory: the body is handed out as a bounded stream over the
 * connection, so a multi-gigabyte body costs the same memory as an empty one.
 *
 * <pre>
 * | u32 H (big-endian) | H bytes UTF-8 JSON object | bodyLength bytes body |
 *   checked 1..max       strict UTF-8, one object    streamed, bounded view
 *   before allocating    bodyLength checked before   skipped by next() if
 *                        the body is touched         left unread
 * </pre>
 *
 * <p>Every length is checked against {@link FrameLimits} before anything is allocated or read
 * for it. The reader does no buffering of its own (bodies go straight from the connection to the
 * caller's buffer); wrap a socket stream in a {@link java.io.BufferedInputStream} when frames are
 * small and many. After a {@link FrameException} the position in the stream is undefined and the
 * connection should be closed; the same holds after an {@link IOException} from the stream. Not
 * thread-safe: one reader per connection, used by one thread.
 */
public final class FrameReader {
    private static final int SCRATCH_BYTES = 8192;

    private final InputStream in;
    private final FrameLimits limits;
    private final byte[] prefix = new byte[FrameCodec.LENGTH_PREFIX_BYTES];
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private BodyInputStream current;

    /** A reader with {@link FrameLimits#DEFAULT} limits. */
    public FrameReader(InputStream in) {
        this(in, FrameLimits.DEFAULT);
    }

    /** A reader enforcing {@code limits}. */
    public FrameReader(InputStream in, FrameLimits limits) {
        this.in = Objects.requireNonNull(in, "in");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Reads the next frame's header, first discarding any unread rest of the previous body.
     *
     * @return the frame, or empty if the input ended cleanly between frames
     * @throws FrameException if the frame breaks the format or the limits, or the input ends
     *                        inside it
     * @throws IOException    if the underlying stream fails
     */
    public Optional<Frame> next() throws IOException {
        if (current != null) {
            current.discardRest();
            current = null;
        }
        int got = readUpTo(prefix, prefix.length);
        if (got == 0) {
            return Optional.empty();
        }
        if (got < prefix.length) {
            throw new FrameException(FrameError.TRUNCATED_LENGTH, "input ended after " + got + " of "
                    + prefix.length + " header length bytes");
        }
        long headerLength = ((prefix[0] & 0xffL) << 24) | ((prefix[1] & 0xff) << 16)
                | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
        // The length is checked before the header buffer exists: a hostile 0xffffffff costs nothing.
        int length = FrameCodec.checkHeaderLength(headerLength, limits);
        byte[] json = new byte[length];
        got = readUpTo(json, length);
        if (got < length) {
            throw new FrameException(FrameError.TRUNCATED_HEADER, "input ended after "
                    + FrameException.hex32(got) + " of " + FrameException.hex32(length) + " header bytes");
        }
        FrameHeader header = FrameCodec.decodeHeader(json, limits);
        current = new BodyInputStream(in, header.bodyLength(), scratch);
        return Optional.of(new Frame(header, current));
    }

    /** The limits this reader enforces. */
    public FrameLimits limits() {
        return limits;
    }

    /** Reads until {@code buffer[0..wanted)} is full or the input ends; returns the count read. */
    private int readUpTo(byte[] buffer, int wanted) throws IOException {
        int got = 0;
        while (got < wanted) {
            int n = in.read(buffer, got, wanted - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }
}
