package dev.protokit.tftp.engine;

import java.time.Duration;

/**
 * What a completed transfer did, for logs and tests.
 *
 * @param bytes           file bytes moved (after netascii conversion on the local side)
 * @param blocks          DATA blocks in the transfer, the final short block included
 * @param retransmissions packets sent again after a timeout
 * @param elapsed         from the first packet to the final ACK
 */
public record TransferStats(long bytes, long blocks, long retransmissions, Duration elapsed) {
    /** Bytes per second over the elapsed time. */
    public double bytesPerSecond() {
        long nanos = Math.max(1, elapsed.toNanos());
        return bytes * 1e9 / nanos;
    }
}
