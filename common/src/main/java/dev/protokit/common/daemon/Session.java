package dev.protokit.common.daemon;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted connection as its handler sees it: the socket, byte-counting streams, the
 * handshake deadline and what the session-end log line will say. Confined to the connection's
 * thread except {@link #close()}, which the server may call from its shutdown or timer thread.
 * A handler that watches idle sockets without a thread {@link #suspend suspends} the session
 * and {@link #resume resumes} it on a new thread when there is work: one thread at a time.
 */
public final class Session {
    private final String id;
    private final Socket socket;
    private final InetSocketAddress peer;
    private final long startNanos = System.nanoTime();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean handshakeDone;
    private volatile SessionOutcome outcome = SessionOutcome.CLOSED;
    private volatile Runnable onServerStop = () -> {};
    private volatile Thread thread;
    private volatile Runnable onClose = () -> {};
    /** What runs once the handler's thread has returned from a suspended session; null when not suspended. */
    private volatile Runnable suspension;
    private final TcpServer server;
    /** The per-address admission, given back when the session ends. */
    final AddressLimiter.Permit permit;
    /** The handshake deadline's timer task, if there is one. */
    volatile ScheduledFuture<?> deadline;

    /** A handler's work on a session, as {@link #resume} runs it. */
    @FunctionalInterface
    public interface Continuation {
        void run() throws Exception;
    }

    Session(String id, Socket socket, TcpServer server, AddressLimiter.Permit permit) throws IOException {
        this.id = id;
        this.socket = socket;
        this.server = server;
        this.permit = permit;
        this.peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.in = new CountingInput(socket.getInputStream());
        this.out = new CountingOutput(socket.getOutputStream());
    }

    /** A number unique within this server run, for correlating log lines. */
    public String id() {
        return id;
    }

    /** The connection's socket. */
    public Socket socket() {
        return socket;
    }

    /** The remote address and port. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** The socket's input, counting bytes for the session log. */
    public InputStream in() {
        return in;
    }

    /** The socket's output, counting bytes for the session log. Not buffered. */
    public OutputStream out() {
        return out;
    }

    /**
     * {@code in}, counting bytes for the session log: for streams that bypass {@link #in()}
     * (TLS over the socket, a non-blocking channel's stream).
     */
    public InputStream counting(InputStream in) {
        return new CountingInput(Objects.requireNonNull(in, "in"));
    }

    /** {@code out}, counting bytes for the session log, like {@link #counting(InputStream)}. Not buffered. */
    public OutputStream counting(OutputStream out) {
        return new CountingOutput(Objects.requireNonNull(out, "out"));
    }

    /** Marks the handshake (or login) done, so the handshake deadline no longer applies. */
    public void handshakeComplete() {
        handshakeDone = true;
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false); // out of the timer's queue now, not when it would have fired
        }
    }

    /** Whether {@link #handshakeComplete()} has been called. */
    public boolean isHandshakeComplete() {
        return handshakeDone;
    }

    /** Sets the outcome of the session-end log line; the last call wins. */
    public void outcome(SessionOutcome outcome) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /** Adds {@code key=value} to the session-end log line; never pass a secret. */
    public void detail(String key, Object value) {
        synchronized (details) {
            details.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        }
    }

    /** Adds to the byte counters, for traffic that bypasses {@link #in()}/{@link #out()} (e.g. TLS). */
    public void countBytes(long in, long out) {
        bytesIn.addAndGet(in);
        bytesOut.addAndGet(out);
    }

    /** Runs {@code action} when the server starts shutting down, e.g. to say goodbye to an idle peer. */
    public void onServerStop(Runnable action) {
        this.onServerStop = Objects.requireNonNull(action, "action");
    }

    /**
     * The handler is about to return but the connection stays open (its socket watched without a
     * thread): the server does not end the session, and runs {@code then} once the handler's
     * thread has returned (e.g. to start watching the socket, so a {@link #resume} cannot overlap
     * the returning thread). Call on the session's thread, just before returning.
     */
    public void suspend(Runnable then) {
        suspension = Objects.requireNonNull(then, "then");
    }

    /**
     * Continues a suspended session on the calling thread: {@code body} runs as the handler
     * does (what it throws is the session's outcome) and the session ends when it returns,
     * unless it suspends the session again.
     */
    public void resume(Continuation body) {
        server.run(this, Objects.requireNonNull(body, "body"));
    }

    /** The suspension's action, if the handler suspended the session; the returning thread is no longer the session's. */
    Runnable takeSuspension() {
        Runnable then = suspension;
        suspension = null;
        if (then != null) {
            thread = null;
        }
        return then;
    }

    /**
     * Runs {@code action} after the server closes the socket (handshake deadline, forced close at
     * shutdown), so threads that wait on a watched socket rather than in it learn of the close.
     */
    public void onClose(Runnable action) {
        this.onClose = Objects.requireNonNull(action, "action");
    }

    void serverStopping() {
        onServerStop.run();
    }

    void bindToCurrentThread() {
        thread = Thread.currentThread();
    }

    /** Ends the session from another thread: closes the socket and interrupts its handler. */
    void forceClose() {
        close();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing to end the session; nothing to add
        }
        onClose.run();
    }

    String summary() {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        var line = new StringBuilder()
                .append("session end id=").append(id)
                .append(" peer=").append(Addresses.format(peer))
                .append(" duration=").append(millis).append("ms")
                .append(" in=").append(bytesIn.get())
                .append(" out=").append(bytesOut.get())
                .append(" outcome=").append(outcome.word());
        synchronized (details) {
            details.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        }
        return line.toString();
    }

    private final class CountingInput extends FilterInputStream {
        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bytesIn.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                bytesIn.addAndGet(n);
            }
            return n;
        }
    }

    private final class CountingOutput extends FilterOutputStream {
        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytesOut.incrementAndGet();
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
            bytesOut.addAndGet(length);
        }
    }
}
