package dev.protokit.chat.server;

import dev.protokit.common.daemon.Session;
import dev.protokit.common.frame.LineOptions;
import dev.protokit.common.frame.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * IRC over a TCP (or TLS) socket from common's {@code TcpServer}: lines of at most
 * {@link IrcSession#MAX_LINE_BYTES} read by a {@link LineReader} that takes CR LF or a lone LF as
 * the end of a line (RFC 2812 2.3 asks for CR LF, but every ircd, and clients such as nmap's
 * irc-info and netcat users, end lines with LF alone; a lone CR stays data, which
 * {@code IrcCodec} refuses as a control character), written as they are encoded.
 * Plain connections are {@link WatchedSocket}s: between lines a silent client's session parks
 * and holds no thread. TLS connections keep their reader thread (an {@code SSLSocket} only
 * reads blocking).
 */
final class TcpIrcConnection implements IrcConnection {
    private final Session session;
    private final InputStream in;
    private final OutputStream out;
    private final boolean tls;
    private final LineReader reader;
    /** The plain connection's watched channel; null for TLS. */
    private final WatchedSocket watched;
    /** Set when a parked connection woke at its deadline: the next read reports the timeout. */
    private boolean timedOut;
    /**
     * Set when a parked connection woke because its socket is readable: it reads before it may
     * park again. The end of the stream is readable too, but {@code available()} reports it as
     * 0 bytes, so a client that hung up would otherwise be parked and woken again forever.
     */
    private boolean readable;

    private TcpIrcConnection(Session session, InputStream in, OutputStream out, boolean tls, WatchedSocket watched) {
        this.session = session;
        this.in = session.counting(in);
        this.out = session.counting(out);
        this.tls = tls;
        this.watched = watched;
        this.reader = new LineReader(this.in, LineOptions.strict(IrcSession.MAX_LINE_BYTES).allowingBareLf());
    }

    /** Plain IRC on the session's channel, watched by {@code idle} while the client is silent. */
    static TcpIrcConnection plain(Session session, IdleSockets idle) throws IOException {
        WatchedSocket w = idle.watch(session.socket().getChannel(), Thread.currentThread().getName());
        session.onClose(w::closed);
        return new TcpIrcConnection(session, w.input(), w.output(), false, w);
    }

    /** IRC over {@code ssl} (handshake done), layered on the session's socket. */
    static TcpIrcConnection tls(Session session, SSLSocket ssl) throws IOException {
        return new TcpIrcConnection(session, ssl.getInputStream(), ssl.getOutputStream(), true, null);
    }

    @Override
    public InetSocketAddress peer() {
        return session.peer();
    }

    @Override
    public boolean secure() {
        return tls;
    }

    @Override
    public Optional<String> readLine() throws IOException {
        if (timedOut) {
            timedOut = false;
            throw new SocketTimeoutException("idle for the read timeout");
        }
        return reader.readLine();
    }

    @Override
    public boolean parkWhenIdle(Session.Continuation resume) throws IOException {
        if (watched == null || timedOut || readable || reader.buffered() > 0 || watched.available() > 0) {
            readable = false;
            return false;
        }
        reader.releaseBuffer();
        session.suspend(() -> watched.park(late -> {
            timedOut = late;
            readable = !late;
            session.resume(resume);
        }));
        return true;
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
        Duration t = timeout.isZero() ? Duration.ofMillis(1) : timeout;
        if (watched != null) {
            watched.readTimeout(t);
        } else {
            session.socket().setSoTimeout(Math.toIntExact(t.toMillis()));
        }
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void shutdownOutput() throws IOException {
        // On the raw socket, never the SSLSocket (whose close could wait for the writer's lock).
        session.socket().shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        session.socket().close();
        if (watched != null) {
            watched.closed();
        }
    }

    @Override
    public void discardInput(Duration linger) {
        try {
            readTimeout(Duration.ofMillis(200));
            byte[] sink = new byte[1024]; // small: every closing connection allocates one, and it rarely reads anything
            long deadline = System.nanoTime() + linger.toNanos();
            int total = 0;
            while (System.nanoTime() < deadline && total < 1 << 20) {
                int n = in.read(sink);
                if (n < 0) {
                    return;
                }
                total += n;
            }
        } catch (IOException e) {
            // closed or timed out: nothing more to wait for
        }
    }

    @Override
    public void detail(String key, Object value) {
        session.detail(key, value);
    }

    @Override
    public void handshakeComplete() {
        session.handshakeComplete();
    }

    @Override
    public void onServerStop(Runnable action) {
        session.onServerStop(action);
    }
}
