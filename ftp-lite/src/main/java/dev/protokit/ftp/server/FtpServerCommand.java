package dev.protokit.ftp.server;

import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DaemonOptions;
import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.common.daemon.LimitOptions;
import dev.protokit.common.daemon.RootOption;
import dev.protokit.common.daemon.SizeConverter;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.UsageException;
import dev.protokit.common.tls.ServerTls;
import dev.protokit.ftp.server.users.UserCommand;
import dev.protokit.ftp.server.users.FtpUser;
import dev.protokit.ftp.server.users.UserDirectory;
import dev.protokit.ftp.server.users.UsersFileException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code ftp-lite-server} command line: flags become an {@link FtpServerConfig}, the server
 * runs until SIGTERM/SIGINT and then drains. {@code ftp-lite-server user ...} edits the users file.
 */
@Command(name = "ftp-lite-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, subcommands = UserCommand.class,
        description = {"FTP and FTPS server (RFC 959, 2228, 2389, 2428, 2640, 3659, 4217) for anonymous and virtual users.",
            "Default port " + FtpServerCommand.DEFAULT_PORT + "; see docs/ftp.md."})
public final class FtpServerCommand implements Callable<Integer> {
    /** The quick-start port; the systemd unit uses 21. */
    public static final int DEFAULT_PORT = 2121;

