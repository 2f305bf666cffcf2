package dev.protokit.ftp.server;

import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.Rejection;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.TcpServer;
import dev.protokit.common.tls.ServerTls;
import dev.protokit.common.tls.TlsVersions;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLSocket;

/**
 * An FTP/FTPS server: the control listener (plain, with AUTH TLS) and optionally an implicit
 * FTPS listener, both on {@link TcpServer} (a virtual thread per session, session limits,
 * timeouts, three-step shutdown). Tests start it in-process on port 0.
 */
public final class FtpServer implements AutoCloseable {
    private final ServerContext context;
    private final TcpServer control;
    private final Optional<TcpServer> implicit;

    private FtpServer(FtpServerConfig config) {
        this.context = new ServerContext(config);
        Clock clock = Clock.systemUTC();
        TcpServer plain = null;
        try {
            plain = TcpServer.start(tcpConfig("ftp-lite", config, config.bind()), new Handler(false, clock));
            OptionalInt port = config.implicitPort();
            this.implicit = port.isPresent()
                    ? Optional.of(TcpServer.start(tcpConfig("ftps-implicit", config,
                            new InetSocketAddress(config.bind().getAddress(), port.getAsInt())), new Handler(true, clock)))
                    : Optional.empty();
        } catch (RuntimeException e) {
            if (plain != null) {
                plain.close();
            }
            context.close();
            throw e;
        }
        this.control = plain;
    }

    /** Binds and starts serving; the "listening" lines are logged. */
    public static FtpServer start(FtpServerConfig config) {
        return new FtpServer(Objects.requireNonNull(config, "config"));
    }

    /** The control (plain / AUTH TLS) port. */
    public int port() {
        return control.port();
    }

    /** The implicit FTPS port, if one was configured. */
    public OptionalInt implicitPort() {
        return implicit.map(s -> OptionalInt.of(s.port())).orElse(OptionalInt.empty());
    }

    public InetSocketAddress localAddress() {
        return control.localAddress();
    }

    /** Sessions being served now on both listeners. */
    public int activeSessions() {
        return control.activeSessions() + implicit.map(TcpServer::activeSessions).orElse(0);
    }

    /** Stops accepting, lets sessions finish for up to {@code grace}, then closes the rest. */
    public void shutdown(Duration grace) {
        // Both listeners drain at the same time, so the whole stop takes one grace period.
        Optional<Thread> other = implicit.map(s -> Thread.ofVirtual().name("ftps-implicit-stop").start(() -> s.shutdown(grace)));
        control.shutdown(grace);
        try {
            if (other.isPresent()) {
                other.get().join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            context.close();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private static TcpServer.Config tcpConfig(String name, FtpServerConfig config, InetSocketAddress bind) {
        // The TcpServer's handshake deadline covers connect-to-greeting (the implicit TLS
        // handshake); the session enforces the login deadline itself.
        return new TcpServer.Config(name, bind, config.limits(), config.idleTimeout(), config.handshakeTimeout());
    }

    private final class Handler implements ConnectionHandler {
        private final boolean implicitTls;
        private final Clock clock;

        Handler(boolean implicitTls, Clock clock) {
            this.implicitTls = implicitTls;
            this.clock = clock;
        }

        @Override
        public void handle(Session session) throws Exception {
            ControlChannel channel;
            ControlChannel.urgentInline(session.socket());
            if (implicitTls) {
                SSLSocket ssl = ServerTls.serverSide(context.config.tls(), session.socket(),
                        context.config.requireTlsReuse() ? TlsVersions.TLS_1_2 : TlsVersions.TLS_1_2_AND_1_3);
                ssl.startHandshake();
                channel = new ControlChannel(ssl, CountingStreams.in(ssl.getInputStream(), session),
                        CountingStreams.out(ssl.getOutputStream(), session), context.config.maxLineBytes(),
                        context.config.idleTimeout());
            } else {
                channel = new ControlChannel(session.socket(), session.in(), session.out(), context.config.maxLineBytes(),
                        context.config.idleTimeout());
            }
            new FtpSession(context, session, channel, implicitTls, clock).run();
        }

        /** Over a limit: "421 Too many connections" (RFC 959 4.2), then the server closes. */
        @Override
        public void rejected(Socket socket, Rejection rejection) throws IOException {
            if (implicitTls) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(Reply.of(ReplyCode.SERVICE_NOT_AVAILABLE, "Too many connections (" + rejection.reason() + ").")
                    .encode().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
