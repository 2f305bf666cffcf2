package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatCore;
import dev.protokit.common.auth.ServerAuthenticator;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.daemon.TcpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The native {@code protokit-chat/1} listener (default TCP 6680) on common's {@link TcpServer}:
 * one virtual thread per connection running {@link NativeSession}, the shared connection limits,
 * the handshake deadline and idle timeout, and failed handshakes throttled per address. Keys
 * are looked up in the account store at each handshake, so accounts added or removed while the
 * server runs take effect at once.
 */
public final class NativeListener implements ChatListener {
    /** The port the native listener uses unless told otherwise. */
    public static final int DEFAULT_PORT = 6680;
    /** The largest attachment accepted unless configured otherwise. */
    public static final long DEFAULT_MAX_ATTACHMENT = 16L * 1024 * 1024;
    /** Extra time the runtime gives the handshake before it closes the socket itself (the backstop). */
    private static final Duration BACKSTOP = Duration.ofSeconds(2);

    /**
     * What the native listener enforces beside the server-wide limits.
     *
     * @param maxAttachmentBytes largest attachment (0 disables attachments)
     * @param floodBurst         messages at once
     * @param floodRate          messages a second after the burst
     * @param maxSendQueue       bytes queued for a client before it is cut
     * @param tls                the certificate when the listener speaks TLS ({@code --native-tls}), else empty
     */
    record Settings(long maxAttachmentBytes, int floodBurst, double floodRate, long maxSendQueue, Optional<SSLContext> tls) {}

    private final TcpServer tcp;

    private NativeListener(TcpServer tcp) {
        this.tcp = tcp;
    }

    /**
     * A factory for {@link ChatServerConfig#listeners()}: listens on {@link ChatServerConfig#nativePort()}
     * and takes attachments up to {@code maxAttachmentBytes}.
     */
    public static ChatListener.Factory factory(long maxAttachmentBytes) {
        return factory(maxAttachmentBytes, false);
    }

    /** As {@link #factory(long)}; with {@code tls}, the listener speaks TLS first, with {@link ChatServerConfig#tls()}. */
    public static ChatListener.Factory factory(long maxAttachmentBytes, boolean tls) {
        if (maxAttachmentBytes < 0) {
            throw new IllegalArgumentException("attachment limit must be >= 0, got " + maxAttachmentBytes);
        }
        return context -> start(context, context.config().nativePort().orElseThrow(() ->
                new IllegalArgumentException("the native listener needs a native port")), maxAttachmentBytes, tls, Clock.systemUTC());
    }

    private static NativeListener start(ChatServerContext context, int port, long maxAttachmentBytes, boolean tls, Clock clock) {
        if (tls && context.config().tls().isEmpty()) {
            throw new IllegalArgumentException("a TLS native listener needs a TLS certificate");
        }
        ChatServerConfig config = context.config();
        ChatCore core = context.core();
        FailureThrottle<InetAddress> throttle = new FailureThrottle<>(config.loginPolicy());
        // The key id is the account name; an unknown or invalid one looks exactly like a wrong key.
        var authenticator = new ServerAuthenticator(id -> core.account(id.value())
                .flatMap(a -> context.store().nativeKey(a.name())), throttle, config.registrationTimeout());
        var settings = new Settings(maxAttachmentBytes, config.floodBurst(), config.floodRate(), config.maxSendQueue(),
                tls ? config.tls() : Optional.empty());
        Path stateDir = config.stateDir();
        var attachments = new NativeAttachments(stateDir, maxAttachmentBytes, context.attachmentUsage());
        var session = new NativeSession(core, authenticator, settings, attachments, new NativeTyping(core), clock);
        var tcpConfig = new TcpServer.Config("chat-native", new InetSocketAddress(config.bind(), port), config.limits(),
                config.idleTimeout(), config.registrationTimeout().plus(BACKSTOP));
        return new NativeListener(TcpServer.start(tcpConfig, session));
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public int port() {
        return tcp.port();
    }

    @Override
    public int activeSessions() {
        return tcp.activeSessions();
    }

    @Override
    public void shutdown(Duration grace) {
        tcp.shutdown(Objects.requireNonNull(grace, "grace"));
    }

}
