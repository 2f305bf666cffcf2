package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sending half of {@link ReliableChannel}: the queue, the messages in flight, the
 * retransmission timeout (RFC 6298) and the peer's window. Pure and single-threaded.
 */
final class ChannelSender {
    private static final long MAX_SEQUENCE = 0xffff_ffffL;
    private static final int DUPLICATE_ACKS = 3;

    /** A message in flight. */
    private static final class Segment {
        final byte[] payload;
        long lastSent;
        int sends;
        boolean reported;

        Segment(byte[] payload) {
            this.payload = payload;
        }
    }

    private final ChannelConfig config;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private final TreeMap<Long, Segment> inFlight = new TreeMap<>();
    private long nextSequence;
    private long peerCumulative;
    private long peerWindow;
    private long lastAckCumulative = -1;
    private int duplicateAcks;
    private long srtt = -1;
    private long rttvar;
    private long rto;
    private long retransmissions;

    ChannelSender(ChannelConfig config) {
        this.config = config;
        this.peerWindow = Math.min(config.sendWindow(), ChannelConfig.INITIAL_WINDOW);
        this.rto = config.initialRto().toNanos();
    }

    void queue(byte[] message) {
        queue.add(message);
    }

    long outstanding() {
        return queue.size() + (long) inFlight.size();
    }

    long retransmissions() {
        return retransmissions;
    }

    long rto() {
        return rto;
    }

    Optional<Duration> srtt() {
        return srtt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(srtt));
    }

    boolean blockedByPeerWindow() {
        return !queue.isEmpty() && nextSequence >= peerCumulative + peerWindow;
    }

    /** The next queued message the windows allow, numbered and in flight, or null. */
    PeerFrame.Data next(long now) {
        if (queue.isEmpty() || inFlight.size() >= config.sendWindow()
                || nextSequence >= peerCumulative + peerWindow) {
            return null;
        }
        if (nextSequence > MAX_SEQUENCE) {
            throw new PeerException(PeerError.CLOSED, "CLOSED sequence numbers exhausted");
        }
        Segment segment = new Segment(queue.poll());
        segment.lastSent = now;
        segment.sends = 1;
        long sequence = nextSequence++;
        inFlight.put(sequence, segment);
        return frame(sequence, segment);
    }

    /**
     * Applies an acknowledgement; returns a message to send again at once after the third
     * duplicate (fast retransmission of the first hole).
     */
    Optional<PeerFrame.Data> acknowledge(PeerFrame.Ack ack, long now) {
        long cumulative = ack.cumulative();
        if (cumulative > nextSequence || cumulative < peerCumulative) {
            return Optional.empty();
        }
        long sample = -1;
        while (!inFlight.isEmpty() && inFlight.firstKey() < cumulative) {
            Segment acked = inFlight.pollFirstEntry().getValue();
            if (acked.sends == 1) {
                sample = now - acked.lastSent;
            }
        }
        for (PeerFrame.Range range : ack.received()) {
            for (Segment s : inFlight.subMap(range.start(), range.end()).values()) {
                if (!s.reported && s.sends == 1) {
                    sample = now - s.lastSent;
                }
                s.reported = true;
            }
        }
        if (sample >= 0) {
            sample(sample);
        }
        peerCumulative = cumulative;
        peerWindow = ack.window();
        if (cumulative == lastAckCumulative && !ack.received().isEmpty()) {
            if (++duplicateAcks == DUPLICATE_ACKS && !inFlight.isEmpty()) {
                var first = inFlight.firstEntry();
                if (!first.getValue().reported) {
                    return Optional.of(resend(first.getKey(), first.getValue(), now));
                }
            }
        } else {
            lastAckCumulative = cumulative;
            duplicateAcks = 0;
        }
        return Optional.empty();
    }

    /** RFC 6298 section 2: updates SRTT, RTTVAR and the timeout from one sample (Karn: never a retransmitted one). */
    void sample(long rtt) {
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = clamp(srtt + Math.max(4 * rttvar, 1_000_000L));
    }

    /** Messages whose timeout ran out, to send again; backs the timeout off once per round. */
    List<PeerFrame.Data> due(long now) {
        List<PeerFrame.Data> out = new ArrayList<>();
        boolean expired = false;
        for (var entry : inFlight.entrySet()) {
            Segment s = entry.getValue();
            if (!s.reported && now - s.lastSent >= rto) {
                if (s.sends >= config.maxSends()) {
                    throw new PeerException(PeerError.TIMEOUT, "TIMEOUT message " + entry.getKey()
                            + " unacknowledged after " + s.sends + " sends");
                }
                expired = true;
                out.add(resend(entry.getKey(), s, now));
            }
        }
        if (expired) {
            rto = clamp(rto * 2);
        }
        return out;
    }

    /** When {@link #due} next has something, or {@code Long.MAX_VALUE}. */
    long nextRetransmission(long rto) {
        long next = Long.MAX_VALUE;
        for (Segment s : inFlight.values()) {
            if (!s.reported) {
                next = Math.min(next, s.lastSent + rto);
            }
        }
        return next;
    }

    private PeerFrame.Data resend(long sequence, Segment s, long now) {
        s.lastSent = now;
        s.sends++;
        retransmissions++;
        return frame(sequence, s);
    }

    private static PeerFrame.Data frame(long sequence, Segment s) {
        return new PeerFrame.Data(sequence, ByteBuffer.wrap(s.payload));
    }

    private long clamp(long value) {
        return Math.min(config.maxRto().toNanos(), Math.max(config.minRto().toNanos(), value));
    }
}
