package dev.protokit.common.daemon;

/** Which limit turned a new session away. */
public enum Rejection {
    /** The daemon already serves its maximum number of sessions. */
    TOO_MANY_SESSIONS("too many sessions"),
    /** The peer's address already has its maximum number of sessions. */
    TOO_MANY_FROM_ADDRESS("too many sessions from this address"),
    /** The daemon is shutting down. */
    SHUTTING_DOWN("shutting down");

    private final String reason;

    Rejection(String reason) {
        this.reason = reason;
    }

    /** A short human-readable reason, fit for a protocol error message. */
    public String reason() {
        return reason;
    }
}
