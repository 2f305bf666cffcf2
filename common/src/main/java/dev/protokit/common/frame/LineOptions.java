package dev.protokit.common.frame;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link LineReader} splits and decodes lines.
 *
 * <p>Strict CRLF is the default because text protocols (RFC 959 section 5.3, RFC 5321 section
 * 2.3.8) end lines with CRLF, and a reader that also accepts a lone LF parses a stream
 * differently from a strict peer or proxy, which is how command and SMTP smuggling work.
 *
 * @param maxLineBytes the longest accepted line in bytes, excluding CRLF (1 to 16 MiB)
 * @param charset      UTF-8, ISO-8859-1 or US-ASCII: a charset in which CR and LF are single
 *                     bytes that never occur inside another character
 * @param allowBareLf  if true a lone LF also ends a line and a lone CR is kept as data; if false
 *                     both are rejected
 */
public record LineOptions(int maxLineBytes, Charset charset, boolean allowBareLf) {
    // Declared first: DEFAULT below is built during class initialisation and validated against it.
    private static final Set<Charset> ASCII_COMPATIBLE =
            Set.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII);

    /** Default maximum line length: 8 KiB, well above any FTP command. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8192;
    /** Ceiling on the maximum, since the reader's buffer is sized from it. */
    public static final int MAX_LINE_BYTES_CEILING = 16 * 1024 * 1024;
    /** 8 KiB lines, UTF-8, strict CRLF. */
    public static final LineOptions DEFAULT = strict(DEFAULT_MAX_LINE_BYTES);

    /** Validates the maximum and the charset. */
    public LineOptions {
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_CEILING) {
            throw new IllegalArgumentException("maxLineBytes must be 1.." + MAX_LINE_BYTES_CEILING
                    + ", got " + maxLineBytes);
        }
        Objects.requireNonNull(charset, "charset");
        if (!ASCII_COMPATIBLE.contains(charset)) {
            throw new IllegalArgumentException("charset must be UTF-8, ISO-8859-1 or US-ASCII, got " + charset);
        }
    }

    /** Strict CRLF, UTF-8, lines up to {@code maxLineBytes}. */
    public static LineOptions strict(int maxLineBytes) {
        return new LineOptions(maxLineBytes, StandardCharsets.UTF_8, false);
    }

    /** These options with another charset. */
    public LineOptions withCharset(Charset newCharset) {
        return new LineOptions(maxLineBytes, newCharset, allowBareLf);
    }

    /** These options with another maximum line length. */
    public LineOptions withMaxLineBytes(int newMaxLineBytes) {
        return new LineOptions(newMaxLineBytes, charset, allowBareLf);
    }

    /** These options, but a lone LF also ends a line (for lenient clients; never the default). */
    public LineOptions allowingBareLf() {
        return new LineOptions(maxLineBytes, charset, true);
    }
}
