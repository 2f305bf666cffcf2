package dev.protokit.chat.server;

import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.Rejection;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.TcpServer;
import dev.protokit.common.tls.ServerTls;
import dev.protokit.common.tls.TlsVersions;
import java.io.IOException;
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
 * connection is an {@link IrcSession}; plain ones are watched by {@link IdleSockets} while silent.
 */
final class IrcListener implements ChatListener, ConnectionHandler {
    private final ChatServerContext ctx;
    private final boolean tls;
    private final IrcRenderer renderer;
    private final TcpServer server;
    /** Watches silent plain connections (TLS ones keep their reader thread); null for TLS. */
    private final IdleSockets idle;

    private IrcListener(ChatServerContext ctx, int port, boolean tls) {
        this.ctx = ctx;
        this.tls = tls;
        this.renderer = new IrcRenderer(ctx.config().chat().serverName());
        var config = ctx.config();
        String name = tls ? "chat-server-ircs" : "chat-server-irc";
        this.idle = tls ? null : IdleSockets.start(name);
        try {
            this.server = TcpServer.start(new TcpServer.Config(name, new InetSocketAddress(tls ? config.bind() : config.ircBind(), port),
                    config.limits(), config.idleTimeout().plus(config.idleTimeout()), config.registrationTimeout(), !tls), this);
        } catch (RuntimeException e) {
            if (idle != null) {
                idle.close();
            }
            throw e;
        }
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
        if (idle != null) {
            idle.close();
        }
    }

    @Override
    public void handle(Session session) throws Exception {
        if (!tls) {
            new IrcSession(ctx, TcpIrcConnection.plain(session, idle), renderer).run();
            return;
        }
        SSLSocket ssl = ServerTls.serverSide(ctx.config().tls().orElseThrow(), session.socket(), TlsVersions.TLS_1_2_AND_1_3);
        ssl.startHandshake();
        new IrcSession(ctx, TcpIrcConnection.tls(session, ssl), renderer).run();
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
}
