package dev.protokit.tftp.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

/**
 * Encodes and decodes TFTP packets. Pure: no sockets, no clocks. All integers are big-endian
 * 16-bit; strings are NUL-terminated bytes (chars 0x01..0xff here).
 *
 * <pre>
 *  RRQ/WRQ (RFC 1350, options RFC 2347; at most 512 bytes in all)
 *   2 bytes    string   1    string  1    string   1    string  1
 *  +--------+----------+---+--------+---+--------+---+--------+---+--
 *  | 01/02  | filename | 0 |  mode  | 0 |  opt1  | 0 | value1 | 0 | ...
 *  +--------+----------+---+--------+---+--------+---+--------+---+--
 *
 *  DATA                         ACK                 ERROR
 *   2 bytes  2 bytes  n bytes    2 bytes  2 bytes    2 bytes  2 bytes  string  1
 *  +-------+--------+-------+   +-------+-------+   +-------+-------+-------+---+
 *  |  03   | block  | data  |   |  04   | block |   |  05   | code  |  msg  | 0 |
 *  +-------+--------+-------+   +-------+-------+   +-------+-------+-------+---+
 *    n &lt; blksize ends the transfer; 0 &lt;= n &lt;= 65464
 *
 *  OACK (RFC 2347)
 *   2 bytes  string  1    string  1
 *  +-------+--------+---+--------+---+--
 *  |  06   |  opt1  | 0 | value1 | 0 | ...
 *  +-------+--------+---+--------+---+--
 * </pre>
 *
 * <p>The static {@code put*}/{@code peek*} helpers let the transfer engine read and write the
 * fixed-size DATA/ACK headers in place, with no allocation per packet.
 */
public final class TftpCodec {
    /** RFC 2347: "the request packet must not exceed 512 octets". */
    public static final int MAX_REQUEST_LENGTH = 512;
    /** A DATA header: opcode and block number. */
    public static final int DATA_HEADER = 4;
    /** The largest packet that can be valid: a DATA header and a 65464-byte block. */
    public static final int MAX_PACKET = DATA_HEADER + Data.MAX_PAYLOAD;

    private TftpCodec() {}

    /**
     * Decodes one datagram, from its position to its limit. A decoded {@link Data} shares the
     * buffer's bytes. The buffer's position is left at its limit.
     *
     * @throws TftpException ILLEGAL_OPERATION naming what is wrong, never anything else
     */
    public static TftpPacket decode(ByteBuffer datagram) {
        ByteBuffer in = datagram.slice();
        datagram.position(datagram.limit());
        int length = in.remaining();
        if (length < 2) {
            throw illegal("packet length " + WireTable.hex16(length));
        }
        Opcode opcode = Opcode.fromWire(Short.toUnsignedInt(in.getShort()));
        return switch (opcode) {
            case RRQ, WRQ -> decodeRequest(opcode, in, length);
            case DATA -> {
                requireLength(opcode, length, length >= 4 && length <= MAX_PACKET);
                yield new Data(Short.toUnsignedInt(in.getShort()), in);
            }
            case ACK -> {
                requireLength(opcode, length, length == 4);
                yield new Ack(Short.toUnsignedInt(in.getShort()));
            }
            case ERROR -> {
                requireLength(opcode, length, length >= 5);
                ErrorCode code = ErrorCode.fromWire(Short.toUnsignedInt(in.getShort()));
                String message = string(in, "error message");
                requireEnd(in, "error message");
                yield new TftpError(code, message);
            }
            case OACK -> new OptionAck(options(in));
        };
    }

    /** Decodes a datagram and pairs it with its sender. */
    public static Received<TftpPacket> decode(java.net.InetSocketAddress from, ByteBuffer datagram) {
        return new Received<>(from, decode(datagram));
    }

    /**
     * Encodes a packet at the buffer's position, advancing it.
     *
     * @throws TftpException ILLEGAL_OPERATION if a request would exceed 512 bytes
     * @throws java.nio.BufferOverflowException if the packet does not fit
     */
    public static void encode(TftpPacket packet, ByteBuffer out) {
        int start = out.position();
        out.putShort((short) packet.opcode().wireValue());
        switch (packet) {
            case ReadRequest r -> encodeRequest(r, out, start);
            case WriteRequest w -> encodeRequest(w, out, start);
            case Data d -> out.putShort((short) d.block()).put(d.payload().duplicate());
            case Ack a -> out.putShort((short) a.block());
            case TftpError e -> {
                out.putShort((short) e.code().wireValue());
                putString(out, e.message());
            }
            case OptionAck o -> putOptions(out, o.options());
        }
    }

