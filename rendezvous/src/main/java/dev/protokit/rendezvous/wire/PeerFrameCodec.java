package dev.protokit.rendezvous.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the reliable channel's frames, the plaintext inside a sealed datagram.
 * Pure. Sequence numbers and ids are unsigned 32-bit big-endian.
 *
 * <pre>
 *  DATA                              ACK
 *  +----+----------+---------+       +----+------------+--------+-------+-------+-----+--
 *  | 01 | sequence | payload |       | 02 | cumulative | window | count | start | end | ...
 *  +----+----------+---------+       +----+------------+--------+-------+-------+-----+--
 *    1       4       0..1170           1        4          2        1       4      4
 *                                      count &lt;= 16 ranges [start, end), ascending, above cumulative
 *  PING / PONG          BYE     BYE_ACK
 *  +-------+----+       +----+  +----+
 *  | 03/04 | id |       | 05 |  | 06 |
 *  +-------+----+       +----+  +----+
 * </pre>
 */
public final class PeerFrameCodec {
    private static final int DATA = 1;
    private static final int ACK = 2;
    private static final int PING = 3;
    private static final int PONG = 4;
    private static final int BYE = 5;
    private static final int BYE_ACK = 6;

    private PeerFrameCodec() {}

    static void checkSequence(long value, String field) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw PeerWire.malformed(field + " " + Long.toHexString(value));
        }
    }

    /**
     * Decodes one frame from the buffer's remaining bytes. A {@link PeerFrame.Data} shares them.
     *
     * @throws PeerException MALFORMED naming what is wrong
     */
    public static PeerFrame decode(ByteBuffer plaintext) {
        ByteBuffer in = plaintext.slice();
        plaintext.position(plaintext.limit());
        PeerWire.need(in, 1, "frame type");
        int type = Byte.toUnsignedInt(in.get());
        PeerFrame frame = switch (type) {
            case DATA -> {
                PeerWire.need(in, 4, "data sequence");
                long sequence = Integer.toUnsignedLong(in.getInt());
                ByteBuffer payload = in.slice();
                in.position(in.limit());
                yield new PeerFrame.Data(sequence, payload);
            }
            case ACK -> {
                PeerWire.need(in, 7, "ack");
                long cumulative = Integer.toUnsignedLong(in.getInt());
                int window = Short.toUnsignedInt(in.getShort());
                int count = Byte.toUnsignedInt(in.get());
                if (count > PeerFrame.Ack.MAX_RANGES) {
                    throw PeerWire.malformed("sack count " + PeerWire.hex8(count));
                }
                PeerWire.need(in, count * 8, "sack ranges");
                List<PeerFrame.Range> ranges = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ranges.add(new PeerFrame.Range(Integer.toUnsignedLong(in.getInt()),
                            Integer.toUnsignedLong(in.getInt())));
                }
                yield new PeerFrame.Ack(cumulative, window, ranges);
            }
            case PING, PONG -> {
                PeerWire.need(in, 4, "ping id");
                long id = Integer.toUnsignedLong(in.getInt());
                yield type == PING ? new PeerFrame.Ping(id) : new PeerFrame.Pong(id);
            }
            case BYE -> new PeerFrame.Bye();
            case BYE_ACK -> new PeerFrame.ByeAck();
            default -> throw PeerWire.malformed("frame type " + PeerWire.hex8(type));
        };
        PeerWire.requireEnd(in, "frame " + PeerWire.hex8(type));
        return frame;
    }

    /** Encodes {@code frame} into a fresh buffer, flipped for reading. */
    public static ByteBuffer encode(PeerFrame frame) {
        ByteBuffer out = ByteBuffer.allocate(5 + PeerFrame.MAX_PAYLOAD);
        switch (frame) {
            case PeerFrame.Data d -> out.put((byte) DATA).putInt((int) d.sequence()).put(d.payload().duplicate());
            case PeerFrame.Ack a -> {
                out.put((byte) ACK).putInt((int) a.cumulative()).putShort((short) a.window())
                        .put((byte) a.received().size());
                for (PeerFrame.Range r : a.received()) {
                    out.putInt((int) r.start()).putInt((int) r.end());
                }
            }
            case PeerFrame.Ping p -> out.put((byte) PING).putInt((int) p.id());
            case PeerFrame.Pong p -> out.put((byte) PONG).putInt((int) p.id());
            case PeerFrame.Bye b -> out.put((byte) BYE);
            case PeerFrame.ByeAck b -> out.put((byte) BYE_ACK);
        }
        return out.flip();
    }
}
