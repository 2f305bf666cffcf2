package dev.protokit.common.daemon;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Session limits and timeouts every connection-oriented daemon takes. */
public final class LimitOptions {

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "512",
            description = "Sessions served at once (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--max-per-address", paramLabel = "N", defaultValue = "32",
            description = "Sessions served at once from one peer address (default: ${DEFAULT-VALUE}).")
    private int maxPerAddress;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "Close a session silent for this long (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Close a session that has not authenticated within this time (default: ${DEFAULT-VALUE}).")
    private Duration handshakeTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "On SIGTERM, let sessions finish for this long before closing them (default: ${DEFAULT-VALUE}).")
    private Duration shutdownGrace;

    /** The session limits; fails start-up when a limit is below 1. */
    public ConnectionLimits limits() {
        if (maxConnections < 1 || maxPerAddress < 1) {
            throw new StartupException("--max-connections and --max-per-address must be at least 1");
        }
        return new ConnectionLimits(maxConnections, maxPerAddress);
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }
}
