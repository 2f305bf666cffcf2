package dev.protokit.common.daemon;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Session limits and timeouts every connection-oriented daemon takes. */
public final class LimitOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private int maxConnections;
    private int maxPerAddress;

    @Option(names = {"--max-connections", "--max-sessions"}, paramLabel = "N", defaultValue = "512",
            description = "Sessions served at once (default: ${DEFAULT-VALUE}).")
    private void maxConnections(int value) {
        maxConnections = atLeastOne("--max-connections", value);
    }

    @Option(names = "--max-per-address", paramLabel = "N", defaultValue = "32",
            description = "Sessions served at once from one peer address, IPv6 counted per /64 "
                    + "(default: ${DEFAULT-VALUE}).")
    private void maxPerAddress(int value) {
        maxPerAddress = atLeastOne("--max-per-address", value);
    }

    private int atLeastOne(String flag, int value) {
        if (value < 1) {
            throw new ParameterException(mixee.commandLine(), flag + " must be at least 1, got " + value);
        }
        return value;
    }

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.PositiveTimeout.class,
            description = "Close a session silent for this long (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.PositiveTimeout.class,
            description = "Close a session that has not authenticated within this time (default: ${DEFAULT-VALUE}).")
    private Duration handshakeTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.Timeout.class,
            description = "On SIGTERM, let sessions finish for this long before closing them (default: ${DEFAULT-VALUE}).")
    private Duration shutdownGrace;

    /** The session limits from {@code --max-connections} and {@code --max-per-address}. */
    public ConnectionLimits limits() {
        return new ConnectionLimits(maxConnections, maxPerAddress);
    }

    /** {@code --idle-timeout}: how long a session may stay silent. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** {@code --handshake-timeout}: how long a session may take to authenticate. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@code --shutdown-grace}: how long sessions may finish after SIGTERM. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }
}
