package dev.protokit.rendezvous.peer;

/**
 * A sliding-window replay check over 64-bit sequence numbers (the scheme of RFC 4303 section
 * 3.4.3 and RFC 6479): accepts each number once, in any order, as long as it is within
 * {@link #SIZE} of the highest seen. {@link #check} runs before the AEAD tag is verified and
 * {@link #accept} only after, so forged datagrams cannot move the window.
 */
final class ReplayWindow {
    /** How far behind the highest sequence number a datagram may arrive. */
    static final int SIZE = 1024;

    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** What {@link #check} found. */
    enum Verdict { FRESH, DUPLICATE, TOO_OLD }

    Verdict check(long sequence) {
        if (sequence > highest) {
            return Verdict.FRESH;
        }
        if (highest - sequence >= SIZE) {
            return Verdict.TOO_OLD;
        }
        return isSet(sequence) ? Verdict.DUPLICATE : Verdict.FRESH;
    }

    /** Records {@code sequence}, which {@link #check} found fresh and whose tag verified. */
    void accept(long sequence) {
        if (sequence > highest) {
            long shift = highest < 0 ? SIZE : sequence - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long s = highest + 1; s <= sequence; s++) {
                    clear(s);
                }
            }
            highest = sequence;
        }
        set(sequence);
    }

    private boolean isSet(long sequence) {
        int bit = (int) (sequence % SIZE);
        return (bits[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void set(long sequence) {
        int bit = (int) (sequence % SIZE);
        bits[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long sequence) {
        int bit = (int) (sequence % SIZE);
        bits[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
