package dev.protokit.rendezvous.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What the application puts in the reliable channel: chat lines and the parts of a file
 * transfer. One message per channel message, so at most {@link PeerFrame#MAX_PAYLOAD} bytes.
 *
 * {@link PeerMessageCodec} draws and encodes the layouts.
 */
public sealed interface PeerMessage {
    /** The longest chat line in bytes. */
    int MAX_CHAT = 1000;
    /** The largest chunk: a channel message less the type byte. */
    int MAX_CHUNK = PeerFrame.MAX_PAYLOAD - 1;

    /** A chat line. */
    record Chat(String text) implements PeerMessage {
        /** Checks the length. */
        public Chat {
            int n = text.getBytes(StandardCharsets.UTF_8).length;
            if (n == 0 || n > MAX_CHAT) {
                throw PeerWire.malformed("chat length " + PeerWire.hex16(n));
            }
        }
    }

    /** A file is coming: its name (a bare file name) and size. */
    record FileOffer(String name, long size) implements PeerMessage {
        /** Checks the name is a bare file name and the size non-negative. */
        public FileOffer {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length > 255 || name.equals(".") || name.equals("..")
                    || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
                throw PeerWire.malformed("file name " + HexFormat.of().formatHex(bytes, 0, Math.min(32, bytes.length)));
            }
            if (size < 0) {
                throw PeerWire.malformed("file size " + Long.toHexString(size));
            }
        }
    }

    /** The next bytes of the file. */
    record Chunk(ByteBuffer bytes) implements PeerMessage {
        /** Checks the length and keeps a read-only slice. */
        public Chunk {
            if (bytes.remaining() == 0 || bytes.remaining() > MAX_CHUNK) {
                throw PeerWire.malformed("chunk length " + PeerWire.hex16(bytes.remaining()));
            }
            bytes = bytes.slice().asReadOnlyBuffer();
        }
    }

    /** The file is complete; its SHA-256. */
    record Done(byte[] sha256) implements PeerMessage {
        /** Checks the length and copies. */
        public Done {
            if (sha256.length != 32) {
                throw PeerWire.malformed("sha-256 length " + PeerWire.hex8(sha256.length));
            }
            sha256 = sha256.clone();
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Done d && Arrays.equals(d.sha256, sha256);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sha256);
        }

        @Override
        public String toString() {
            return "Done[" + HexFormat.of().formatHex(sha256) + "]";
        }
    }

    /** The receiver's verdict on the file. */
    record Result(boolean ok, String reason) implements PeerMessage {
        /** Checks the reason's length. */
        public Result {
            if (Objects.requireNonNull(reason, "reason").getBytes(StandardCharsets.UTF_8).length > 200) {
                throw PeerWire.malformed("result reason too long");
            }
        }
    }
}
