package dev.protokit.tftp.wire;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The option values both sides agreed on: what the engine runs the transfer with. Without any
 * options (plain RFC 1350) this is {@link #DEFAULTS}.
 *
 * @param blockSize      data bytes per block, 8..65464 (RFC 1350 default 512)
 * @param windowSize     blocks per window, 1..{@value #MAX_WINDOW} (RFC 7440 allows 65535; 1 is RFC 1350 lock-step)
 * @param timeoutSeconds the agreed retransmission timeout, if one was negotiated (RFC 2349)
 * @param transferSize   the file size the OACK announced, if any (RFC 2349 tsize)
 */
public record NegotiatedOptions(int blockSize, int windowSize, OptionalInt timeoutSeconds,
                                OptionalLong transferSize) {
    /**
     * The largest window the engine runs with. Block numbers are 16 bits on the wire, so an ACK
     * is unambiguous only when the blocks in flight plus the stale ACKs that can still arrive
     * fit in 65,536 numbers: with at most 32,767 in flight, any ACK up to 32,768 blocks old
     * (two whole windows back included) is recognised as stale, never taken for a forward one,
     * and a receiver tells a block ahead from a repeat the same way (issue #9: at windowsize
     * 40000 one spoofed ACK 30,000 blocks old truncated a file). Servers grant at most this;
     * clients ask for at most this.
     */
    public static final int MAX_WINDOW = 32_767;

    /** The RFC 1350 defaults: 512-byte blocks, lock-step, no timeout or size agreed. */
    public static final NegotiatedOptions DEFAULTS =
            new NegotiatedOptions(512, 1, OptionalInt.empty(), OptionalLong.empty());

    /** Checks every value is within its option's range. */
    public NegotiatedOptions {
        check(TftpOption.BLKSIZE, blockSize);
        check(TftpOption.WINDOWSIZE, windowSize);
        if (windowSize > MAX_WINDOW) {
            throw new TftpException(ErrorCode.OPTION_NEGOTIATION_FAILED,
                    "OPTION_NEGOTIATION_FAILED windowsize " + WireTable.hex16(windowSize) + " above " + MAX_WINDOW);
        }
        timeoutSeconds.ifPresent(t -> check(TftpOption.TIMEOUT, t));
        transferSize.ifPresent(s -> check(TftpOption.TSIZE, s));
    }

    private static void check(TftpOption option, long value) {
        if (value < option.min() || value > option.max()) {
            throw new TftpException(ErrorCode.OPTION_NEGOTIATION_FAILED,
                    "OPTION_NEGOTIATION_FAILED " + option.wireName() + " " + WireTable.hex16(value));
        }
    }
}
