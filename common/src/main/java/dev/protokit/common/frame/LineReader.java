package dev.protokit.common.frame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads CRLF-terminated lines of bounded length from a stream, for text protocols such as the
 * FTP control channel.
 *
 * <pre>
 * | line bytes (0..maxLineBytes, no CR, no LF) | CR LF |     strict (default)
 * | line bytes (0..maxLineBytes, no LF)        | [CR] LF |   allowBareLf
 * </pre>
 *
 * <p>In strict mode only CRLF ends a line: a bare LF does not end anything, so
 * {@code NOOP\nMKD x\r\n} is one bad line, refused whole up to its CRLF, and never a refused
 * {@code NOOP} followed by a smuggled {@code MKD x} (the reading of a strict peer or proxy).
 *
 * <p>Hostile input costs bounded memory and never breaks the stream: an overlong line is
 * discarded as it arrives, one buffer at a time, up to its line feed, then reported as a
 * {@link LineTooLongException}; a bare LF or CR (strict mode) or bytes invalid in the charset are
 * reported as a {@link LineException} after the whole line is consumed. In every case except
 * {@link LineError#TRUNCATED} the next {@link #readLine()} reads the following line.
 *
 * <p>The reader buffers what the stream delivers, so it may hold bytes beyond the current line.
 * {@link #buffered()} says how many: a server switching to TLS after a command (FTP AUTH TLS,
 * RFC 4217 section 4) must refuse if it is non-zero, or plaintext pipelined by an attacker would
 * be taken as the first protected command (CVE-2011-0411). Not thread-safe: one reader per
 * connection, used by one thread.
 */
public final class LineReader {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int MIN_BUFFER_BYTES = 8192;
    /**
     * What a reader starts with: an idle connection (a chat server holds thousands) keeps only
     * this much; the buffer doubles, up to its capacity, when a line does not fit.
     */
    private static final int INITIAL_BUFFER_BYTES = 512;
    private static final byte[] NO_BYTES = new byte[0];

    private final InputStream in;
    private final LineOptions options;
    private final int maxLineBytes;
    private final boolean strict;
    private final CharsetDecoder decoder;
    private final boolean latin1;
    private final int capacity;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    /** Bytes of an overlong line dropped so far, or -1 when not inside one. */
    private long discarded = -1;
    /** Whether the last byte dropped was a CR, to measure a line whose CRLF straddles reads. */
    private boolean discardedCr;

    /** A strict CRLF, UTF-8 reader with {@link LineOptions#DEFAULT} limits. */
    public LineReader(InputStream in) {
        this(in, LineOptions.DEFAULT);
    }

    /** A reader with the given options. */
    public LineReader(InputStream in, LineOptions options) {
        this.in = Objects.requireNonNull(in, "in");
        this.options = Objects.requireNonNull(options, "options");
        this.maxLineBytes = options.maxLineBytes();
        this.strict = !options.allowBareLf();
        this.latin1 = options.charset().equals(StandardCharsets.ISO_8859_1);
        this.decoder = options.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // Room for a longest line plus CRLF, so a valid line never straddles a compaction limit.
        this.capacity = Math.max(MIN_BUFFER_BYTES, maxLineBytes + 2);
        this.buf = new byte[Math.min(capacity, INITIAL_BUFFER_BYTES)];
    }

    /**
     * Reads the next line, without its line end.
     *
     * @return the line, or empty if the input ended cleanly at a line boundary
     * @throws LineTooLongException if the line exceeds the maximum (recoverable)
     * @throws LineException        for a bare CR or LF in strict mode or bytes invalid in the
     *                              charset (recoverable), or input ending inside a line
     * @throws IOException          if the underlying stream fails
     */
    public Optional<String> readLine() throws IOException {
        if (discarded >= 0) {
            throw discardOverlongLine();
        }
        int scanned = pos;
        int bareLf = -1;
        while (true) {
            int lf = indexOfLf(scanned, limit);
            while (lf >= 0 && strict && (lf == pos || buf[lf - 1] != CR)) {
                // A bare LF ends nothing in strict mode: remember it and look for the CRLF.
                bareLf = bareLf >= 0 ? bareLf : lf - pos;
                lf = indexOfLf(lf + 1, limit);
            }
            if (lf >= 0) {
                return Optional.of(takeLine(lf, bareLf));
            }
            int pending = limit - pos;
            // One more than the maximum may be a CR whose LF has not arrived yet.
            if (pending > maxLineBytes + 1) {
                throw discardOverlongLine();
            }
            if (eof || !fill()) {
                if (pending == 0) {
                    return Optional.empty();
                }
                pos = limit;
                throw new LineException(LineError.TRUNCATED, "input ended inside a line after "
                        + hex(pending) + " bytes");
            }
            scanned = pos + pending;
        }
    }

    /**
     * Bytes read from the stream but not yet returned as lines. Non-zero after a command that
     * switches protocols (TLS) means the peer pipelined data that must not cross the switch.
     */
    public int buffered() {
        return limit - pos;
    }

    /**
     * Gives the buffer back while it holds nothing (no bytes buffered, no overlong line being
     * dropped), so a connection waiting between lines keeps none; the next read allocates one of
     * the initial size. Does nothing otherwise.
     */
    public void releaseBuffer() {
        if (pos == limit && discarded < 0) {
            buf = NO_BYTES;
            pos = 0;
            limit = 0;
        }
    }

    /** The options this reader was created with. */
    public LineOptions options() {
        return options;
    }

    /**
     * Consumes the line ending at {@code lf} and returns it decoded, or rejects it whole;
     * {@code bareLf} is the offset of the first bare LF inside it (strict mode), or -1.
     */
    private String takeLine(int lf, int bareLf) {
        int start = pos;
        int end = lf;
        pos = lf + 1;
        if (end > start && buf[end - 1] == CR) {
            end--;
        }
        int length = end - start;
        if (length > maxLineBytes) {
            throw new LineTooLongException(length, maxLineBytes);
        }
        if (bareLf >= 0) {
            // RFC 959 section 5.3 and RFC 5321 section 2.3.8: a line ends with CRLF, never LF alone.
            throw new LineException(LineError.BARE_LF, "line feed without carriage return at offset "
                    + hex(bareLf));
        }
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b < 0) {
                ascii = false;
            } else if (b == CR && strict) {
                throw new LineException(LineError.BARE_CR, "carriage return without line feed at offset "
                        + hex(i - start));
            }
        }
        if (ascii || latin1) {
            // Every ASCII-compatible charset agrees with ISO-8859-1 on these bytes; no decoder needed.
            return new String(buf, start, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return decoder.reset().decode(ByteBuffer.wrap(buf, start, length)).toString();
        } catch (CharacterCodingException e) {
            throw new LineException(LineError.MALFORMED, "line is not valid " + options.charset().name()
                    + " (" + hex(length) + " bytes)", e);
        }
    }

    /**
     * Drops the pending part of an overlong line, then reads and drops one buffer at a time until
     * its line end (CRLF in strict mode), and returns the exception to throw. Memory stays at one buffer however long
     * the line. The progress lives in fields, so if a read fails (a socket timeout) the next
     * {@link #readLine()} resumes discarding instead of taking the line's tail for a new line.
     */
    private LineException discardOverlongLine() throws IOException {
        if (discarded < 0) {
            discarded = limit - pos;
            discardedCr = buf[limit - 1] == CR;
            pos = 0;
            limit = 0;
        }
        while (true) {
            int n = eof ? -1 : in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                long length = discarded;
                discarded = -1;
                return new LineException(LineError.TRUNCATED, "input ended inside an overlong line after "
                        + hex(length) + " bytes");
            }
            int lf = indexOfLf(0, n);
            while (lf >= 0 && strict && !(lf > 0 ? buf[lf - 1] == CR : discardedCr)) {
                lf = indexOfLf(lf + 1, n); // strict: only CRLF ends the overlong line
            }
            if (lf >= 0) {
                pos = lf + 1;
                limit = n;
                boolean crlf = lf > 0 ? buf[lf - 1] == CR : discardedCr;
                long length = discarded + lf - (crlf ? 1 : 0);
                discarded = -1;
                return new LineTooLongException(length, maxLineBytes);
            }
            if (n > 0) {
                discarded += n;
                discardedCr = buf[n - 1] == CR;
            }
        }
    }

    /** Reads more input after the pending bytes, compacting (or growing) first; false at end of input. */
    private boolean fill() throws IOException {
        if (buf.length == 0) {
            buf = new byte[Math.min(capacity, INITIAL_BUFFER_BYTES)];
        }
        if (pos == limit) {
            pos = 0;
            limit = 0;
        } else if (buf.length - limit < buf.length >> 2) {
            // Keep reads large: move the pending part of the line to the front.
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            // A partial line fills the buffer: below capacity here, since readLine refuses a
            // pending part longer than the longest line before it asks for more.
            buf = java.util.Arrays.copyOf(buf, Math.min(capacity, buf.length * 2));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    private int indexOfLf(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == LF) {
                return i;
            }
        }
        return -1;
    }

    private static String hex(long value) {
        return String.format("0x%08x", value);
    }
}
