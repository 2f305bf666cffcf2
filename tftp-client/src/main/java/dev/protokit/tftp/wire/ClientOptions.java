package dev.protokit.tftp.wire;

import java.util.LinkedHashMap;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The options a client asks for, and the client's half of RFC 2347: checking the server's OACK.
 *
 * @param blockSize      RFC 2348 blksize to ask for, 8..65464
 * @param windowSize     RFC 7440 windowsize to ask for, 1..65535
 * @param timeoutSeconds RFC 2349 timeout to ask for, 1..255
 * @param transferSize   RFC 2349 tsize: 0 on a read to ask for the size, the file size on a write
 */
public record ClientOptions(OptionalInt blockSize, OptionalInt windowSize, OptionalInt timeoutSeconds,
                            OptionalLong transferSize) {
    /** Asks for nothing: a plain RFC 1350 request. */
    public static final ClientOptions NONE =
            new ClientOptions(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty());

    /** Checks each requested value is within its option's range. */
    public ClientOptions {
        blockSize.ifPresent(v -> require(TftpOption.BLKSIZE, v));
        windowSize.ifPresent(v -> require(TftpOption.WINDOWSIZE, v));
        timeoutSeconds.ifPresent(v -> require(TftpOption.TIMEOUT, v));
        transferSize.ifPresent(v -> require(TftpOption.TSIZE, v));
    }

    /** The options as they go into the RRQ or WRQ. */
    public TftpOptions toWire() {
        var map = new LinkedHashMap<String, String>();
        blockSize.ifPresent(v -> map.put(TftpOption.BLKSIZE.wireName(), Integer.toString(v)));
        timeoutSeconds.ifPresent(v -> map.put(TftpOption.TIMEOUT.wireName(), Integer.toString(v)));
        transferSize.ifPresent(v -> map.put(TftpOption.TSIZE.wireName(), Long.toString(v)));
        windowSize.ifPresent(v -> map.put(TftpOption.WINDOWSIZE.wireName(), Integer.toString(askedWindow(v))));
        return new TftpOptions(map);
    }

    /**
     * Checks an OACK against what was asked and returns the agreed values. RFC 2347: the OACK
         * may hold only options the client requested (an unrequested one that restates the default,
     * like tftpy's "blksize 512", is accepted); RFC 2348/7440 let the server lower blksize and
     * windowsize, never raise them; RFC 2349 requires timeout to be echoed unchanged. RFC 2349 asks
     * a server to echo a write's tsize; one that does not (tftpy answers 0) is tolerated, since
     * the size is the client's own.
     *
     * @param oack  the server's OACK
     * @param write true for a WRQ, false for an RRQ
     * @throws TftpException OPTION_NEGOTIATION_FAILED naming the offending option and value; the
     *                       client must then send ERROR 8 and abort
     */
    public NegotiatedOptions accept(OptionAck oack, boolean write) {
        int block = 512;
        int window = 1;
        OptionalInt timeout = OptionalInt.empty();
        OptionalLong size = OptionalLong.empty();
        for (var e : oack.options().values().entrySet()) {
            TftpOption option = TftpOption.fromWire(e.getKey()).orElseThrow(() -> fail(
                    "OPTION_NEGOTIATION_FAILED unrequested option " + Hex.ofString(e.getKey()), null));
            OptionalLong parsed = option.parse(e.getValue());
            if (parsed.isEmpty()) {
                throw fail("OPTION_NEGOTIATION_FAILED " + option.wireName() + " value "
                        + Hex.ofString(e.getValue()), null);
            }
            long v = parsed.getAsLong();
            if (requested(option).isEmpty()) {
                // Unrequested: harmless when it only restates the default (tftpy's server adds
                // "blksize 512" to every OACK); anything else would change the transfer unasked.
                if (isDefault(option, v)) {
                    continue;
                }
                throw fail("OPTION_NEGOTIATION_FAILED unrequested option " + option.wireName(), null);
            }
            long asked = requested(option).getAsLong();
            boolean ok = switch (option) {
                case BLKSIZE, WINDOWSIZE -> v <= asked;
                case TIMEOUT -> v == asked;
                // On a write the size is ours: a server that answers another value (tftpy: 0)
                // tells us nothing we rely on, so it is accepted and our size stands.
                case TSIZE -> true;
            };
            if (!ok) {
                throw fail("OPTION_NEGOTIATION_FAILED " + option.wireName() + " "
                        + WireTable.hex16(v) + " where " + WireTable.hex16(asked) + " was asked", null);
            }
            switch (option) {
                case BLKSIZE -> block = (int) v;
                case WINDOWSIZE -> window = (int) v;
                case TIMEOUT -> timeout = OptionalInt.of((int) v);
                case TSIZE -> size = OptionalLong.of(write ? requested(option).getAsLong() : v);
            }
        }
        return new NegotiatedOptions(block, window, timeout, size);
    }

    /** A window above {@link NegotiatedOptions#MAX_WINDOW} is asked as that: the engine cannot run more unambiguously. */
    private static int askedWindow(int wanted) {
        return Math.min(wanted, NegotiatedOptions.MAX_WINDOW);
    }

    private OptionalLong requested(TftpOption option) {
        return switch (option) {
            case BLKSIZE -> toLong(blockSize);
            case WINDOWSIZE -> windowSize.isPresent() ? OptionalLong.of(askedWindow(windowSize.getAsInt())) : OptionalLong.empty();
            case TIMEOUT -> toLong(timeoutSeconds);
            case TSIZE -> transferSize;
        };
    }

    private static boolean isDefault(TftpOption option, long value) {
        return switch (option) {
            case BLKSIZE -> value == 512;
            case WINDOWSIZE -> value == 1;
            case TIMEOUT, TSIZE -> false;
        };
    }

    private static OptionalLong toLong(OptionalInt v) {
        return v.isPresent() ? OptionalLong.of(v.getAsInt()) : OptionalLong.empty();
    }

    private static TftpException fail(String message, Throwable cause) {
        return new TftpException(ErrorCode.OPTION_NEGOTIATION_FAILED, message, cause);
    }

    private static void require(TftpOption option, long v) {
        if (option.parse(Long.toString(v)).isEmpty()) {
            throw new IllegalArgumentException(option.wireName() + " must be within "
                    + option.min() + ".." + option.max() + ", not " + v);
        }
    }
}
