package dev.protokit.common.frame;

/**
 * Why a {@link LineReader} rejected a line; the name leads every {@link LineException} message.
 * All but {@link #TRUNCATED} leave the reader at the start of the next line, so a text protocol
 * can answer with an error reply and carry on.
 */
public enum LineError {
    /** The line is longer than the configured maximum; it was discarded without being stored. */
    TOO_LONG,
    /** A line feed not preceded by a carriage return, in strict mode. */
    BARE_LF,
    /** A carriage return not followed by a line feed, in strict mode. */
    BARE_CR,
    /** The bytes are not valid in the configured charset. */
    MALFORMED,
    /** The input ended inside a line; nothing more can be read. */
    TRUNCATED;

    /** True if the reader is positioned at the next line after this error. */
    public boolean recoverable() {
        return this != TRUNCATED;
    }
}
