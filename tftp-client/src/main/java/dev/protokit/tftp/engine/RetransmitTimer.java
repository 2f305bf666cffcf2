package dev.protokit.tftp.engine;

/**
 * The retransmission timeout of one transfer, measured from its round trips as TCP does
 * (RFC 6298): a smoothed round-trip time SRTT and its variation RTTVAR from each sample,
 * RTO = SRTT + 4 x RTTVAR, doubled on each timeout (section 5.5) and kept within
 * [{@link TransferParameters#minTimeout()}, {@link TransferParameters#timeout()}]: the
 * negotiated RFC 2349 timeout is the most a retransmission ever waits, and on a fast link a
 * lost packet costs milliseconds instead of a whole second. Before the first sample the RTO is
 * the timeout capped at one second (RFC 6298 section 2.1). Karn's rule (section 3) is the
 * caller's: only packets sent once give samples. Progress ends a back-off ({@link #progressed()}).
 *
 * <p>Pure arithmetic on nanosecond values; one timer per transfer, on one thread.
 */
final class RetransmitTimer {
    private static final long INITIAL_CAP = 1_000_000_000L;

    private final long min;
    private final long max;
    /** How far a back-off may go (the timeout, or more when none was negotiated). */
    private final long maxBackoff;
    private long srtt = -1;
    private long rttvar;
    /** The RTO from the samples, before any back-off. */
    private long base;
    private long rto;

    RetransmitTimer(TransferParameters params) {
        this.max = params.timeout().toNanos();
        this.maxBackoff = params.maxBackoff().toNanos();
        this.min = Math.min(params.minTimeout().toNanos(), max);
        this.base = Math.max(min, Math.min(max, INITIAL_CAP));
        this.rto = base;
    }

    /** The current wait before a retransmission, in nanoseconds. */
    long rto() {
        return rto;
    }

    /** A round trip measured on a packet sent once (RFC 6298 section 2.2 and 2.3). */
    void sample(long rttNanos) {
        long r = Math.max(0, rttNanos);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        base = clamp(srtt + Math.max(4 * rttvar, 1_000_000L));
        rto = base;
    }

    /**
     * The peer made progress after retransmissions: the back-off ends and the RTO is the
     * estimate's again. Under heavy loss Karn's rule leaves few samples (most blocks are sent
     * more than once), and a back-off kept until the next sample made every later loss cost the
     * whole negotiated timeout (issue #9: 20% loss).
     */
    void progressed() {
        rto = base;
    }

    /** A timeout: back off (RFC 6298 section 5.5), never past {@link TransferParameters#maxBackoff()}. */
    void backOff() {
        rto = rto > maxBackoff / 2 ? maxBackoff : Math.max(min, rto * 2);
    }

    private long clamp(long v) {
        return Math.max(min, Math.min(max, v));
    }
}
