package dev.protokit.ftp.server;

import dev.protokit.common.daemon.Session;
import dev.protokit.common.frame.LineException;
import dev.protokit.common.frame.LineOptions;
import dev.protokit.common.frame.LineReader;
import dev.protokit.common.frame.LineWriter;
import dev.protokit.common.tls.ServerTls;
import dev.protokit.common.tls.TlsVersions;
import dev.protokit.ftp.wire.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The control connection: a reader thread that turns lines into {@link Event}s, and a locked
 * writer for replies, which come from the session thread and from the transfer thread.
 *
 * <p>The reader delivers one line, then waits for {@link #readNext()} before reading another, so
 * a command that changes the stream (AUTH TLS) is handled before the next byte is read. While
 * a transfer runs the session calls {@link #readNext()} at once, so ABOR and STAT arrive.
 * Lines are read as ISO-8859-1 so the parser can strip Telnet bytes before UTF-8 decoding.
 */
final class ControlChannel implements AutoCloseable {

    /** What the reader thread reports to the session thread. */
    sealed interface Event permits Line, BadLine, Closed, Idle, TransferDone, Stopping {}

    /** A command line (ISO-8859-1, no CRLF). */
    record Line(String text) implements Event {}

    /** A line the reader refused (too long, bare CR/LF); the stream is still usable. */
    record BadLine(LineException error) implements Event {}

    /** The peer closed the connection, or it failed. */
    record Closed(String why) implements Event {}

    /** Nothing arrived for the idle timeout while no transfer ran. */
    record Idle() implements Event {}

    /** A transfer thread finished; posted so queued commands can go on. */
    record TransferDone(Transfer transfer) implements Event {}

    /**
     * The server is shutting down. Posted by the shutdown thread, which must never write to the
     * socket itself: a client that stopped reading would hold it (and the grace period) forever.
     */
    record Stopping() implements Event {}

    private final LineOptions options;
    private final Duration lineTimeout;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Semaphore mayRead = new Semaphore(0);
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Socket socket;
    private volatile LineReader reader;
    private LineWriter writer;
    private volatile boolean closed;
    private volatile boolean peerGone;
    /** The TCP connection under any TLS layer, for {@link #peerGone()}'s question to the kernel. */
    private final Socket tcp;
    /** Found on the first {@link #peerGone()} (by a transfer thread; a race only costs a second scan). */
    private volatile Optional<PeerHangup> hangup;
    private volatile long writeStarted;
    /** When the command line being read must be complete (System.nanoTime), see {@link #restartLineDeadline()}. */
    private volatile long lineDeadline;

    /**
     * A control channel; {@code lineTimeout} ({@code --idle-timeout}, zero for none) bounds the time
     * from the moment the server waits for a command line until its CRLF, however the bytes trickle in.
     */
    ControlChannel(Socket socket, InputStream in, OutputStream out, int maxLineBytes, Duration lineTimeout) {
        this.options = LineOptions.strict(maxLineBytes).withCharset(StandardCharsets.ISO_8859_1);
        this.lineTimeout = lineTimeout;
        this.socket = socket;
        this.tcp = socket;
        this.reader = new LineReader(new DeadlineInput(in), options);
        this.writer = new LineWriter(out, StandardCharsets.UTF_8);
    }

    /** Starts the reader thread; {@code busy} says whether a transfer runs (then silence is not idleness). */
    void startReader(String name, BooleanSupplier busy) {
        Thread.ofVirtual().name(name).start(() -> readLoop(busy));
    }

    private void readLoop(BooleanSupplier busy) {
        restartLineDeadline();
        while (!closed) {
            try {
                Optional<String> line = reader.readLine();
                if (line.isEmpty()) {
                    peerGone = true;
                    events.add(new Closed("peer closed"));
                    return;
                }
                events.add(new Line(line.get()));
                mayRead.acquire();
                restartLineDeadline();
            } catch (SocketTimeoutException e) {
                if (busy.getAsBoolean()) {
                    restartLineDeadline(); // a running transfer is not idleness
                } else if (System.nanoTime() - lineDeadline >= 0) {
                    events.add(new Idle());
                    return;
                }
                // else the deadline moved (a transfer just ended): read on, the partial line is kept
            } catch (LineException e) {
                if (!e.recoverable()) {
                    events.add(new Closed("truncated line"));
                    return;
                }
                events.add(new BadLine(e));
                try {
                    mayRead.acquire();
                } catch (InterruptedException ie) {
                    return;
                }
                restartLineDeadline();
            } catch (IOException e) {
                peerGone = true;
                events.add(new Closed(closed ? "closed" : String.valueOf(e.getMessage())));
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * True once the control connection ended (EOF or error): an upload must not be committed then.
     * Beside what the reader thread has seen, this asks the kernel whether the peer's FIN or RST
     * has arrived ({@link PeerHangup}): a killed client's control connection closes just before
     * its data connection, and the reader may not have run yet when the upload's EOF is read.
     * Called by the transfer thread.
     */
    boolean peerGone() {
        if (peerGone || closed) {
            return true;
        }
        Optional<PeerHangup> probe = hangup;
        if (probe == null) {
            probe = PeerHangup.of(tcp);
            hangup = probe;
        }
        boolean hungUp = probe.isPresent() && probe.get().hungUp();
        // Still open after the poll, so the descriptor polled was this connection's (close() sets
        // closed before it closes the socket, and only then can the number be reused).
        return closed || hungUp;
    }

    /**
     * True if the control connection ends before {@code deadlineNanos} ({@code System.nanoTime()}):
     * checked at once, then each millisecond until then, parking in between (a virtual thread's
     * sleep holds no carrier). Called by the transfer thread.
     */
    boolean goneBy(long deadlineNanos) {
        while (!peerGone()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true; // nobody interrupts transfers; if it happens, commit nothing
            }
        }
        return true;
    }

    /**
     * Gives the command line being read a full timeout from now: called when the reader starts a
     * line, and by the session when a transfer ends (time spent transferring is not idleness).
     */
    void restartLineDeadline() {
        lineDeadline = System.nanoTime() + (lineTimeout.isZero() ? Long.MAX_VALUE / 2 : lineTimeout.toNanos());
    }

    /** Lets the reader thread read the next line. */
    void readNext() {
        mayRead.release();
    }

    /** The next event, waiting at most {@code timeout}; empty on timeout. */
    Optional<Event> nextEvent(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** Posts an event from another thread (the transfer thread). */
    void post(Event event) {
        events.add(event);
    }

    /** Bytes the reader holds beyond the last line (must be 0 before a TLS upgrade). */
    int buffered() {
        return reader.buffered();
    }

    /** Sends one reply; safe from any thread. */
    void reply(Reply reply) throws IOException {
        writeLock.lock();
        try {
            writeStarted = System.nanoTime();
            for (String line : reply.wireLines()) {
                writer.writeLine(line);
            }
            writer.flush();
        } finally {
            writeStarted = 0;
            writeLock.unlock();
        }
    }

    /**
     * Closes the connection if a reply has been stuck in {@code write} for longer than
     * {@code limit}: a client that never reads would otherwise hold the session (and the write
     * lock) forever, since socket writes have no timeout. Called by the server's watchdog.
     */
    void closeIfWriteStuck(long nowNanos, Duration limit) {
        long started = writeStarted;
        if (started != 0 && nowNanos - started > limit.toNanos()) {
            close();
        }
    }

    /**
     * Switches to TLS as the server (RFC 4217). Call only while the reader waits for
     * {@link #readNext()}: the handshake takes over the socket. Bounded by {@code timeout}.
     */
    void upgradeToTls(SSLContext context, boolean tls12Only, Duration timeout, Session session) throws IOException {
        Socket plain = socket;
        int previous = plain.getSoTimeout();
        SSLSocket ssl = ServerTls.serverSide(context, plain, tls12Only ? TlsVersions.TLS_1_2 : TlsVersions.TLS_1_2_AND_1_3);
        ssl.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
        ssl.startHandshake();
        ssl.setSoTimeout(previous);
        writeLock.lock();
        try {
            writer = new LineWriter(CountingStreams.out(ssl.getOutputStream(), session), StandardCharsets.UTF_8);
        } finally {
            writeLock.unlock();
        }
        reader = new LineReader(new DeadlineInput(CountingStreams.in(ssl.getInputStream(), session)), options);
        socket = ssl;
    }

    /**
     * TCP urgent data stays in the stream (SO_OOBINLINE, as vsftpd and pyftpdlib do), for every
     * control connection from its first byte. In clear text the Telnet bytes sent urgent around
     * an ABOR (RFC 959 section 4.1.3) then arrive whole and {@code CommandParser} strips them;
     * dropped, they cut lines: Python's ftplib.abort() sends all of "ABOR\r\n" urgent, so its LF
     * was lost and the line never ended. Under TLS, urgent data can only be a client writing the
     * Synch in the clear into the TLS stream (ftp-ssl on Ctrl-C): inline, the record header it
     * makes is impossible and the session ends at once, where the bytes left after the drop read
     * as a header announcing 16,706 bytes, waited for until the idle timeout.
     */
    static void urgentInline(Socket plain) throws IOException {
        plain.setOOBInline(true);
    }

    /** The TLS session of the control connection, if it is protected. */
    Optional<SSLSession> tlsSession() {
        return socket instanceof SSLSocket ssl ? Optional.of(ssl.getSession()) : Optional.empty();
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    Socket socket() {
        return socket;
    }

    /** Closes the connection; on TLS this sends close_notify first (SSLSocket.close does). */
    @Override
    public void close() {
        closed = true;
        try {
            if (socket instanceof SSLSocket ssl && !ssl.isOutputShutdown() && !ssl.isClosed()) {
                // close_notify alone: SSLSocket.close() under TLS 1.3 sends user_canceled first
                ssl.shutdownOutput();
            }
        } catch (IOException ignored) {
            // the peer is gone; close below anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // the session is over either way
        }
        mayRead.release();
    }

    /**
     * The control input with the line deadline applied: each read waits at most until
     * {@link #lineDeadline} (SO_TIMEOUT set to what is left), so a client that sends one byte
     * every few seconds cannot keep a line open past the idle timeout (issue #9).
     */
    private final class DeadlineInput extends InputStream {
        private final InputStream in;

        DeadlineInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = lineDeadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("command line not complete within " + lineTimeout);
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000)));
            return in.read(b, off, len);
        }
    }
}
