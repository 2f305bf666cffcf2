package dev.protokit.chat.wire;

import dev.protokit.common.frame.FrameCodec;
import dev.protokit.common.frame.FrameHeader;
import dev.protokit.common.frame.FrameLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds frames and headers from JSON text the way a peer's bytes would arrive. */
final class WireFixtures {
    private WireFixtures() {
    }

    /** The checked header of {@code json}, as common's frame reader hands it over. */
    static FrameHeader header(String json) {
        return FrameCodec.decodeHeader(json.getBytes(StandardCharsets.UTF_8), FrameLimits.DEFAULT);
    }

    /** The JSON text of the frame head {@code message} encodes to (without the length prefix). */
    static String json(ChatMessage message) {
        byte[] head = head(message);
        return new String(head, FrameCodec.LENGTH_PREFIX_BYTES, head.length - FrameCodec.LENGTH_PREFIX_BYTES,
                StandardCharsets.UTF_8);
    }

    /** The frame head (u32 length and JSON header) of {@code message}. */
    static byte[] head(ChatMessage message) {
        return FrameCodec.encodeHead(ChatCodec.encode(message), ChatCodec.bodyLength(message), FrameLimits.DEFAULT);
    }

    /** Decodes a whole frame head: the prefix must match the header's length. */
    static FrameHeader parseHead(byte[] head) {
        long length = ByteBuffer.wrap(head).getInt() & 0xffffffffL;
        int checked = FrameCodec.checkHeaderLength(length, FrameLimits.DEFAULT);
        return FrameCodec.decodeHeader(Arrays.copyOfRange(head, 4, 4 + checked), FrameLimits.DEFAULT);
    }
}
