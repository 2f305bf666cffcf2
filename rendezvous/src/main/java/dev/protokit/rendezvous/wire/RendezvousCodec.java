package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;
import dev.protokit.rendezvous.wire.RendezvousMessage.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and decodes rendezvous messages. Pure. All integers big-endian. The first byte 0xd5
 * keeps them apart from STUN (0x00-0x03), ChannelData (0x40-0x7f) and the other RFC 7983
 * ranges on the same port (see {@link PacketKind}).
 *
 * <pre>
 *  Header (every message)
 *   0               1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  |     0xd5      |   0x52 ('R')  |  version = 1  |     type      |
 *  +---------------+---------------+---------------+---------------+
 *  |                  transaction id (64 bits)                     |
 *  +---------------------------------------------------------------+
 *
 *  Candidate (8 bytes for IPv4, 20 for IPv6)
 *  +---------------+---------------+-------------------------------+
 *  | kind 1/2/3    | family 4 or 6 |             port              |
 *  +---------------+---------------+-------------------------------+
 *  |                 address (32 or 128 bits)                      |
 *  +---------------------------------------------------------------+
 *
 *  REGISTER 0x01            | session (32) | peer id (64) | count (8) | candidate * count |
 *  REGISTERED 0x02          | lifetime s (16) | keepalive s (16) | probe (128) | observed candidate |
 *  PROBE_ECHO 0x03          | session (32) | peer id (64) | probe (128) |
 *  KEEPALIVE 0x04, LEAVE 0x06 | session (32) | peer id (64) |
 *  INTRODUCE 0x05           | session (32) | other peer id (64) | role (8) | start in ms (16) |
 *                           | count (8) | candidate * count | relay (8): 0 none, 1 here, 2 at |
 *                           | [candidate of the relay server, if 2] | ulen (8) | username |
 *                           | plen (8) | password |                     (relay fields if relay != 0)
 *  ERROR 0x7f               | code (16) | rlen (8) | reason (ASCII) |
 * </pre>
 */
public final class RendezvousCodec {
    /** The first byte of every rendezvous message. */
    public static final int MAGIC = 0xd5;
    /** The second byte. */
    public static final int MAGIC2 = 0x52;
    /** The protocol version this codec speaks. */
    public static final int VERSION = 1;
    /** The header length. */
    public static final int HEADER = 12;
    /** The largest message: an INTRODUCE with 8 IPv6 candidates and the longest credentials. */
    public static final int MAX_MESSAGE = HEADER + 16 + 1 + 8 * 20 + 1 + 20 + 2 * 256;

    private RendezvousCodec() {}

    /** Whether a datagram starts like a rendezvous message (magic bytes). Does not move the position. */
    public static boolean looksLikeRendezvous(ByteBuffer datagram) {
        int p = datagram.position();
        return datagram.remaining() >= HEADER && (datagram.get(p) & 0xff) == MAGIC && (datagram.get(p + 1) & 0xff) == MAGIC2;
    }

    /**
     * Decodes one message from position to limit, leaving the position at the limit.
     *
     * @throws RendezvousException BAD_MESSAGE naming what is wrong, never anything else
     */
    public static RendezvousMessage decode(ByteBuffer datagram) {
        ByteBuffer in = datagram.slice();
        datagram.position(datagram.limit());
        try {
            RendezvousMessage m = decodeBody(in);
            if (in.hasRemaining()) {
                throw RendezvousException.bad("trailing bytes at offset " + WireIndex.hex16(in.position()));
            }
            return m;
        } catch (java.nio.BufferUnderflowException e) {
            throw new RendezvousException(ErrorCode.BAD_MESSAGE, "BAD_MESSAGE truncated at length "
                    + WireIndex.hex16(in.limit()), e);
        }
    }

    private static RendezvousMessage decodeBody(ByteBuffer in) {
        if (in.remaining() < HEADER) {
            throw RendezvousException.bad("message length " + WireIndex.hex16(in.remaining()));
        }
        int magic = Short.toUnsignedInt(in.getShort());
        if (magic != (MAGIC << 8 | MAGIC2)) {
            throw RendezvousException.bad("magic " + WireIndex.hex16(magic));
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw RendezvousException.bad("version " + WireIndex.hex16(version));
        }
        MessageType type = MessageType.fromWire(in.get() & 0xff);
        long tx = in.getLong();
        return switch (type) {
            case REGISTER -> new Register(tx, u32(in), in.getLong(), candidates(in));
            case REGISTERED -> {
                Duration lifetime = Duration.ofSeconds(u16(in));
                Duration keepalive = Duration.ofSeconds(u16(in));
                Probe probe = new Probe(in.getLong(), in.getLong());
                yield new Registered(tx, candidate(in).address(), lifetime, keepalive, probe);
            }
            case PROBE_ECHO -> new ProbeEcho(tx, u32(in), in.getLong(), new Probe(in.getLong(), in.getLong()));
            case KEEPALIVE -> new Keepalive(tx, u32(in), in.getLong());
            case LEAVE -> new Leave(tx, u32(in), in.getLong());
            case INTRODUCE -> {
                long session = u32(in);
                long peer = in.getLong();
                int role = in.get() & 0xff;
                if (role > 1) {
                    throw RendezvousException.bad("role " + WireIndex.hex16(role));
                }
                Duration startIn = Duration.ofMillis(u16(in));
                List<Candidate> candidates = candidates(in);
                yield new Introduce(tx, session, peer, Role.values()[role], startIn, candidates, relay(in));
            }
            case ERROR -> {
                ErrorCode code = ErrorCode.fromWire(u16(in));
                yield new ErrorMessage(tx, code, ascii(in, "error reason"));
            }
        };
    }

