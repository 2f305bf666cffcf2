package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatConfig;
import dev.protokit.chat.mail.MailNotifier;
import dev.protokit.chat.mail.MailOptions;
import dev.protokit.chat.mail.MailOutbox;
import dev.protokit.chat.mail.MailSettings;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DaemonOptions;
import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.common.daemon.LimitOptions;
import dev.protokit.common.daemon.SizeConverter;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.UsageException;
import dev.protokit.common.daemon.VersionProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import dev.protokit.common.tls.ServerTls;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code chat-server} command line: flags become a {@link ChatServerConfig}; the server
 * runs until SIGTERM/SIGINT, tells its clients, drains, flushes history and exits 0.
 * {@code chat-server account ...} manages accounts in the same store.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, subcommands = AccountCommand.class,
        description = {"Multi-user chat daemon: IRC (RFC 1459/2812 with IRCv3) and the native protokit-chat/1 protocol "
                + "over one set of rooms, accounts and history.", "See docs/chat.md."})
public final class ChatServerCommand implements Callable<Integer> {
    /** Default native protocol port. */
    public static final int DEFAULT_PORT = 6680;
    /** Default plain IRC port. */
    public static final int DEFAULT_IRC_PORT = 6667;
    /** Default IRC over TLS port. */
    public static final int DEFAULT_IRC_TLS_PORT = 6697;

    @Spec private CommandSpec spec;
    @Mixin private DaemonOptions daemon;
    @Mixin private LimitOptions limits;
    @Mixin private MailOptions mail;

    private long maxAttachment = NativeListener.DEFAULT_MAX_ATTACHMENT;

