package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatConfig;
import dev.protokit.chat.core.OfflineNotifier;
import dev.protokit.chat.store.Migration;
import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.FailureThrottle;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;

/**
 * Everything {@link ChatServer} needs, built from the command line or by tests.
 *
 * @param chat            the core's policies
 * @param stateDir        where the database ({@code chat.db}) and generated certificates live
 * @param bind            the address every listener binds except plain IRC
 * @param ircBind         the address of the plain IRC listener (loopback unless asked otherwise:
 *                        plain IRC carries nicks, messages and PASS in the clear)
 * @param ircPort         plain IRC port (0: a free one), empty: no plain IRC listener
 * @param ircTlsPort      IRC over TLS port (0: a free one), empty: none
 * @param nativePort      native protocol port (0: a free one), empty: none
 * @param limits          sessions overall and per address, per listener
 * @param idleTimeout     a client silent this long is pinged, then dropped
 * @param registrationTimeout a connection that has not registered (logged in) by then is closed
 * @param floodBurst      messages a client may send at once before the rate applies
 * @param floodRate       messages a second a client may send steadily
 * @param maxSendQueue    bytes queued for a client before it is cut ("SendQ exceeded")
 * @param motd            the message of the day lines (empty: none, IRC 422)
 * @param loginPolicy     failed SASL/PASS logins: delay and lockout per address and per account
 * @param extraMigrations other modules' tables in the same database (the mail outbox)
 * @param listeners       extra listeners started with the server (the native one)
 * @param notifier        makes the offline notifier from the opened store (the mail module's)
 * @param tls             the certificate for the IRC TLS listener (and any other TLS listener)
 * @param attachmentQuota bytes of attachments one account may have stored at once (0: none)
 */
