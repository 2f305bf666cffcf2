package dev.protokit.common.daemon;

/**
 * How a session (a TCP connection, a UDP transfer) ended: the {@code outcome=} word of the one
 * log line every session leaves. An enum rather than string literals, so every daemon uses the
 * same words and a new outcome is a new constant here.
 */
public enum SessionOutcome {
    /** The session did what it was for. */
    OK("ok"),
    /** Ended before its handler set an outcome (the default). */
    CLOSED("closed"),
    /** Refused at the start because the server is stopping. */
    SHUTTING_DOWN("shutting-down"),
    /** Cut by a server shutdown (the grace period ended, or the thread was interrupted). */
    SHUTDOWN("shutdown"),
    /** Silent (or without progress) for longer than its idle limit; cut by the watchdog. */
    IDLE_TIMEOUT("idle-timeout"),
    /** The peer did not complete its handshake (or first exchange) in time; cut by the watchdog. */
    HANDSHAKE_TIMEOUT("handshake-timeout"),
    /** The protocol's own retransmissions or waits ran out. */
    TIMED_OUT("timed-out"),
    /** The peer closed the connection or reset it. */
    DISCONNECTED("disconnected"),
    /** The peer went away before logging in. */
    DISCONNECTED_BEFORE_LOGIN("disconnected-before-login"),
    /** The peer did not log in in time. */
    LOGIN_TIMEOUT("login-timeout"),
    /** The TLS handshake failed. */
    TLS_FAILED("tls-failed"),
    /** The peer broke the protocol, or answered with a protocol error. */
    PROTOCOL_ERROR("protocol-error"),
    /** Authentication failed. */
    AUTH_FAILED("auth-failed"),
    /** A local or network I/O error. */
    IO_ERROR("io-error"),
    /** A bug: an unexpected exception, logged with its stack trace. */
    INTERNAL_ERROR("internal-error");

    private final String word;

    SessionOutcome(String word) {
        this.word = word;
    }

    /** The word in the log line. */
    public String word() {
        return word;
    }

    /** True for {@link #OK}; the session line is logged at INFO then, else at WARN. */
    public boolean isSuccess() {
        return this == OK;
    }

    @Override
    public String toString() {
        return word;
    }
}
