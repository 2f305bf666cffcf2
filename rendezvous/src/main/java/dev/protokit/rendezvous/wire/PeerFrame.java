package dev.protokit.rendezvous.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a sealed datagram carries: one frame of the reliable channel. {@link PeerFrameCodec}
 * encodes them; the channel's state machine in {@code .peer} produces and consumes them.
 */
public sealed interface PeerFrame {
    /** The largest payload of one {@link Data} frame: a 1200-byte datagram less every header. */
    int MAX_PAYLOAD = PeerCodec.MAX_DATAGRAM - PeerSealed.HEADER - PeerSealed.TAG - 5;

    /**
     * One message of the ordered stream.
     *
     * @param sequence the message's number, 0..2^32-1, consecutive from 0
     * @param payload  at most {@link #MAX_PAYLOAD} bytes, kept as a read-only view
     */
    record Data(long sequence, ByteBuffer payload) implements PeerFrame {
        /** Checks the ranges and keeps a read-only slice. */
        public Data {
            PeerFrameCodec.checkSequence(sequence, "data sequence");
            Objects.requireNonNull(payload, "payload");
            if (payload.remaining() > MAX_PAYLOAD) {
                throw PeerWire.malformed("data length " + PeerWire.hex16(payload.remaining()));
            }
            payload = payload.slice().asReadOnlyBuffer();
        }

        /** A copy of the payload. */
        public byte[] bytes() {
            byte[] out = new byte[payload.remaining()];
            payload.duplicate().get(out);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.sequence == sequence && d.payload.equals(payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(sequence) * 31 + payload.hashCode();
        }

        @Override
        public String toString() {
            byte[] head = new byte[Math.min(8, payload.remaining())];
            payload.duplicate().get(head);
            return "Data[sequence=" + sequence + ", length=" + payload.remaining() + ", payload="
                    + HexFormat.of().formatHex(head) + (head.length < payload.remaining() ? "..." : "") + "]";
        }
    }

    /**
     * A received range of sequence numbers above the cumulative point.
     *
     * @param start the first sequence number received
     * @param end   one past the last
     */
    record Range(long start, long end) {
        /** Checks that the range is non-empty and within 32 bits. */
        public Range {
            PeerFrameCodec.checkSequence(start, "sack start");
            PeerFrameCodec.checkSequence(end, "sack end");
            if (end <= start) {
                throw PeerWire.malformed("sack range " + Long.toHexString(start) + ".." + Long.toHexString(end));
            }
        }
    }

    /**
     * Cumulative and selective acknowledgement with the receiver's window.
     *
     * @param cumulative every sequence number below this has arrived (the next one expected)
     * @param window     how many more messages the receiver can buffer, 0..65535
     * @param received   up to {@link #MAX_RANGES} ranges received above {@code cumulative}, ascending
     */
    record Ack(long cumulative, int window, List<Range> received) implements PeerFrame {
        /** At most this many ranges fit one acknowledgement. */
        public static final int MAX_RANGES = 16;

        /** Checks the ranges: ascending, disjoint and above {@code cumulative}. */
        public Ack {
            PeerFrameCodec.checkSequence(cumulative, "cumulative ack");
            if (window < 0 || window > 0xffff) {
                throw PeerWire.malformed("window " + Integer.toHexString(window));
            }
            received = List.copyOf(received);
            if (received.size() > MAX_RANGES) {
                throw PeerWire.malformed("sack count " + PeerWire.hex8(received.size()));
            }
            long floor = cumulative;
            for (Range range : received) {
                if (range.start() <= floor) {
                    throw PeerWire.malformed("sack range " + Long.toHexString(range.start()) + " out of order");
                }
                floor = range.end();
            }
        }
    }

    /** Asks for a {@link Pong}: keeps NAT mappings alive and measures the round trip. */
    record Ping(long id) implements PeerFrame {
        /** Checks the id fits 32 bits. */
        public Ping {
            PeerFrameCodec.checkSequence(id, "ping id");
        }
    }

    /** The answer to a {@link Ping}, echoing its id. */
    record Pong(long id) implements PeerFrame {
        /** Checks the id fits 32 bits. */
        public Pong {
            PeerFrameCodec.checkSequence(id, "pong id");
        }
    }

    /** The sender has delivered everything it will send and leaves. */
    record Bye() implements PeerFrame { }

    /** The answer to a {@link Bye}. */
    record ByeAck() implements PeerFrame { }
}
