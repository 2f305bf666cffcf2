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
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted connection as its handler sees it: the socket, byte-counting streams, the
 * handshake deadline and what the session-end log line will say. Confined to the connection's
 * thread except {@link #close()}, which the server may call from its shutdown or timer thread.
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

    Session(String id, Socket socket) throws IOException {
        this.id = id;
        this.socket = socket;
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

    /** Marks the handshake (or login) done, so the handshake deadline no longer applies. */
    public void handshakeComplete() {
        handshakeDone = true;
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
