package dev.protokit.common.auth;

/**
 * Why a handshake failed, for the local log and the caller only.
 *
 * <p>None of these ever reaches the peer: the wire carries one generic {@code failure} message
 * whatever went wrong, so a prober cannot tell an unknown key id from a wrong MAC.
 */
public enum AuthError {
    /** A frame or JSON message did not follow the documented layout. */
    MALFORMED,
    /** The peer speaks another protocol label than {@value Protocol#LABEL}. */
    UNSUPPORTED_PROTOCOL,
    /** The client named a key id that is not in the server's key ring (never told to the peer). */
    UNKNOWN_KEY_ID,
    /** A MAC did not verify: wrong key, a reflected or replayed message, or tampering. */
    BAD_MAC,
    /** The handshake deadline passed before the peer finished. */
    TIMEOUT,
    /** The peer closed the connection in the middle of the handshake. */
    TRUNCATED,
    /** The peer sent the generic {@code failure} message. */
    REJECTED,
    /** Too many recent failures from this source address; the server did not try. */
    LOCKED_OUT,
    /** The connection failed below the protocol (reset, refused, unreachable). */
    IO
}
