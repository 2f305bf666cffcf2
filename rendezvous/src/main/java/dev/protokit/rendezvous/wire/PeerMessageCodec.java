package dev.protokit.rendezvous.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes {@link PeerMessage}s, the payload of one channel message. Pure.
 *
 * <pre>
 *  CHAT    | 01 | UTF-8 text (1..1000 bytes)  |
 *  FILE    | 02 | size (64) | UTF-8 name (1..255 bytes, no '/', '\', NUL, not "." or "..") |
 *  CHUNK   | 03 | bytes (1..1169)             |
 *  DONE    | 04 | SHA-256 of the whole file (32 bytes) |
 *  RESULT  | 05 | ok (0/1) | UTF-8 reason (0..200 bytes) |
 * </pre>
 */
public final class PeerMessageCodec {
    private PeerMessageCodec() {}

    /** Encodes a message into a fresh buffer, flipped for reading. */
    public static ByteBuffer encode(PeerMessage message) {
        ByteBuffer out = ByteBuffer.allocate(PeerFrame.MAX_PAYLOAD);
        switch (message) {
            case PeerMessage.Chat c -> out.put((byte) 1).put(c.text().getBytes(StandardCharsets.UTF_8));
            case PeerMessage.FileOffer f -> out.put((byte) 2).putLong(f.size()).put(f.name().getBytes(StandardCharsets.UTF_8));
            case PeerMessage.Chunk c -> out.put((byte) 3).put(c.bytes().duplicate());
            case PeerMessage.Done d -> out.put((byte) 4).put(d.sha256());
            case PeerMessage.Result r -> out.put((byte) 5).put((byte) (r.ok() ? 1 : 0)).put(r.reason().getBytes(StandardCharsets.UTF_8));
        }
        return out.flip();
    }

    /** Decodes one message. @throws PeerException MALFORMED naming what is wrong */
    public static PeerMessage decode(ByteBuffer in) {
        ByteBuffer b = in.slice();
        PeerWire.need(b, 1, "message type");
        int type = Byte.toUnsignedInt(b.get());
        return switch (type) {
            case 1 -> new PeerMessage.Chat(utf8(b, "chat"));
            case 2 -> {
                PeerWire.need(b, 8, "file size");
                long size = b.getLong();
                yield new PeerMessage.FileOffer(utf8(b, "file name"), size);
            }
            case 3 -> new PeerMessage.Chunk(b);
            case 4 -> {
                if (b.remaining() != 32) {
                    throw PeerWire.malformed("sha-256 length " + PeerWire.hex8(b.remaining()));
                }
                byte[] hash = new byte[32];
                b.get(hash);
                yield new PeerMessage.Done(hash);
            }
            case 5 -> {
                PeerWire.need(b, 1, "result flag");
                int ok = Byte.toUnsignedInt(b.get());
                if (ok > 1) {
                    throw PeerWire.malformed("result flag " + PeerWire.hex8(ok));
                }
                yield new PeerMessage.Result(ok == 1, utf8(b, "result reason"));
            }
            default -> throw PeerWire.malformed("message type " + PeerWire.hex8(type));
        };
    }

    private static String utf8(ByteBuffer b, String field) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
        } catch (CharacterCodingException e) {
            throw new PeerException(PeerError.MALFORMED, "MALFORMED " + field + " is not UTF-8", e);
        }
    }
}
