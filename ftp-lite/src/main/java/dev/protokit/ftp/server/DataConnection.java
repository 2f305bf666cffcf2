package dev.protokit.ftp.server;

import dev.protokit.common.tls.ServerTls;
import dev.protokit.common.tls.TlsVersions;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One open data connection. Plain connections keep their {@link SocketChannel} so downloads can
 * use {@code FileChannel.transferTo} (zero copy); protected ones (PROT P) are an {@link SSLSocket}
 * acting as the TLS server, as RFC 4217 requires whichever side connected.
 * {@link #close()} on TLS sends close_notify, so the client can tell a complete file from a cut one.
 */
final class DataConnection implements AutoCloseable {
    private final Socket plain;
    private volatile Socket socket;

    private DataConnection(Socket plain) {
        this.plain = plain;
        this.socket = plain;
    }

    /**
     * Opens the connection {@code route} describes within {@code timeout}. A passive listener
     * accepts only the control connection's peer address: anyone else is closed at once and
     * the wait goes on (a third party cannot steal the data).
     */
    static DataConnection open(DataRoute route, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return switch (route) {
            case DataRoute.Passive(var listener, var expectedPeer, var permit) -> {
                try (route) {
                    while (true) {
                        long left = (deadline - System.nanoTime()) / 1_000_000;
                        if (left <= 0) {
                            throw new SocketTimeoutException("no data connection within " + timeout);
                        }
                        listener.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                        Socket s = listener.socket().accept();
                        if (s.getInetAddress().equals(expectedPeer)) {
                            yield new DataConnection(noDelay(s));
                        }
                        s.close();
                    }
                }
            }
            case DataRoute.Active(var target, var local) -> {
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.bind(new InetSocketAddress(local, 0));
                    channel.socket().connect(target, (int) Math.max(1, timeout.toMillis()));
                    yield new DataConnection(noDelay(channel.socket()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
            }
        };
    }

    /**
     * TCP_NODELAY: the last segment of a file, a listing or a TLS handshake flight goes out at
     * once instead of waiting for the peer's delayed ACK (about 40 ms per FTPS data connection
     * under Nagle). Bulk transfers fill whole segments either way.
     */
    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    /** Applies the data timeout to reads (writes are watched by the transfer watchdog). */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
    }

    /**
     * Runs the TLS handshake as server. With {@code mustResume}, the client must resume the
     * control connection's session (vsftpd's require_ssl_reuse): otherwise anyone who can reach
     * the passive port first could feed or read the data. Refusal is a 522 reply.
     */
    void startTls(SSLContext context, boolean tls12Only, Optional<SSLSession> mustResume, Duration timeout)
            throws IOException {
        SSLSocket ssl = ServerTls.serverSide(context, plain, tls12Only ? TlsVersions.TLS_1_2 : TlsVersions.TLS_1_2_AND_1_3);
        socket = ssl;
        ssl.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        ssl.startHandshake();
        if (mustResume.isPresent() && !resumes(mustResume.get(), ssl.getSession())) {
            throw new FtpException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                    "TLS session of data connection is not the control connection's; session reuse required.");
        }
        quickAck();
    }

    /**
     * Leaves delayed-ACK ("pingpong") mode, which the handshake's request-reply exchange put the
     * connection in: a client without TCP_NODELAY (Python's ftplib) holds its close_notify back
     * under Nagle until its last data record is acknowledged, so a delayed ACK cost every small
     * FTPS upload about 40 ms (issue #9). Linux leaves the mode again only when we send data,
     * which an upload does not do after the handshake.
     */
    private void quickAck() {
        try {
            plain.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux: delayed ACKs stay, which costs time, not correctness
        }
    }

    /**
     * True if {@code data} resumed {@code control}. Resumed by session id (TLS 1.2 cache), it is
     * the same session with the same id. Resumed from a session ticket (RFC 5077, which GnuTLS
     * clients such as lftp use, or TLS 1.3 PSK), JSSE rebuilds the session from the ticket under
     * another id but keeps the original's creation time, protocol and cipher suite; a full
     * handshake gets the time it ran, after the control connection's, so it never matches.
     */
    static boolean resumes(SSLSession control, SSLSession data) {
        byte[] controlId = control.getId();
        if (controlId.length > 0 && Arrays.equals(controlId, data.getId())) {
            return true;
        }
        return control.getProtocol().equals(data.getProtocol())
                && control.getCipherSuite().equals(data.getCipherSuite())
                && control.getCreationTime() == data.getCreationTime();
    }

    /** The channel for zero-copy writes, when the connection is not TLS. */
    Optional<SocketChannel> channel() {
        return socket instanceof SSLSocket ? Optional.empty() : Optional.ofNullable(plain.getChannel());
    }

    /** True once the connection runs TLS (PROT P). */
    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    InputStream in() throws IOException {
        return socket.getInputStream();
    }

    OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    /**
     * Closes gracefully: TLS close_notify, then the TCP connection. Under TLS 1.3 a plain
     * {@code SSLSocket.close()} sends user_canceled before close_notify, which GnuTLS clients
     * (lftp) report as a fatal alert; shutting the output down first sends close_notify alone.
     */
    @Override
    public void close() throws IOException {
        if (socket instanceof SSLSocket ssl && !ssl.isOutputShutdown()) {
            ssl.shutdownOutput();
        }
        socket.close();
    }

    /** Closes at once from another thread (ABOR, stall), making blocked I/O fail. */
    void abort() {
        try {
            plain.close();
        } catch (IOException ignored) {
            // the transfer fails, which is the point
        }
    }
}
