package dev.protokit.chat.server;

import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.Rejection;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.TcpServer;
import dev.protokit.common.tls.ServerTls;
import dev.protokit.common.tls.TlsVersions;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * The IRC listener, plain ({@code irc}) or TLS from the first byte ({@code ircs}), on common's
 * {@link TcpServer}: a virtual thread per connection, connection limits overall and per address,
 * the registration deadline (TcpServer's handshake timeout) and the three-step shutdown. Each
 * connection is an {@link IrcSession}.
 */
final class IrcListener implements ChatListener, ConnectionHandler {
    private final ChatServerContext ctx;
    private final boolean tls;
    private final IrcRenderer renderer;
    private final TcpServer server;

    private IrcListener(ChatServerContext ctx, int port, boolean tls) {
        this.ctx = ctx;
        this.tls = tls;
        this.renderer = new IrcRenderer(ctx.config().chat().serverName());
        var config = ctx.config();
        this.server = TcpServer.start(new TcpServer.Config(tls ? "chat-server-ircs" : "chat-server-irc",
                new InetSocketAddress(tls ? config.bind() : config.ircBind(), port), config.limits(), config.idleTimeout().plus(config.idleTimeout()),
                config.registrationTimeout()), this);
    }

    /** Plain IRC on {@code port}. */
    static IrcListener plain(ChatServerContext ctx, int port) {
        return new IrcListener(ctx, port, false);
    }

    /** IRC over TLS on {@code port}. */
    static IrcListener tls(ChatServerContext ctx, int port) {
        return new IrcListener(ctx, port, true);
    }

    @Override
    public String name() {
        return tls ? "ircs" : "irc";
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int activeSessions() {
        return server.activeSessions();
    }

    @Override
    public void shutdown(Duration grace) {
        server.shutdown(grace);
    }

    @Override
    public void handle(Session session) throws Exception {
        if (!tls) {
            new IrcSession(ctx, new TcpIrcConnection(session, session.in(), session.out(), false), renderer).run();
            return;
        }
        SSLSocket ssl = ServerTls.serverSide(ctx.config().tls().orElseThrow(), session.socket(), TlsVersions.TLS_1_2_AND_1_3);
        ssl.startHandshake();
        new IrcSession(ctx, new TcpIrcConnection(session, counting(ssl.getInputStream(), session),
                counting(ssl.getOutputStream(), session), true), renderer).run();
    }

    /** Over a limit: one ERROR line on a plain connection (TLS peers just see the close). */
    @Override
    public void rejected(Socket socket, Rejection rejection) throws IOException {
        if (!tls) {
            OutputStream out = socket.getOutputStream();
            out.write(("ERROR :Closing Link: too many connections (" + rejection.reason() + ")\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static InputStream counting(InputStream in, Session session) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    session.countBytes(n, 0);
                }
                return n;
            }
        };
    }

    private static OutputStream counting(OutputStream out, Session session) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                session.countBytes(0, len);
            }
        };
    }
}
