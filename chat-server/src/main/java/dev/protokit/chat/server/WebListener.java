package dev.protokit.chat.server;

import dev.protokit.chat.web.OriginPolicy;
import dev.protokit.chat.web.Responses;
import dev.protokit.chat.web.SecurityHeaders;
import dev.protokit.chat.web.StaticSite;
import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.daemon.Announce;
import dev.protokit.common.daemon.LogThrottle;
import dev.protokit.common.daemon.StartupException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web front door ({@code --web-port}): Jetty 12 serving HTTPS (plain HTTP only on a loopback
 * bind), the web client at {@code /}, and IRC over WebSocket at {@code /irc} per the IRCv3
 * WebSocket specification. Each WebSocket is an {@link IrcSession} on its own virtual thread
 * over a {@link WebSocketIrcConnection}, so accounts, rooms, history, flood and send-queue
 * limits are those of the TCP listeners. Upgrades are refused for a foreign Origin (403), an
 * unknown subprotocol (400); sessions past {@code --max-connections}/{@code --max-per-address}
 * get an IRC ERROR and close 1013.
 */
public final class WebListener implements ChatListener {
    private static final Logger LOG = LoggerFactory.getLogger("chat-server-web");
    /** Where the IRC WebSocket is. */
    public static final String IRC_PATH = "/irc";
    /** Largest WebSocket message read: a longer one closes the connection (1009); over an IRC line gets 417. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024;
    private static final int OUTPUT_BUFFER_BYTES = 16 * 1024;
    private static final Duration FORCE_WAIT = Duration.ofSeconds(2);

    /**
     * The web listener's own settings.
     *
     * @param port           TCP port (0: a free one)
     * @param tls            HTTPS and WSS with the server's certificate; false only on a loopback bind
     * @param allowedOrigins origins beside the server's own that may open the WebSocket
     * @param maxUploadBytes largest file the web client may share (0: uploads off)
     */
    public record Settings(int port, boolean tls, List<String> allowedOrigins, long maxUploadBytes) {
        /** With the native listener's default attachment limit. */
        public Settings(int port, boolean tls, List<String> allowedOrigins) {
            this(port, tls, allowedOrigins, NativeListener.DEFAULT_MAX_ATTACHMENT);
        }

        public Settings {
            if (maxUploadBytes < 0) {
                throw new IllegalArgumentException("upload limit must be >= 0, got " + maxUploadBytes);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("web port must be 0..65535, got " + port);
            }
            allowedOrigins = List.copyOf(allowedOrigins);
            for (String o : allowedOrigins) {
                OriginPolicy.invalid(o).ifPresent(m -> {
                    throw new IllegalArgumentException("--web-allowed-origin: " + m);
                });
            }
        }
    }

    private final ChatServerContext ctx;
    private final boolean tls;
    private final IrcRenderer renderer;
    private final AddressLimiter limiter;
    private final Server server;
    private final ServerConnector connector;
    private final OriginPolicy origins;
    private final Map<WebSocketIrcConnection, Thread> live = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LogThrottle refusals = LogThrottle.perPeerEvents();

    /** A factory for {@link ChatServerConfig#listeners()}. */
    public static ChatListener.Factory factory(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        return context -> new WebListener(context, settings);
    }

