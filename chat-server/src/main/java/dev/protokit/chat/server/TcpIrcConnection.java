package dev.protokit.chat.server;

import dev.protokit.common.daemon.Session;
import dev.protokit.common.frame.LineOptions;
import dev.protokit.common.frame.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * IRC over a TCP (or TLS) socket from common's {@code TcpServer}: lines read by a strict CR LF
 * {@link LineReader} of {@link IrcSession#MAX_LINE_BYTES}, written as they are encoded.
 */
final class TcpIrcConnection implements IrcConnection {
    private final Session session;
    private final InputStream in;
    private final OutputStream out;
    private final boolean tls;
    private final LineReader reader;

    TcpIrcConnection(Session session, InputStream in, OutputStream out, boolean tls) {
        this.session = session;
        this.in = in;
        this.out = out;
        this.tls = tls;
        this.reader = new LineReader(in, LineOptions.strict(IrcSession.MAX_LINE_BYTES));
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
        return reader.readLine();
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
        session.socket().setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
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
    }

    @Override
    public void discardInput(Duration linger) {
        try {
            session.socket().setSoTimeout(200);
            byte[] sink = new byte[8192];
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