    @Mixin private RootOption root;
    @Option(names = "--anonymous", description = "Allow anonymous login (users 'anonymous' and 'ftp'), read-only, rooted at --root.")
    private boolean anonymous;
    @Option(names = "--anonymous-root", paramLabel = "DIR", description = "Anonymous users' home (default: --root); must not contain any user's home.")
    private Path anonymousRoot;
    @Option(names = "--anonymous-write", description = "Let anonymous users upload, rename and delete too.")
    private boolean anonymousWrite;
    @Option(names = "--users", paramLabel = "FILE", converter = ExistingFile.class, description = "Virtual users file (see 'ftp-lite-server user --help').")
    private Path users;
    @Option(names = "--implicit-port", paramLabel = "N", converter = PortConverter.class, description = "Also serve implicit FTPS (TLS from the first byte) on this port, e.g. 990.")
    private Integer implicitPort;
    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (default: a self-signed one kept in the state directory).")
    private Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key for --tls-cert (unencrypted PEM).")
    private Path tlsKey;
    @Option(names = "--require-tls", description = "Refuse login before AUTH TLS, and data connections without PROT P.")
    private boolean requireTls;
    @Option(names = "--require-tls-session-reuse", description = "PROT P data connections must resume the control connection's TLS session.")
    private boolean requireTlsReuse;
    @Option(names = "--passive-ports", paramLabel = "LOW-HIGH", description = "Ports for passive data connections, for firewalls (default: any free port).")
    private String passivePorts;
    @Option(names = "--passive-address", paramLabel = "ADDR", description = "IPv4 address PASV advertises (behind NAT); default: the control connection's.")
    private InetAddress passiveAddress;
    @Option(names = "--max-upload-size", paramLabel = "SIZE", converter = SizeConverter.Positive.class, description = "Largest file an upload may produce (bytes, or K, M, G).")
    private Long maxUploadSize;
    @Option(names = "--no-upload-fsync", description = "Do not fsync uploads before renaming them into place: still atomic, but a power loss may leave an empty or partial file under the new name.")
    private boolean noUploadFsync;
    @Option(names = "--upload-part-max-age", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class, description = "Keep what an interrupted upload received this long for a resume (REST+STOR, APPE) by the same user (default: ${DEFAULT-VALUE}).")
    private Duration uploadPartMaxAge;
    @Option(names = "--max-rate", paramLabel = "SIZE", converter = SizeConverter.Positive.class, description = "Bytes per second per user for users without a rate of their own.")
    private Long maxRate;
    @Option(names = "--login-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.PositiveTimeout.class, description = "Close sessions not logged in within this time (default: ${DEFAULT-VALUE}).")
    private Duration loginTimeout;
    @Option(names = "--data-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.PositiveTimeout.class, description = "Give up on a data connection not opened, or not moving, for this long (default: ${DEFAULT-VALUE}).")
    private Duration dataTimeout;
    @Option(names = "--login-failure-delay", paramLabel = "DURATION", defaultValue = "250ms", converter = DurationConverter.class, description = "First delay after repeated wrong passwords, doubling to 5s (default: ${DEFAULT-VALUE}).")
    private Duration failureDelay;
    @Option(names = "--login-lockout-after", paramLabel = "N", defaultValue = "10", description = "Failures per address or user name before a lockout (default: ${DEFAULT-VALUE}).")
    private int lockoutAfter;
    @Option(names = "--login-lockout", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.class, description = "How long a lockout lasts (default: ${DEFAULT-VALUE}).")
    private Duration lockout;
    @Option(names = "--max-login-attempts", paramLabel = "N", defaultValue = "3", description = "Wrong passwords per session before it is closed (default: ${DEFAULT-VALUE}).")
    private int maxLoginAttempts;
    @Mixin private LimitOptions limits;
    @Mixin private DaemonOptions daemon;

    @Override
    public Integer call() throws IOException {
        FtpServerConfig config = config();
        Lifecycle.serve(() -> FtpServer.start(config), FtpServer::shutdown, limits.shutdownGrace());
        return DaemonLauncher.OK;
    }

    /** The flags as a configuration; bad combinations fail start-up with one line. */
    FtpServerConfig config() {
        if (!anonymous && users == null) {
            throw new UsageException("nothing to serve: give --anonymous, --users FILE, or both");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        try {
            var builder = FtpServerConfig.builder(root.root())
                    .bind(daemon.listenAddress(DEFAULT_PORT))
                    .limits(limits.limits()).handshakeTimeout(limits.handshakeTimeout()).idleTimeout(limits.idleTimeout())
                    .loginTimeout(loginTimeout).dataTimeout(dataTimeout)
                    .anonymous(anonymous, anonymousWrite)
                    .tls(tlsCert != null ? ServerTls.fromPem(tlsCert, tlsKey)
                            : ServerTls.selfSignedIn(daemon.stateDir("ftp-lite"), "ftp", FtpServerConfig.SELF_SIGNED_NAME))
                    .requireTls(requireTls).requireTlsReuse(requireTlsReuse)
                    .maxLoginAttempts(maxLoginAttempts);
            var policy = new FailureThrottle.Policy(3, failureDelay, Duration.ofSeconds(5).compareTo(failureDelay) > 0
                    ? Duration.ofSeconds(5) : failureDelay, lockoutAfter, lockout, Duration.ofHours(1), 100_000);
            builder.throttles(policy, policy);
            Path anonymousHome = anonymousRoot == null ? root.root() : realDirectory("--anonymous-root", anonymousRoot);
            builder.anonymousRoot(anonymousHome);
            if (users != null) {
                UserDirectory directory = loadUsers();
                if (anonymous) {
                    refuseHomesVisibleToAnonymous(directory, anonymousHome);
                }
                builder.users(directory::authenticate);
            }
            if (implicitPort != null) {
                builder.implicitPort(implicitPort);
            }
            if (passivePorts != null) {
                builder.passivePorts(FtpServerConfig.PortRange.parse(passivePorts));
            }
            if (passiveAddress != null) {
                builder.passiveAddress(passiveAddress);
            }
            if (maxUploadSize != null) {
                builder.maxUploadSize(maxUploadSize);
            }
            builder.uploadFsync(!noUploadFsync).uploadPartMaxAge(uploadPartMaxAge);
            if (maxRate != null) {
                builder.defaultRate(maxRate);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /**
     * Anonymous users may read everything under their home, so a user's home inside it (or equal
     * to it) would be readable by anyone (issue #9). Refused at start-up rather than served, as a
     * configuration (usage) error: one line, exit status 2.
     */
    private void refuseHomesVisibleToAnonymous(UserDirectory directory, Path anonymousHome) {
        for (FtpUser user : directory.users()) {
            Path home = user.resolveHome(root.root());
            try {
                home = home.toRealPath();
            } catch (java.io.IOException e) {
                // a home that does not exist yet is checked as written
            }
            if (home.startsWith(anonymousHome)) {
                throw new UsageException("user " + user.name() + "'s home " + home + " is inside the anonymous home "
                        + anonymousHome + " (anonymous users could read it): give --anonymous-root a directory of its own, "
                        + "e.g. " + root.root().resolve("pub"));
            }
        }
    }

    private static Path realDirectory(String flag, Path dir) {
        try {
            Path real = dir.toRealPath();
            if (!java.nio.file.Files.isDirectory(real)) {
                throw new StartupException(flag + " " + dir + " is not a directory");
            }
            return real;
        } catch (java.io.IOException e) {
            throw new StartupException(flag + " " + dir + " does not exist or cannot be read", e);
        }
    }

    private UserDirectory loadUsers() {
        try {
            return UserDirectory.load(users);
        } catch (UsersFileException e) {
            throw new StartupException("--users " + users + ": " + e.getMessage(), e);
        }
    }

    /** A TCP port, 0 (any free one) to 65535: checked while parsing, so a typo is a usage error before anything listens. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            try {
                int port = Integer.parseInt(text.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + text + "' is not a TCP port (0-65535)");
        }
    }

    /** A file that exists and is readable, checked while parsing (a missing users file is a usage error). */
    static final class ExistingFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String text) {
            Path path = Path.of(text);
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
                throw new TypeConversionException("'" + text + "': no such readable file");
            }
            return path;
        }
    }

}