    /** Encodes a message at the position, advancing it. */
    public static void encode(RendezvousMessage message, ByteBuffer out) {
        out.put((byte) MAGIC).put((byte) MAGIC2).put((byte) VERSION).put((byte) message.type().wireValue())
                .putLong(message.transactionId());
        switch (message) {
            case Register r -> {
                out.putInt((int) r.session()).putLong(r.peerId());
                putCandidates(r.candidates(), out);
            }
            case Registered r -> {
                out.putShort((short) r.lifetime().toSeconds()).putShort((short) r.keepalive().toSeconds())
                        .putLong(r.probe().issued()).putLong(r.probe().tag());
                putCandidate(Candidate.reflexive(r.observed()), out);
            }
            case ProbeEcho p -> out.putInt((int) p.session()).putLong(p.peerId())
                    .putLong(p.probe().issued()).putLong(p.probe().tag());
            case Keepalive k -> out.putInt((int) k.session()).putLong(k.peerId());
            case Leave l -> out.putInt((int) l.session()).putLong(l.peerId());
            case Introduce i -> {
                out.putInt((int) i.session()).putLong(i.peerId()).put((byte) i.role().ordinal())
                        .putShort((short) i.startIn().toMillis());
                putCandidates(i.candidates(), out);
                putRelay(i.relay(), out);
            }
            case ErrorMessage e -> {
                out.putShort((short) e.code().wireValue());
                putAscii(e.reason(), out);
            }
        }
    }

    /** Encodes into a new buffer of the exact size, flipped for sending. */
    public static ByteBuffer encode(RendezvousMessage message) {
        ByteBuffer out = ByteBuffer.allocate(MAX_MESSAGE);
        encode(message, out);
        return ByteBuffer.wrap(java.util.Arrays.copyOf(out.array(), out.position()));
    }

    private static List<Candidate> candidates(ByteBuffer in) {
        int count = in.get() & 0xff;
        if (count > RendezvousMessage.MAX_CANDIDATES) {
            throw RendezvousException.bad("candidate count " + WireIndex.hex16(count));
        }
        var out = new ArrayList<Candidate>(count);
        for (int i = 0; i < count; i++) {
            out.add(candidate(in));
        }
        return out;
    }

    private static Candidate candidate(ByteBuffer in) {
        CandidateKind kind = CandidateKind.fromWire(in.get() & 0xff);
        int family = in.get() & 0xff;
        int port = u16(in);
        byte[] ip = switch (family) {
            case 4 -> new byte[4];
            case 6 -> new byte[16];
            default -> throw RendezvousException.bad("address family " + WireIndex.hex16(family));
        };
        in.get(ip);
        if (port == 0) {
            throw RendezvousException.bad("candidate port 0x0000");
        }
        try {
            return new Candidate(kind, new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static Optional<RelayOffer> relay(ByteBuffer in) {
        int flag = in.get() & 0xff;
        if (flag == 0) {
            return Optional.empty();
        }
        if (flag > 2) {
            throw RendezvousException.bad("relay flag " + WireIndex.hex16(flag));
        }
        Optional<InetSocketAddress> server = flag == 2 ? Optional.of(candidate(in).address()) : Optional.empty();
        return Optional.of(new RelayOffer(server, ascii(in, "relay username"), ascii(in, "relay password")));
    }

    private static void putCandidates(List<Candidate> candidates, ByteBuffer out) {
        out.put((byte) candidates.size());
        candidates.forEach(c -> putCandidate(c, out));
    }

    private static void putCandidate(Candidate c, ByteBuffer out) {
        byte[] ip = c.address().getAddress().getAddress();
        out.put((byte) c.kind().wireValue()).put((byte) (ip.length == 4 ? 4 : 6))
                .putShort((short) c.address().getPort()).put(ip);
    }

    private static void putRelay(Optional<RelayOffer> relay, ByteBuffer out) {
        if (relay.isEmpty()) {
            out.put((byte) 0);
            return;
        }
        RelayOffer r = relay.get();
        out.put((byte) (r.server().isPresent() ? 2 : 1));
        r.server().ifPresent(s -> putCandidate(new Candidate(CandidateKind.RELAYED, s), out));
        putAscii(r.username(), out);
        putAscii(r.password(), out);
    }

    private static String ascii(ByteBuffer in, String what) {
        int length = in.get() & 0xff;
        byte[] b = new byte[length];
        in.get(b);
        for (byte c : b) {
            if (c < 0x20 || c == 0x7f) {
                throw RendezvousException.bad(what + " byte " + WireIndex.hex16(c & 0xff));
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static void putAscii(String s, ByteBuffer out) {
        out.put((byte) s.length()).put(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static long u32(ByteBuffer in) {
        return Integer.toUnsignedLong(in.getInt());
    }

    private static int u16(ByteBuffer in) {
        return Short.toUnsignedInt(in.getShort());
    }
}