    private WebListener(ChatServerContext ctx, Settings settings) {
        this.ctx = ctx;
        this.tls = settings.tls();
        ChatServerConfig config = ctx.config();
        if (!tls && !config.bind().isLoopbackAddress()) {
            throw new IllegalArgumentException("plain HTTP for the web listener only on a loopback --bind");
        }
        this.renderer = new IrcRenderer(config.chat().serverName());
        this.limiter = new AddressLimiter(config.limits());
        var pool = new QueuedThreadPool(8, 2);
        pool.setName("chat-web");
        pool.setReservedThreads(0);
        // Handlers, upgrades and WebSocket events run on virtual threads; Jetty keeps its
        // selector and acceptor on the few platform threads above.
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("chat-web-", 0).factory()));
        this.server = new Server(pool);
        server.setStopTimeout(FORCE_WAIT.toMillis());
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (tls) {
            var secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // a self-signed certificate's name need not be the Host
            http.addCustomizer(secure);
        }
        var h1 = new HttpConnectionFactory(http);
        this.connector = tls
                ? new ServerConnector(server, 1, 1, new SslConnectionFactory(new WebTls(config.tls().orElseThrow(() ->
                        new IllegalArgumentException("the web listener over TLS needs a certificate"))), "http/1.1"), h1)
                : new ServerConnector(server, 1, 1, h1);
        connector.setHost(config.bind().getHostAddress());
        connector.setPort(settings.port());
        connector.setIdleTimeout(config.registrationTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(config.limits().maxConnections(), connector));
        connector.getSelectorManager().addEventListener(new WebConnectionLimit(config.limits()));
        var site = new StaticSite();
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxFrameSize(MAX_MESSAGE_BYTES);
            container.setAutoFragment(false);
            // A writer's batch of lines (up to IrcOutbound's 16 KiB chunk) fits Jetty's batch
            // buffer, pooled and held only while a write is under way: one socket write per batch.
            container.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
            container.setIdleTimeout(config.idleTimeout().plus(config.idleTimeout()));
            container.addMapping(IRC_PATH, this::upgrade);
        });
        ws.setHandler(new org.eclipse.jetty.server.Handler.Sequence(site, new WebFiles(config.stateDir(), settings.maxUploadBytes(), ctx.attachmentUsage())));
        // The outermost handler: each request's headers must come within the registration timeout.
        var headerDeadline = new HeaderDeadline(new SecurityHeaders(ws, tls), server.getScheduler(),
                config.registrationTimeout());
        connector.getSelectorManager().addEventListener(headerDeadline);
        server.setHandler(headerDeadline);
        server.setErrorHandler(new SecurityHeaders.Errors(tls));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            throw new StartupException("cannot start the web listener on port " + settings.port() + ": " + e.getMessage(), e);
        }
        this.origins = OriginPolicy.of(settings.allowedOrigins(), config.chat().serverName(), config.bind(),
                connector.getLocalPort(), tls);
        Announce.listening(LOG, tls ? "chat-server-webs" : "chat-server-web", "tcp",
                new InetSocketAddress(config.bind(), connector.getLocalPort()));
        LOG.info("web: IRC WebSocket at {}, origins {}", IRC_PATH, origins.allowed());
    }

    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        var peer = (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
        Optional<String> origin = Optional.ofNullable(request.getHeaders().get(HttpHeader.ORIGIN));
        if (!origins.allows(origin)) {
            refusals.admit().ifPresent(left -> LOG.warn("web: refused WebSocket from {}: origin {} not allowed{}",
                    Addresses.format(peer), origin.orElseThrow(), LogThrottle.suffix(left)));
            Responses.text(response, callback, 403, "origin not allowed");
            return null;
        }
        WebSocketIrcConnection.Framing framing = WebSocketIrcConnection.Framing.TEXT;
        List<String> offered = request.getSubProtocols();
        if (!offered.isEmpty()) {
            Optional<WebSocketIrcConnection.Framing> chosen = offered.stream()
                    .flatMap(p -> java.util.Arrays.stream(WebSocketIrcConnection.Framing.values()).filter(f -> f.subprotocol().equals(p)))
                    .findFirst();
            if (chosen.isEmpty()) {
                Responses.text(response, callback, 400, "unsupported subprotocol: use text.ircv3.net or binary.ircv3.net");
                return null;
            }
            framing = chosen.get();
            response.setAcceptedSubProtocol(framing.subprotocol());
        }
        var log = new WebSocketLog("web-" + ids.incrementAndGet(), peer);
        log.detail("subprotocol", offered.isEmpty() ? "none" : framing.subprotocol());
        return new WebSocketIrcConnection(peer, tls, framing, ctx.config().registrationTimeout(), log, this::opened);
    }

    /** The WebSocket is open: admit it against the limits and start its IRC session. */
    private void opened(WebSocketIrcConnection connection, WebSocketLog log) {
        var peer = connection.peer();
        switch (limiter.admit(peer.getAddress())) {
            case AddressLimiter.Refused(var rejection) -> {
                refusals.admit().ifPresent(left -> LOG.warn("web: refused {}: {}{}", Addresses.format(peer),
                        rejection.reason(), LogThrottle.suffix(left)));
                connection.refuse("ERROR :Closing Link: too many connections (" + rejection.reason() + ")",
                        StatusCode.TRY_AGAIN_LATER);
            }
            case AddressLimiter.Admitted(var permit) -> {
                Thread t = Thread.ofVirtual().name("chat-server-web-" + Addresses.format(peer)).unstarted(() -> {
                    try {
                        new IrcSession(ctx, connection, renderer).run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        LOG.debug("web session {} failed", Addresses.format(peer), e);
                    } finally {
                        live.remove(connection);
                        permit.close();
                        connection.close();
                        log.end(LOG);
                    }
                });
                live.put(connection, t);
                t.start();
            }
        }
    }

    @Override
    public String name() {
        return tls ? "webs" : "web";
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public int activeSessions() {
        return live.size();
    }

    @Override
    public void shutdown(Duration grace) {
        try {
            connector.close(); // stop accepting
        } catch (RuntimeException e) {
            LOG.debug("closing the web connector", e);
        }
        live.keySet().forEach(WebSocketIrcConnection::serverStopping);
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (Thread t : List.copyOf(live.values())) {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            // Closing the WebSocket ends the session's read; its thread still tells the core it quit.
            live.keySet().forEach(WebSocketIrcConnection::close);
            for (Thread t : List.copyOf(live.values())) {
                t.join(FORCE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping the web server", e);
        }
    }

    /** Jetty's TLS with common's server policy (TLS 1.2/1.3, AEAD suites only, no renegotiation). */
    private static final class WebTls extends org.eclipse.jetty.util.ssl.SslContextFactory.Server {
        private final javax.net.ssl.SSLParameters policy;

        WebTls(SSLContext context) {
            setSslContext(context);
            this.policy = dev.protokit.common.tls.ServerTls.serverEngine(context,
                    dev.protokit.common.tls.TlsVersions.TLS_1_2_AND_1_3).getSSLParameters();
            // The same policy stated to Jetty, which checks and reports its configuration.
            setIncludeProtocols(policy.getProtocols());
            setIncludeCipherSuites(policy.getCipherSuites());
        }

        @Override
        public void customize(javax.net.ssl.SSLEngine engine) {
            // Every engine Jetty makes (each connection, and its own configuration check) gets
            // common's parameters; Jetty's defaults would be wider.
            engine.setSSLParameters(policy);
        }
    }
}
