package dev.protokit.rendezvous.wire;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes the datagrams peers send each other. Pure: no sockets, no clocks.
 * Integers are big-endian; {@code id} is a 1-byte length and printable ASCII (1..64 bytes);
 * {@code big} is a 2-byte length and an unsigned magnitude (1..512 bytes).
 *
 * <pre>
 *  PROBE (20 bytes)
 *   1      1       2        8              8
 *  +----+-------+-------+-------------+-------------+
 *  | C0 | flags | 00 00 | session tag |    nonce    |   flags bit 0: reply (echo)
 *  +----+-------+-------+-------------+-------------+
 *
 *  HELLO (J-PAKE round 1, half "part")      KEY_SHARE (J-PAKE round 2)
 *  +----+------+----+-----+-----+-----+     +----+----+----+-----+-----+-----+
 *  | C1 | part | id | big | big | big |     | C2 | 00 | id | big | big | big |
 *  +----+------+----+-----+-----+-----+     +----+----+----+-----+-----+-----+
 *                    g^x   g^v    r                         A    g^v    r
 *
 *  CONFIRM (J-PAKE round 3)                 ABORT
 *  +----+----+----+-------+                 +----+--------+----+
 *  | C3 | 00 | id |  tag  |                 | C5 | reason | id |
 *  +----+----+----+-------+                 +----+--------+----+
 *   tag: 1-byte length, two's complement (1..33 bytes)
 *
 *  SEALED
 *   1        8                n               16
 *  +----+----------+-----------------------+----------+
 *  | C4 | sequence | ChaCha20 ciphertext   | Poly1305 |   AAD = the first 9 bytes
 *  +----+----------+-----------------------+----------+   nonce = 00000000 | sequence
 * </pre>
 */
public final class PeerCodec {
    /** The largest peer datagram we send or accept (fits a 1280-byte IPv6 path with TURN framing). */
    public static final int MAX_DATAGRAM = 1200;

    private PeerCodec() {}

    /**
     * Decodes one datagram from its position to its limit; the position is left at the limit.
     * A decoded {@link PeerSealed} shares the buffer's bytes.
     *
     * @throws PeerException MALFORMED naming what is wrong, never anything else
     */
    public static PeerPacket decode(ByteBuffer datagram) {
        ByteBuffer in = datagram.slice();
        datagram.position(datagram.limit());
        if (in.remaining() > MAX_DATAGRAM) {
            throw PeerWire.malformed("datagram length " + PeerWire.hex16(in.remaining()));
        }
        PeerWire.need(in, 1, "type");
        PeerPacketType type = PeerPacketType.fromWire(Byte.toUnsignedInt(in.get()));
        PeerPacket packet = switch (type) {
            case PROBE -> {
                if (in.remaining() != PeerProbe.LENGTH - 1) {
                    throw PeerWire.malformed("probe length " + PeerWire.hex16(in.remaining() + 1));
                }
                int flags = Byte.toUnsignedInt(in.get());
                if ((flags & ~1) != 0 || in.getShort() != 0) {
                    throw PeerWire.malformed("probe flags " + PeerWire.hex8(flags));
                }
                yield new PeerProbe((flags & 1) != 0, in.getLong(), in.getLong());
            }
            case HELLO -> {
                PeerWire.need(in, 1, "hello part");
                int part = Byte.toUnsignedInt(in.get());
                String id = PeerWire.getId(in);
                yield new PeerHello(id, part, PeerWire.getBig(in, "gx"), PeerWire.getBig(in, "gv"),
                        PeerWire.getBig(in, "r"));
            }
            case KEY_SHARE -> {
                String id = afterZero(in, "key share");
                yield new PeerKeyShare(id, PeerWire.getBig(in, "A"), PeerWire.getBig(in, "gv"),
                        PeerWire.getBig(in, "r"));
            }
            case CONFIRM -> {
                String id = afterZero(in, "confirm");
                yield new PeerConfirm(id, PeerWire.getSigned(in, "mac tag"));
            }
            case ABORT -> {
                PeerWire.need(in, 1, "abort reason");
                PeerError reason = PeerError.fromWire(Byte.toUnsignedInt(in.get()));
                yield new PeerAbort(reason, PeerWire.getId(in));
            }
            case SEALED -> {
                PeerWire.need(in, 8 + PeerSealed.TAG, "sealed");
                long sequence = in.getLong();
                ByteBuffer sealed = in.slice();
                in.position(in.limit());
                yield new PeerSealed(sequence, sealed);
            }
        };
        PeerWire.requireEnd(in, type.name().toLowerCase(java.util.Locale.ROOT));
        return packet;
    }

    /** Encodes {@code packet} at {@code out}'s position. */
    public static void encode(PeerPacket packet, ByteBuffer out) {
        out.put((byte) packet.type().wireValue());
        switch (packet) {
            case PeerProbe p -> out.put((byte) (p.reply() ? 1 : 0)).putShort((short) 0)
                    .putLong(p.sessionTag()).putLong(p.nonce());
            case PeerHello h -> {
                out.put((byte) h.part());
                PeerWire.putId(out, h.participantId());
                PeerWire.putBig(out, h.gx());
                PeerWire.putBig(out, h.gv());
                PeerWire.putBig(out, h.r());
            }
            case PeerKeyShare k -> {
                out.put((byte) 0);
                PeerWire.putId(out, k.participantId());
                PeerWire.putBig(out, k.a());
                PeerWire.putBig(out, k.gv());
                PeerWire.putBig(out, k.r());
            }
            case PeerConfirm c -> {
                out.put((byte) 0);
                PeerWire.putId(out, c.participantId());
                PeerWire.putSigned(out, c.macTag());
            }
            case PeerAbort a -> {
                out.put((byte) a.reason().wireValue());
                PeerWire.putId(out, a.participantId());
            }
            case PeerSealed s -> out.putLong(s.sequence()).put(s.sealed().duplicate());
        }
    }

    /** {@code packet} as a fresh byte array. */
    public static byte[] toBytes(PeerPacket packet) {
        ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM + 64);
        encode(packet, out);
        out.flip();
        if (out.remaining() > MAX_DATAGRAM) {
            throw PeerWire.malformed("datagram length " + PeerWire.hex16(out.remaining()));
        }
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static String afterZero(ByteBuffer in, String what) {
        PeerWire.need(in, 1, what + " reserved byte");
        int reserved = Byte.toUnsignedInt(in.get());
        if (reserved != 0) {
            throw PeerWire.malformed(what + " reserved byte " + PeerWire.hex8(reserved));
        }
        return PeerWire.getId(in);
    }
}
