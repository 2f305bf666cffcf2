package dev.protokit.tftp.wire;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The option values both sides agreed on: what the engine runs the transfer with. Without any
 * options (plain RFC 1350) this is {@link #DEFAULTS}.
 *
 * @param blockSize      data bytes per block, 8..65464 (RFC 1350 default 512)
 * @param windowSize     blocks per window, 1..65535 (RFC 7440; 1 is RFC 1350 lock-step)
 * @param timeoutSeconds the agreed retransmission timeout, if one was negotiated (RFC 2349)
 * @param transferSize   the file size the OACK announced, if any (RFC 2349 tsize)
 */
public record NegotiatedOptions(int blockSize, int windowSize, OptionalInt timeoutSeconds,
                                OptionalLong transferSize) {
    /** The RFC 1350 defaults: 512-byte blocks, lock-step, no timeout or size agreed. */
    public static final NegotiatedOptions DEFAULTS =
            new NegotiatedOptions(512, 1, OptionalInt.empty(), OptionalLong.empty());

    /** Checks every value is within its option's range. */
    public NegotiatedOptions {
        check(TftpOption.BLKSIZE, blockSize);
        check(TftpOption.WINDOWSIZE, windowSize);
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
