package dev.protokit.tftp.server;

import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.UdpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link TftpServer} needs to know, as one immutable value: what it serves, what it
 * allows, and the limits it enforces. {@link #defaults(Path)} gives a read-only server with the
 * documented defaults; the {@code with...} methods return changed copies.
 *
 * @param root the served directory
 * @param writes which uploads are allowed
 * @param maxUploadSize the largest upload in bytes ({@link Long#MAX_VALUE}: no quota)
 * @param remap file-name rewriting rules
 * @param limits transfers at once, overall and per client address
 * @param portRange local ports for transfer sockets
 * @param maxBlksize the largest block size granted (RFC 2348: 8..65464)
 * @param maxWindowsize the largest window granted (RFC 7440: 1..65535)
 * @param timeout retransmission timeout when the client asks for none (RFC 2349 option)
 * @param retries retransmissions of one packet before the transfer is abandoned
 * @param threads what kind of thread runs each transfer
 * @param maxTimeout the longest RFC 2349 timeout accepted; a longer one is not acknowledged and
 *     the server's {@code timeout} applies ({@code --max-timeout})
 * @param idleTimeout a transfer without progress for this long is cut, whatever its negotiated
 *     timeout ({@code --idle-timeout})
 * @param handshakeTimeout a transfer whose first packet is not acknowledged within this is cut,
 *     so forged requests cannot hold places ({@code --handshake-timeout})
 */
public record TftpServerConfig(
        Path root,
        WritePolicy writes,
        long maxUploadSize,
        RemapRules remap,
        ConnectionLimits limits,
        PortRange portRange,
        int maxBlksize,
        int maxWindowsize,
        Duration timeout,
        int retries,
        TransferThreads threads,
        Duration maxTimeout,
        Duration idleTimeout,
        Duration handshakeTimeout) {

    /** Which write requests (WRQ) are honoured. */
    public enum WritePolicy {
        /** Every WRQ is refused with ACCESS_VIOLATION (the default). */
        READ_ONLY,
        /** A WRQ may replace an existing file ({@code --allow-write}). */
        EXISTING_FILES,
        /** A WRQ may also create a file ({@code --allow-create}). */
        CREATE_FILES
    }

    /**
     * What runs a transfer. A transfer waits for its peer after every block (lock-step) or
     * window: a platform thread wakes straight from the kernel, while a virtual thread is woken
     * by the JDK's poller and then scheduled on a carrier, two hand-offs per wait that made
     * the virtual-thread engine 0.5-0.8x the C servers in lock-step and slower in windows on a
     * busy host (issue #9; README, TFTP).
     */
    public enum TransferThreads {
        /** A platform thread per transfer while fewer than 256 run, virtual threads beyond (the default). */
        AUTO(UdpServer.SessionThreads.AUTO),
        /** One virtual thread per transfer. */
        VIRTUAL(UdpServer.SessionThreads.VIRTUAL),
        /** One platform thread per transfer, up to the transfer limit. */
        PLATFORM(UdpServer.SessionThreads.PLATFORM);

        private final UdpServer.SessionThreads runtime;

        TransferThreads(UdpServer.SessionThreads runtime) {
            this.runtime = runtime;
        }

        /** The UDP runtime's kind of session thread. */
        public UdpServer.SessionThreads runtime() {
            return runtime;
        }
    }

    public TftpServerConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(remap, "remap");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(portRange, "portRange");
        Objects.requireNonNull(timeout, "timeout");
        if (maxUploadSize < 0) {
            throw new IllegalArgumentException("maxUploadSize must be >= 0, got " + maxUploadSize);
        }
        if (maxBlksize < 8 || maxBlksize > 65464) {
            throw new IllegalArgumentException("maxBlksize must be 8..65464 (RFC 2348), got " + maxBlksize);
        }
        if (maxWindowsize < 1 || maxWindowsize > 65535) {
            throw new IllegalArgumentException("maxWindowsize must be 1..65535 (RFC 7440), got " + maxWindowsize);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(255)) > 0) {
            throw new IllegalArgumentException("timeout must be > 0 and <= 255s, got " + timeout);
        }
        Objects.requireNonNull(maxTimeout, "maxTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (maxTimeout.compareTo(Duration.ofSeconds(1)) < 0 || maxTimeout.compareTo(Duration.ofSeconds(255)) > 0) {
            throw new IllegalArgumentException("max timeout must be 1s..255s (RFC 2349), got " + maxTimeout);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("idle and handshake timeouts must be positive");
        }
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries must be 0..100, got " + retries);
        }
    }

    /** The longest RFC 2349 timeout accepted by default. */
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofSeconds(10);

    /** A read-only server of {@code root}: 512 transfers, 32 per address, blksize up to 65464, window up to 64, 1 s timeout, 5 retries. */
    public static TftpServerConfig defaults(Path root) {
        return new TftpServerConfig(root, WritePolicy.READ_ONLY, Long.MAX_VALUE, RemapRules.none(),
                new ConnectionLimits(512, 32), PortRange.ANY, 65464, 64, Duration.ofSeconds(1), 5, TransferThreads.AUTO,
                DEFAULT_MAX_TIMEOUT, Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    public TftpServerConfig withWrites(WritePolicy w) {
        return new TftpServerConfig(root, w, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withMaxUploadSize(long bytes) {
        return new TftpServerConfig(root, writes, bytes, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withRemap(RemapRules r) {
        return new TftpServerConfig(root, writes, maxUploadSize, r, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withLimits(ConnectionLimits l) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, l, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withPortRange(PortRange p) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, p, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withMaxBlksize(int b) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, b, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withMaxWindowsize(int w) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, w, timeout, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withTimeout(Duration t) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, t, retries, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withThreads(TransferThreads k) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, k, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withRetries(int r) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, r, threads, maxTimeout, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withMaxTimeout(Duration m) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, m, idleTimeout, handshakeTimeout);
    }

    public TftpServerConfig withIdleTimeout(Duration i) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, i, handshakeTimeout);
    }

    public TftpServerConfig withHandshakeTimeout(Duration h) {
        return new TftpServerConfig(root, writes, maxUploadSize, remap, limits, portRange, maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, idleTimeout, h);
    }
}
