package dev.protokit.common.frame;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes CRLF-terminated lines for text protocols, buffering until {@link #flush()}.
 *
 * <p>A line containing CR or LF is refused: a reply that echoes a peer-chosen value (a file
 * name, a user name) must not let the peer end the reply early and forge the next one. A
 * character the charset cannot represent is refused too, rather than silently turned into
 * {@code ?}. Not thread-safe: confine to one thread or guard with a lock.
 */
public final class LineWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int BUFFER_BYTES = 8192;

    private final OutputStream out;
    private final Charset charset;
    private final CharsetEncoder encoder;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int count;

    /** A UTF-8 writer. */
    public LineWriter(OutputStream out) {
        this(out, StandardCharsets.UTF_8);
    }

    /** A writer encoding lines in {@code charset}. */
    public LineWriter(OutputStream out, Charset charset) {
        this.out = Objects.requireNonNull(out, "out");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Buffers {@code line} followed by CRLF; writes through to the stream only when the buffer
     * fills. Call {@link #flush()} to send.
     *
     * @throws IllegalArgumentException if the line contains CR or LF, or a character the charset
     *                                  cannot encode; nothing is written then
     */
    public LineWriter writeLine(String line) throws IOException {
        byte[] bytes = encode(line);
        append(bytes, 0, bytes.length);
        append(CRLF, 0, CRLF.length);
        return this;
    }

    /** Writes {@code line} and CRLF and flushes, for a single reply. */
    public void writeLineAndFlush(String line) throws IOException {
        writeLine(line);
        flush();
    }

    /** Sends everything buffered and flushes the underlying stream. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    /** Bytes buffered and not yet handed to the stream. */
    public int pending() {
        return count;
    }

    private byte[] encode(String line) {
        Objects.requireNonNull(line, "line");
        int cr = line.indexOf('\r');
        int lf = line.indexOf('\n');
        if (cr >= 0 || lf >= 0) {
            int at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
            throw new IllegalArgumentException("line contains " + (at == cr ? "CR" : "LF")
                    + " at index " + at + "; refusing to write it (reply injection)");
        }
        try {
            ByteBuffer encoded = encoder.reset().encode(CharBuffer.wrap(line));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("line is not representable in " + charset.name(), e);
        }
    }

    private void append(byte[] bytes, int off, int len) throws IOException {
        if (len > buf.length - count) {
            drain();
            if (len > buf.length) {
                out.write(bytes, off, len);
                return;
            }
        }
        System.arraycopy(bytes, off, buf, count, len);
        count += len;
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }
}