public record ChatServerConfig(ChatConfig chat, Path stateDir, InetAddress bind, InetAddress ircBind, OptionalInt ircPort,
                               OptionalInt ircTlsPort, OptionalInt nativePort, ConnectionLimits limits,
                               Duration idleTimeout, Duration registrationTimeout, int floodBurst, double floodRate,
                               int maxSendQueue, List<String> motd, FailureThrottle.Policy loginPolicy,
                               List<Migration> extraMigrations, List<ChatListener.Factory> listeners,
                               NotifierFactory notifier, Optional<SSLContext> tls, long attachmentQuota) {
    /** Default {@code attachmentQuota}: 256 MiB per account. */
    public static final long DEFAULT_ATTACHMENT_QUOTA = 256L << 20;

    /** Makes the {@link OfflineNotifier} once the store is open (the mail outbox lives in it). */
    @FunctionalInterface
    public interface NotifierFactory {
        /** No notifications. */
        NotifierFactory NONE = store -> OfflineNotifier.NONE;

        OfflineNotifier create(SqliteChatStore store);
    }

    public ChatServerConfig {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(ircBind, "ircBind");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(loginPolicy, "loginPolicy");
        checkPort(ircPort, "IRC");
        checkPort(ircTlsPort, "IRC TLS");
        checkPort(nativePort, "native");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || registrationTimeout.isNegative() || registrationTimeout.isZero()) {
            throw new IllegalArgumentException("idle and registration timeouts must be positive");
        }
        if (floodBurst < 1 || !(floodRate > 0) || floodRate > 1_000_000) {
            throw new IllegalArgumentException("flood burst must be >= 1 and flood rate > 0 messages a second");
        }
        if (maxSendQueue < 4096) {
            throw new IllegalArgumentException("send queue limit must be at least 4096 bytes");
        }
        motd = List.copyOf(motd);
        extraMigrations = List.copyOf(extraMigrations);
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(notifier, "notifier");
        Objects.requireNonNull(tls, "tls");
        if (ircTlsPort.isPresent() && tls.isEmpty()) {
            throw new IllegalArgumentException("an IRC TLS port needs a TLS certificate");
        }
        if (attachmentQuota < 0) {
            throw new IllegalArgumentException("attachment quota must be >= 0, got " + attachmentQuota);
        }
    }

    private static void checkPort(OptionalInt port, String what) {
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException(what + " port must be 0..65535, got " + port.getAsInt());
        }
    }

    /** Tests: loopback, plain IRC on a free port, no TLS or native listener, small limits, fast timeouts. */
    public static ChatServerConfig forTests(Path stateDir) {
        return new ChatServerConfig(ChatConfig.defaults("irc.test"), stateDir, InetAddress.getLoopbackAddress(),
                InetAddress.getLoopbackAddress(), OptionalInt.of(0), OptionalInt.empty(), OptionalInt.empty(), new ConnectionLimits(256, 256),
                Duration.ofMinutes(2), Duration.ofSeconds(30), 20, 10, 64 * 1024, List.of("Welcome to the test server."),
                new FailureThrottle.Policy(2, Duration.ofMillis(50), Duration.ofMillis(200), 5, Duration.ofMinutes(5),
                        Duration.ofHours(1), 10_000),
                List.of(), List.of(), NotifierFactory.NONE, Optional.empty(), DEFAULT_ATTACHMENT_QUOTA);
    }

    /** This configuration with {@code chat} policies. */
    public ChatServerConfig withChat(ChatConfig newChat) {
        return new ChatServerConfig(newChat, stateDir, bind, ircBind, ircPort, ircTlsPort, nativePort, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, extraMigrations, listeners, notifier, tls, attachmentQuota);
    }

    /** This configuration with other flood limits and send-queue limit. */
    public ChatServerConfig withFlood(int burst, double rate, int sendQueue) {
        return new ChatServerConfig(chat, stateDir, bind, ircBind, ircPort, ircTlsPort, nativePort, limits, idleTimeout,
                registrationTimeout, burst, rate, sendQueue, motd, loginPolicy, extraMigrations, listeners, notifier, tls, attachmentQuota);
    }

    /** This configuration with a TLS listener on {@code port} (0: a free one) using {@code context}. */
    public ChatServerConfig withTls(int port, SSLContext context) {
        return new ChatServerConfig(chat, stateDir, bind, ircBind, ircPort, OptionalInt.of(port), nativePort, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, extraMigrations, listeners, notifier,
                Optional.of(context), attachmentQuota);
    }

    /** This configuration with another login policy. */
    public ChatServerConfig withLoginPolicy(FailureThrottle.Policy policy) {
        return new ChatServerConfig(chat, stateDir, bind, ircBind, ircPort, ircTlsPort, nativePort, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, policy, extraMigrations, listeners, notifier, tls, attachmentQuota);
    }

    /** This configuration with other listening addresses: {@code bind} for all but plain IRC, {@code irc} for it. */
    public ChatServerConfig withBinds(InetAddress newBind, InetAddress irc) {
        return new ChatServerConfig(chat, stateDir, newBind, irc, ircPort, ircTlsPort, nativePort, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, extraMigrations, listeners, notifier, tls, attachmentQuota);
    }

    /** This configuration with other ports (empty: that listener is off). */
    public ChatServerConfig withPorts(OptionalInt irc, OptionalInt ircTls, OptionalInt nativeP) {
        return new ChatServerConfig(chat, stateDir, bind, ircBind, irc, ircTls, nativeP, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, extraMigrations, listeners, notifier, tls, attachmentQuota);
    }

    /** This configuration with other timeouts. */
    public ChatServerConfig withTimeouts(Duration idle, Duration registration) {
        return new ChatServerConfig(chat, stateDir, bind, ircBind, ircPort, ircTlsPort, nativePort, limits, idle,
                registration, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, extraMigrations, listeners, notifier, tls, attachmentQuota);
    }

    /** This configuration with more listeners, migrations and a notifier (the native and mail modules). */
    public ChatServerConfig withExtensions(List<ChatListener.Factory> moreListeners, List<Migration> moreMigrations,
                                           NotifierFactory newNotifier) {
        var l = new java.util.ArrayList<>(listeners);
        l.addAll(moreListeners);
        var m = new java.util.ArrayList<>(extraMigrations);
        m.addAll(moreMigrations);
        return new ChatServerConfig(chat, stateDir, bind, ircBind, ircPort, ircTlsPort, nativePort, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, m, l, newNotifier, tls, attachmentQuota);
    }

    /** This configuration with another per-account attachment quota. */
    public ChatServerConfig withAttachmentQuota(long bytes) {
        return new ChatServerConfig(chat, stateDir, bind, ircBind, ircPort, ircTlsPort, nativePort, limits, idleTimeout,
                registrationTimeout, floodBurst, floodRate, maxSendQueue, motd, loginPolicy, extraMigrations, listeners, notifier, tls,
                bytes);
    }

    /** The database file in the state directory. */
    public Path database() {
        return stateDir.resolve("chat.db");
    }
}
