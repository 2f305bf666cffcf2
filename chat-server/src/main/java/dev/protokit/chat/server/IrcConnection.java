package dev.protokit.chat.server;

import dev.protokit.common.daemon.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The line transport under an {@link IrcSession}: what one IRC connection reads and writes,
 * whether it is a TCP socket ({@link TcpIrcConnection}, CR LF framed) or a WebSocket
 * ({@link WebSocketIrcConnection}, one IRC line per message). Accounts, rooms, flood and
 * send-queue limits live above it, in the session, so both transports share them.
 */
interface IrcConnection {

    /** The peer's address (for limits, SASL PLAIN's loopback rule and hostmasks). */
    InetSocketAddress peer();

    /** Whether the transport is encrypted (TLS), which SASL PLAIN requires off loopback. */
    boolean secure();

    /**
     * The next line without its line end, or empty when the peer has gone. Throws
     * {@link SocketTimeoutException} when nothing arrived within {@link #readTimeout}, and a
     * recoverable {@code LineException} (too long, bare CR or LF, not UTF-8) for a refused line.
     */
    Optional<String> readLine() throws IOException;

    /**
     * Lets the session's thread go while the client is silent: when nothing is waiting to be
     * read, a transport that can watch its socket without a thread {@link Session#suspend
     * suspends} the session, arranges for {@code resume} to run on a new thread (through
     * {@link Session#resume}) once bytes arrive or the read timeout passes (then its
     * {@link #readLine} throws {@link SocketTimeoutException}), and returns true: the caller's
     * thread must then return at once without touching the session. The default keeps the thread.
     */
    default boolean parkWhenIdle(Session.Continuation resume) throws IOException {
        return false;
    }

    /** How long {@link #readLine} waits before it times out. */
    void readTimeout(Duration timeout) throws IOException;

    /**
     * Where the session's writer puts encoded lines, each ending in CR LF; a write may carry
     * several whole lines. Used by one writer thread only.
     */
    OutputStream output();

    /** Ends the outgoing direction once the last line is written (FIN, or a WebSocket close). */
    void shutdownOutput() throws IOException;

    /** Drops the connection at once; safe from any thread, and twice. Unblocks a stuck writer. */
    void close() throws IOException;

    /** Reads and drops what the peer still sends for up to {@code linger}, so the close is orderly. */
    void discardInput(Duration linger);

    /** Adds {@code key=value} to the connection's end-of-session log line. */
    void detail(String key, Object value);

    /** The client has registered: registration deadlines no longer apply. */
    void handshakeComplete();

    /** Runs {@code action} when the server starts shutting down. */
    void onServerStop(Runnable action);
}
