package dev.protokit.auth;

import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.common.auth.KeyFile;
import dev.protokit.common.auth.KeyFileException;
import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DaemonOptions;
import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.common.daemon.LimitOptions;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code auth-server}: the authenticated echo daemon. Parses flags, loads the key file
 * (refusing one that group or others can read), starts {@link AuthServer} and runs until
 * SIGTERM or SIGINT, then drains for the grace period.
 */
@Command(name = "auth-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Authenticated echo server: mutual HMAC-SHA256 challenge-response",
            "(protokit-auth/1), then every CRLF line is answered upper-cased.",
            "Default port " + AuthServer.DEFAULT_PORT + ". Stops cleanly on SIGTERM."})
public final class AuthServerMain implements Callable<Integer> {

    @Option(names = "--keys", paramLabel = "FILE", required = true,
            description = "Key file: one 'key-id base64-secret' per line, mode 0600 (make one with auth-client keygen).")
    private Path keys;

    @Option(names = "--max-line", paramLabel = "BYTES", defaultValue = "8192",
            description = "Longest line echoed; a longer one ends the session (default: ${DEFAULT-VALUE}).")
    private int maxLineBytes;

    @Option(names = "--lockout-after", paramLabel = "N", defaultValue = "10",
            description = "Failed handshakes from one address before it is locked out (default: ${DEFAULT-VALUE}).")
    private int lockoutAfter;

    @Option(names = "--lockout", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.class,
            description = "How long a locked-out address is refused (default: ${DEFAULT-VALUE}).")
    private Duration lockout;

    @Mixin
    private DaemonOptions daemon;

    @Mixin
    private LimitOptions limits;

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new AuthServerMain(), args));
    }

    @Override
    public Integer call() throws IOException {
        if (maxLineBytes < 1 || lockoutAfter < 1) {
            throw new UsageException("--max-line and --lockout-after must be at least 1");
        }
        KeyRing ring;
        try {
            ring = KeyFile.load(keys);
        } catch (KeyFileException e) {
            throw new StartupException(e.getMessage(), e);
        }
        FailureThrottle.Policy defaults = FailureThrottle.Policy.defaults();
        FailureThrottle.Policy throttle = new FailureThrottle.Policy(defaults.freeFailures(), defaults.baseDelay(),
                defaults.maxDelay(), lockoutAfter, lockout, defaults.forgetAfter(), defaults.maxKeys());
        AuthServer.Config config;
        try {
            config = new AuthServer.Config(daemon.listenAddress(AuthServer.DEFAULT_PORT), ring, limits.limits(),
                    limits.idleTimeout(), limits.handshakeTimeout(), throttle, maxLineBytes);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
        AuthServer.Config checked = config;
        try {
            Lifecycle.serve(() -> AuthServer.start(checked), AuthServer::shutdown, limits.shutdownGrace());
        } finally {
            ring.destroy();
        }
        return DaemonLauncher.OK;
    }
}