    /** Encodes a packet into a new buffer of its exact size, flipped for sending. */
    public static ByteBuffer encode(TftpPacket packet) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(packet));
        encode(packet, out);
        return out.flip();
    }

    /** The number of bytes {@link #encode(TftpPacket, ByteBuffer)} writes for a packet. */
    public static int encodedLength(TftpPacket packet) {
        return 2 + switch (packet) {
            case ReadRequest r -> r.filename().length() + r.mode().wireName().length() + 2 + length(r.options());
            case WriteRequest w -> w.filename().length() + w.mode().wireName().length() + 2 + length(w.options());
            case Data d -> 2 + d.length();
            case Ack a -> 2;
            case TftpError e -> 2 + e.message().length() + 1;
            case OptionAck o -> length(o.options());
        };
    }

    private static int length(TftpOptions options) {
        int n = 0;
        for (var e : options.values().entrySet()) {
            n += e.getKey().length() + e.getValue().length() + 2;
        }
        return n;
    }

    /** Writes a DATA header (opcode and block mod 2^16) at absolute index {@code at}. */
    public static void putDataHeader(ByteBuffer out, int at, long block) {
        out.putShort(at, (short) Opcode.DATA.wireValue()).putShort(at + 2, (short) block);
    }

    /** Writes an ACK for block (mod 2^16) at the buffer's position, advancing it. */
    public static void putAck(ByteBuffer out, long block) {
        out.putShort((short) Opcode.ACK.wireValue()).putShort((short) block);
    }

    /**
     * The opcode wire value of the datagram between position and limit, or -1 if it is shorter
     * than two bytes. Does not move the position.
     */
    public static int peekOpcode(ByteBuffer datagram) {
        return datagram.remaining() < 2 ? -1 : Short.toUnsignedInt(datagram.getShort(datagram.position()));
    }

    /** The block number of a DATA or ACK datagram (bytes 2-3). Requires 4 bytes. */
    public static int peekBlock(ByteBuffer datagram) {
        return Short.toUnsignedInt(datagram.getShort(datagram.position() + 2));
    }

    private static TftpPacket decodeRequest(Opcode opcode, ByteBuffer in, int length) {
        requireLength(opcode, length, length <= MAX_REQUEST_LENGTH);
        String filename = string(in, "filename");
        TransferMode mode = TransferMode.fromWire(string(in, "mode"));
        TftpOptions options = options(in);
        return opcode == Opcode.RRQ
                ? new ReadRequest(filename, mode, options)
                : new WriteRequest(filename, mode, options);
    }

    private static void encodeRequest(TransferRequest r, ByteBuffer out, int start) {
        putString(out, r.filename());
        putString(out, r.mode().wireName());
        putOptions(out, r.options());
        if (out.position() - start > MAX_REQUEST_LENGTH) {
            throw illegal("request length " + WireTable.hex16(out.position() - start));
        }
    }

    private static TftpOptions options(ByteBuffer in) {
        var map = new LinkedHashMap<String, String>();
        while (in.hasRemaining()) {
            if (onlyNuls(in)) {
                // Padding, not an empty option name: uftpd's OACKs carried four NULs at the end.
                in.position(in.limit());
                break;
            }
            String name = string(in, "option name");
            if (name.isEmpty()) {
                throw illegal("empty option name");
            }
            String value = string(in, "option value");
            if (map.put(name.toLowerCase(java.util.Locale.ROOT), value) != null) {
                throw illegal("duplicate option " + Hex.ofString(name));
            }
        }
        return new TftpOptions(map);
    }

    private static boolean onlyNuls(ByteBuffer in) {
        for (int i = in.position(); i < in.limit(); i++) {
            if (in.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void putOptions(ByteBuffer out, TftpOptions options) {
        for (var e : options.values().entrySet()) {
            putString(out, e.getKey());
            putString(out, e.getValue());
        }
    }

    /** Reads a NUL-terminated string; the terminator is required. */
    private static String string(ByteBuffer in, String field) {
        int start = in.position();
        for (int i = start; i < in.limit(); i++) {
            if (in.get(i) == 0) {
                byte[] bytes = new byte[i - start];
                in.get(bytes).get();
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        throw illegal("unterminated " + field + " at offset " + WireTable.hex16(start));
    }

    private static void putString(ByteBuffer out, String s) {
        out.put(s.getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
    }

    private static void requireEnd(ByteBuffer in, String after) {
        if (in.hasRemaining()) {
            throw illegal("trailing bytes after " + after + " at offset " + WireTable.hex16(in.position()));
        }
    }

    private static void requireLength(Opcode opcode, int length, boolean ok) {
        if (!ok) {
            throw illegal(opcode + " length " + WireTable.hex16(length));
        }
    }

    private static TftpException illegal(String what) {
        return new TftpException(ErrorCode.ILLEGAL_OPERATION, "ILLEGAL_OPERATION " + what);
    }
}