    @Option(names = "--max-attachment", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest file a client may send (bytes, or with K, M, G); 0 turns attachments off (default: 16M).")
    private void maxAttachment(long value) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), "--max-attachment must be >= 0, got " + value);
        }
        maxAttachment = value;
    }

    @Option(names = "--attachment-quota", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes of attachments one account may have stored at once (native and web uploads together;"
                    + " they expire with --history-retention); 0 stores none (default: 256M).")
    private long attachmentQuota = ChatServerConfig.DEFAULT_ATTACHMENT_QUOTA;

    private int ircPort = DEFAULT_IRC_PORT;
    private int ircTlsPort = DEFAULT_IRC_TLS_PORT;
    private int floodBurst = 10;
    private double floodRate = 2;
    private int maxSendQueue = 256 * 1024;

    @Option(names = "--irc-port", paramLabel = "N", description = "Plain IRC port; 0 picks a free one (default: 6667).")
    private void ircPort(int value) {
        ircPort = port("--irc-port", value);
    }

    @Option(names = "--irc-bind", paramLabel = "ADDR", description = "Address of the plain IRC listener (default: --bind when "
            + "that is a loopback address, else 127.0.0.1): plain IRC is served to the network only when asked for.")
    private InetAddress ircBind;

    @Option(names = "--irc-tls-port", paramLabel = "N", description = "IRC over TLS port; 0 disables it (default: 6697).")
    private void ircTlsPort(int value) {
        ircTlsPort = port("--irc-tls-port", value);
    }

    @Option(names = "--flood-burst", paramLabel = "N", description = "Messages a client may send at once (default: 10).")
    private void floodBurst(int value) {
        if (value < 1 || value > 10_000) {
            throw new ParameterException(spec.commandLine(), "--flood-burst must be 1..10000, got " + value);
        }
        floodBurst = value;
    }

    @Option(names = "--flood-rate", paramLabel = "N", description = "Messages a second a client may send after the burst (default: 2).")
    private void floodRate(double value) {
        if (!(value > 0) || value > 100_000) {
            throw new ParameterException(spec.commandLine(), "--flood-rate must be > 0 and <= 100000, got " + value);
        }
        floodRate = value;
    }

    @Option(names = "--max-sendq", paramLabel = "BYTES", description = "Bytes queued for a client before it is cut with 'SendQ exceeded' (default: 262144).")
    private void maxSendQueue(int value) {
        if (value < 4096) {
            throw new ParameterException(spec.commandLine(), "--max-sendq must be at least 4096, got " + value);
        }
        maxSendQueue = value;
    }

    @Option(names = "--history-retention", paramLabel = "DURATION", defaultValue = "30d", converter = DurationConverter.class,
            description = "Delete messages older than this; 0 keeps them forever (default: ${DEFAULT-VALUE}).")
    private Duration historyRetention;

    @Option(names = "--guests", paramLabel = "allow|deny", defaultValue = "allow",
            description = "Whether clients without an account may connect (default: ${DEFAULT-VALUE}).")
    private Guests guests;

    @Option(names = "--room-creation", paramLabel = "anyone|operators", defaultValue = "anyone",
            description = "Who may create a room by joining it (default: ${DEFAULT-VALUE}).")
    private Creation roomCreation;

    @Option(names = "--server-name", paramLabel = "NAME", defaultValue = "localhost",
            description = "The server's name in IRC replies and prefixes (default: ${DEFAULT-VALUE}).")
    private String serverName;

    @Option(names = "--native-tls", description = "The native listener (--port) speaks TLS first, with the --tls-cert certificate;"
            + " clients connect with bin/chat --tls (default: plain TCP, for loopback or a trusted network).")
    private boolean nativeTls;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain for IRC over TLS, --native-tls and the web listener (default: a self-signed one kept in the state directory as irc-cert.pem).")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key for --tls-cert (unencrypted PEM).")
    private Path tlsKey;

    @Option(names = "--motd-file", paramLabel = "FILE", description = "Message of the day shown to IRC clients after registering.")
    private Path motdFile;

    private Integer webPort;

    @Option(names = "--web-port", paramLabel = "N", description = "HTTPS port for the web client (/) and IRC over WebSocket (/irc); "
            + "0 picks a free one (default: no web listener).")
    private void webPort(int value) {
        webPort = port("--web-port", value);
    }

    @Option(names = "--web-plain", description = "Serve the web listener over plain HTTP instead of HTTPS: only with a loopback --bind "
            + "(e.g. behind a TLS proxy on the same host, or for tests).")
    private boolean webPlain;

    @Option(names = "--web-allowed-origin", paramLabel = "ORIGIN", description = "A browser origin (scheme://host[:port]) besides "
            + "the server's own (https://SERVER-NAME:PORT) that may open the IRC WebSocket; repeatable.")
    private List<String> webOrigins = new java.util.ArrayList<>();

    @Option(names = "--registration-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.PositiveTimeout.class,
            description = "Close connections that have not registered (logged in) within this time (default: ${DEFAULT-VALUE}).")
    private Duration registrationTimeout;

    /** {@code --guests} values. */
    enum Guests { allow, deny }

    /** {@code --room-creation} values. */
    enum Creation { anyone, operators }

    private int port(String flag, int value) {
        if (value < 0 || value > 65535) {
            throw new ParameterException(spec.commandLine(), flag + " must be 0..65535, got " + value);
        }
        return value;
    }

    @Override
    public Integer call() throws java.io.IOException {
        ChatServerConfig config = config();
        Lifecycle.serve(() -> ChatServer.start(config), ChatServer::shutdown, limits.shutdownGrace());
        return DaemonLauncher.OK;
    }

    /** The flags as a configuration; bad values fail start-up with one line. */
    ChatServerConfig config() {
        try {
            var chat = new ChatConfig(serverName, guests == Guests.allow,
                    roomCreation == Creation.anyone ? ChatConfig.RoomCreation.ANYONE : ChatConfig.RoomCreation.OPERATORS,
                    50, historyRetention);
            Path state = daemon.stateDir("chat-server");
            var policy = FailureThrottle.Policy.defaults();
            var listeners = new java.util.ArrayList<ChatListener.Factory>(List.of(NativeListener.factory(maxAttachment, nativeTls)));
            web().ifPresent(w -> listeners.add(WebListener.factory(w)));
            boolean needsTls = ircTlsPort != 0 || nativeTls || (webPort != null && !webPlain);
            return new ChatServerConfig(chat, state, daemon.bindAddress(), ircBind(), OptionalInt.of(ircPort),
                    ircTlsPort == 0 ? OptionalInt.empty() : OptionalInt.of(ircTlsPort),
                    OptionalInt.of(daemon.port(DEFAULT_PORT)), limits.limits(), limits.idleTimeout(), registrationTimeout,
                    floodBurst, floodRate, maxSendQueue, motd(), policy, MailOutbox.MIGRATIONS,
                    listeners, notifier(mail.settings(serverName)),
                    needsTls ? Optional.of(tls(state)) : Optional.empty(), attachmentQuota);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** {@code --irc-bind}, else {@code --bind} if it is a loopback address, else the IPv4 loopback address. */
    private InetAddress ircBind() {
        if (ircBind != null) {
            return ircBind;
        }
        InetAddress bind = daemon.bindAddress();
        return bind.isLoopbackAddress() ? bind : InetAddress.getLoopbackAddress();
    }

    /** The web listener's settings, if {@code --web-port} was given; flags that do not go together are usage errors. */
    private Optional<WebListener.Settings> web() {
        if (webPort == null) {
            if (webPlain || !webOrigins.isEmpty()) {
                throw new UsageException("--web-plain and --web-allowed-origin go with --web-port");
            }
            return Optional.empty();
        }
        if (webPlain && !daemon.bindAddress().isLoopbackAddress()) {
            throw new UsageException("--web-plain needs a loopback --bind (127.0.0.1 or ::1): plain HTTP is never served to the network");
        }
        for (String o : webOrigins) {
            dev.protokit.chat.web.OriginPolicy.invalid(o).ifPresent(m -> {
                throw new UsageException("--web-allowed-origin: " + m);
            });
        }
        return Optional.of(new WebListener.Settings(webPort, !webPlain, webOrigins, maxAttachment));
    }

    private static ChatServerConfig.NotifierFactory notifier(Optional<MailSettings> settings) {
        return settings.<ChatServerConfig.NotifierFactory>map(m -> store -> MailNotifier.start(m, store))
                .orElse(ChatServerConfig.NotifierFactory.NONE);
    }

    private SSLContext tls(Path state) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new StartupException("--tls-cert and --tls-key go together");
        }
        return tlsCert != null ? ServerTls.fromPem(tlsCert, tlsKey) : ServerTls.selfSignedIn(state, "irc", serverName);
    }

    private List<String> motd() {
        if (motdFile == null) {
            return List.of();
        }
        try {
            if (Files.size(motdFile) > 64 * 1024) {
                throw new StartupException("--motd-file " + motdFile + " is larger than 64 KiB");
            }
            return Files.readAllLines(motdFile, StandardCharsets.UTF_8).stream()
                    .map(l -> l.replaceAll("\\p{Cntrl}", ""))
                    .toList();
        } catch (IOException e) {
            throw new StartupException("cannot read --motd-file " + motdFile + ": " + e.getMessage(), e);
        }
    }
}
