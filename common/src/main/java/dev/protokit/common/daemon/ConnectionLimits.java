package dev.protokit.common.daemon;

/**
 * How many sessions a daemon serves at once, overall and from one peer address.
 *
 * @param maxConnections sessions (connections or transfers) in progress at once, at least 1
 * @param maxPerAddress sessions from one peer address at once, at least 1
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress) {
    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxPerAddress must be >= 1, got " + maxPerAddress);
        }
    }
}
