package dev.protokit.common.frame;

/**
 * Why a frame was rejected; the name leads every {@link FrameException} message so logs and
 * tests can match on it ("HEADER_TOO_LARGE header length 0x7fffffff exceeds limit 0x00010000").
 */
public enum FrameError {
    /** The 4-byte header length was zero; a header is at least {@code {}}. */
    EMPTY_HEADER,
    /** The header length exceeds {@link FrameLimits#maxHeaderBytes()}. */
    HEADER_TOO_LARGE,
    /** The header bytes are not well-formed UTF-8. */
    HEADER_NOT_UTF8,
    /** The header is not a single well-formed JSON value, or breaks the parser's limits. */
    HEADER_NOT_JSON,
    /** The header is valid JSON but not an object. */
    HEADER_NOT_OBJECT,
    /** {@code bodyLength} is negative, fractional, not a number, or beyond a signed 64-bit value. */
    BAD_BODY_LENGTH,
    /** {@code bodyLength} exceeds {@link FrameLimits#maxBodyBytes()}. */
    BODY_TOO_LARGE,
    /** The header does not bind to the requested type. */
    HEADER_MISMATCH,
    /** The input ended inside the 4-byte header length. */
    TRUNCATED_LENGTH,
    /** The input ended inside the header. */
    TRUNCATED_HEADER,
    /** The input ended inside the body. */
    TRUNCATED_BODY,
    /** A body was closed, or a new frame begun, before {@code bodyLength} bytes were written. */
    BODY_UNDERRUN,
    /** A write would have put more than {@code bodyLength} bytes into the body. */
    BODY_OVERRUN
}
