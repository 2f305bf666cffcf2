package dev.protokit.tftp.wire;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options this implementation understands, with their wire names and valid ranges.
 * Anything else in a request is ignored (RFC 2347: "unrecognized or unsupported options"
 * are simply not acknowledged).
 */
public enum TftpOption {
    /** RFC 2348: bytes of data per DATA block, 8..65464 (default 512). */
    BLKSIZE("blksize", 8, 65464),
    /** RFC 2349: seconds to wait before retransmitting, 1..255. */
    TIMEOUT("timeout", 1, 255),
    /** RFC 2349: the file size in bytes; 0 in an RRQ asks the server for it. */
    TSIZE("tsize", 0, Long.MAX_VALUE),
    /** RFC 7440: DATA blocks sent before an ACK is expected, 1..65535 (default 1). */
    WINDOWSIZE("windowsize", 1, 65535);

    private final String wireName;
    private final long min;
    private final long max;

    TftpOption(String wireName, long min, long max) {
        this.wireName = wireName;
        this.min = min;
        this.max = max;
    }

    /** The lower-case name on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The smallest valid value. */
    public long min() {
        return min;
    }

    /** The largest valid value. */
    public long max() {
        return max;
    }

    /** The option with this wire name (any case), if it is one we understand. */
    public static Optional<TftpOption> fromWire(String name) {
        for (TftpOption option : values()) {
            if (option.wireName.equalsIgnoreCase(name)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a value: ASCII digits only (no sign, no spaces), within {@link #min()}..{@link #max()}.
     *
     * @return the value, or empty if it is not a valid value for this option
     */
    public OptionalLong parse(String value) {
        return parse(value, false);
    }

    /**
     * Parses a value like {@link #parse}, but takes a value above {@link #max()} (of any length)
     * as {@link #max()}: what a server does with a blksize beyond RFC 2348's 65464 (tftpd-hpa
     * grants its largest; RFC 2348 lets a server answer less than was asked).
     *
     * @return the value, at most {@link #max()}, or empty if it is not ASCII digits or below {@link #min()}
     */
    public OptionalLong parseCapped(String value) {
        return parse(value, true);
    }

    private OptionalLong parse(String value, boolean capAtMax) {
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        long n = 0;
        boolean over = false;
        for (int i = 0; i < value.length(); i++) {
            int digit = value.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return OptionalLong.empty();
            }
            if (!over && n > (max - digit) / 10) {
                over = true; // n * 10 + digit would pass max (checked before it could overflow)
            } else if (!over) {
                n = n * 10 + digit;
            }
        }
        if (over) {
            return capAtMax ? OptionalLong.of(max) : OptionalLong.empty();
        }
        return n < min ? OptionalLong.empty() : OptionalLong.of(n);
    }
}
