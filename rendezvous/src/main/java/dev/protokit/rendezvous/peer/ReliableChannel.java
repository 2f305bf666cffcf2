package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A reliable, ordered message channel over datagrams, as a pure state machine: the caller
 * feeds it received frames and the time ({@code now}, nanoseconds of any monotonic clock),
 * and it emits frames through an output function. Every message is numbered; the receiver
 * acknowledges cumulatively and selectively (up to 16 ranges) with its free window; the
 * sender retransmits what is neither acknowledged nor reported received once a timeout
 * measured from the round trip (RFC 6298: SRTT + 4 RTTVAR, Karn's rule, exponential backoff)
 * runs out, or at once after three duplicate acknowledgements. A ping goes out when nothing
 * was sent for the keepalive interval; the channel fails when nothing arrives for the dead
 * interval or a message exhausts its sends. {@link #close} sends a goodbye once everything
 * sent has been acknowledged.
 *
 * <p>Not thread-safe: the driver confines it to one thread or guards it with a lock.
 */
public final class ReliableChannel {
    /** The channel's life. */
    public enum State { OPEN, CLOSING, CLOSED, FAILED }

    private static final long MAX_SEQUENCE = 0xffff_ffffL;

    private final ChannelConfig config;
    private final Consumer<PeerFrame> output;
    private final ChannelSender sender;
    private final Receiver receiver;
    private State state = State.OPEN;
    private PeerException failure;
    private long lastSent;
    private long lastReceived;
    private long pingId;
    private long pingSentAt = -1;
    private long byeSentAt = -1;
    private int byeSends;
    private boolean peerSaidBye;

    /** A channel whose clock starts at {@code now}. */
    public ReliableChannel(ChannelConfig config, Consumer<PeerFrame> output, long now) {
        this.config = Objects.requireNonNull(config, "config");
        this.output = Objects.requireNonNull(output, "output");
        this.sender = new ChannelSender(config);
        this.receiver = new Receiver(config.receiveWindow());
        this.lastSent = now;
        this.lastReceived = now;
    }

    /** Where the channel stands. */
    public State state() {
        return state;
    }

    /** Why the channel failed, once {@link State#FAILED}. */
    public Optional<PeerException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the other peer said goodbye. */
    public boolean peerClosed() {
        return peerSaidBye;
    }

    /** The smoothed round-trip time, once measured. */
    public Optional<Duration> rtt() {
        return sender.srtt();
    }

    /** How many messages were sent again. */
    public long retransmissions() {
        return sender.retransmissions();
    }

    /** Whether {@link #send} would queue rather than refuse: fewer than two windows outstanding. */
    public boolean canSend() {
        return state == State.OPEN && sender.outstanding() < 2L * config.sendWindow();
    }

    /** Whether every message sent so far has been acknowledged. */
    public boolean allAcknowledged() {
        return sender.outstanding() == 0;
    }

    /**
     * Queues one message (at most {@link PeerFrame#MAX_PAYLOAD} bytes) and sends what the
     * windows allow.
     *
     * @throws PeerException CLOSED after {@link #close} or a failure, or when {@link #canSend} is false
     */
    public void send(ByteBuffer message, long now) {
        if (!canSend()) {
            throw new PeerException(PeerError.CLOSED, "CLOSED channel is " + state
                    + (state == State.OPEN ? " with a full send queue" : ""));
        }
        if (message.remaining() > PeerFrame.MAX_PAYLOAD) {
            throw new IllegalArgumentException("message longer than " + PeerFrame.MAX_PAYLOAD + " bytes");
        }
        byte[] copy = new byte[message.remaining()];
        message.get(copy);
        sender.queue(copy);
        flush(now);
    }

    /** The next message received in order, if any. Reading frees window space. */
    public Optional<ByteBuffer> poll(long now) {
        Optional<ByteBuffer> next = receiver.poll();
        if (next.isPresent() && receiver.windowReopened()) {
            emit(receiver.ack(), now);
        }
        return next;
    }

    /** Handles one frame from the other peer. */
    public void receive(PeerFrame frame, long now) {
        if (state == State.FAILED) {
            return;
        }
        lastReceived = now;
        switch (frame) {
            case PeerFrame.Data d -> {
                receiver.accept(d);
                emit(receiver.ack(), now);
            }
            case PeerFrame.Ack a -> {
                Optional<PeerFrame.Data> fast = sender.acknowledge(a, now);
                fast.ifPresent(d -> emit(d, now));
                flush(now);
            }
            case PeerFrame.Ping p -> {
                emit(new PeerFrame.Pong(p.id()), now);
                emit(receiver.ack(), now);
            }
            case PeerFrame.Pong p -> {
                if (p.id() == pingId && pingSentAt >= 0) {
                    sender.sample(now - pingSentAt);
                    pingSentAt = -1;
                }
            }
            case PeerFrame.Bye b -> {
                peerSaidBye = true;
                emit(new PeerFrame.ByeAck(), now);
                if (state != State.CLOSING || byeSentAt < 0) {
                    state = State.CLOSED;
                }
            }
            case PeerFrame.ByeAck b -> {
                if (state == State.CLOSING && byeSentAt >= 0) {
                    state = State.CLOSED;
                }
            }
        }
        maybeBye(now);
    }

    /** Starts the goodbye: no more sends; a BYE once everything is acknowledged. */
    public void close(long now) {
        if (state == State.OPEN) {
            state = State.CLOSING;
            maybeBye(now);
        }
    }

    /** Runs the timers: retransmission, keepalive, goodbye, death. */
    public void tick(long now) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        if (now - lastReceived >= config.deadAfter().toNanos()) {
            fail(new PeerException(PeerError.TIMEOUT, "TIMEOUT nothing heard from the other peer for "
                    + config.deadAfter().toSeconds() + " s"));
            return;
        }
        try {
            for (PeerFrame.Data d : sender.due(now)) {
                emit(d, now);
            }
        } catch (PeerException e) {
            fail(e);
            return;
        }
        flush(now);
        boolean blocked = sender.blockedByPeerWindow();
        long rto = sender.rto();
        if (byeSentAt >= 0 && now - byeSentAt >= rto) {
            if (++byeSends > config.maxSends()) {
                state = State.CLOSED;
                return;
            }
            byeSentAt = now;
            emit(new PeerFrame.Bye(), now);
        }
        if (now - lastSent >= config.keepalive().toNanos() || (blocked && now - lastSent >= rto)) {
            ping(now);
        }
    }

    /** The time (same clock as {@code now}) at which {@link #tick} next has work. */
    public long nextDeadline(long now) {
        if (state == State.FAILED || state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        long next = Math.min(lastSent + config.keepalive().toNanos(), lastReceived + config.deadAfter().toNanos());
        long rto = sender.rto();
        next = Math.min(next, sender.nextRetransmission(rto));
        if (sender.blockedByPeerWindow()) {
            next = Math.min(next, lastSent + rto);
        }
        if (byeSentAt >= 0) {
            next = Math.min(next, byeSentAt + rto);
        }
        return Math.max(next, now);
    }

    private void ping(long now) {
        pingId = (pingId + 1) & MAX_SEQUENCE;
        pingSentAt = now;
        emit(new PeerFrame.Ping(pingId), now);
    }

    private void flush(long now) {
        if (state == State.FAILED) {
            return;
        }
        for (PeerFrame.Data d = sender.next(now); d != null; d = sender.next(now)) {
            emit(d, now);
        }
    }

    private void maybeBye(long now) {
        if (state == State.CLOSING && byeSentAt < 0 && sender.outstanding() == 0) {
            byeSentAt = now;
            byeSends = 1;
            emit(new PeerFrame.Bye(), now);
        }
    }

    private void emit(PeerFrame frame, long now) {
        lastSent = now;
        output.accept(frame);
    }

    private void fail(PeerException e) {
        state = State.FAILED;
        failure = e;
    }

    /** The receiving half: reorders into sequence, builds acknowledgements. */
    private static final class Receiver {
        private final int window;
        private final TreeMap<Long, byte[]> early = new TreeMap<>();
        private final Deque<byte[]> ready = new ArrayDeque<>();
        private long expected;
        private boolean advertisedZero;

        Receiver(int window) {
            this.window = window;
        }

        void accept(PeerFrame.Data d) {
            long seq = d.sequence();
            if (seq < expected || seq >= expected + span()) {
                return;
            }
            early.putIfAbsent(seq, d.bytes());
            for (byte[] next = early.remove(expected); next != null; next = early.remove(expected)) {
                ready.add(next);
                expected++;
            }
        }

        Optional<ByteBuffer> poll() {
            byte[] next = ready.poll();
            return next == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(next).asReadOnlyBuffer());
        }

        /** How far past the cumulative point the sender may go: the window less what awaits reading. */
        int span() {
            return Math.max(0, window - ready.size());
        }

        boolean windowReopened() {
            return advertisedZero && span() > 0;
        }

        PeerFrame.Ack ack() {
            java.util.List<PeerFrame.Range> ranges = new java.util.ArrayList<>();
            long start = -1;
            long end = -1;
            for (long seq : early.keySet()) {
                if (seq == end) {
                    end++;
                    continue;
                }
                if (start >= 0 && ranges.size() < PeerFrame.Ack.MAX_RANGES) {
                    ranges.add(new PeerFrame.Range(start, end));
                }
                start = seq;
                end = seq + 1;
            }
            if (start >= 0 && ranges.size() < PeerFrame.Ack.MAX_RANGES) {
                ranges.add(new PeerFrame.Range(start, end));
            }
            int span = span();
            advertisedZero = span == 0;
            return new PeerFrame.Ack(expected, span, ranges);
        }
    }
}
