package dev.protokit.tftp.wire;

import java.nio.ByteBuffer;

/**
 * Converts local text (lines ending in LF) to netascii (RFC 1350 via RFC 764): LF becomes CR LF
 * and a bare CR becomes CR NUL. Streaming: a two-byte expansion that does not fit in the output
 * is finished on the next call, so blocks can be cut anywhere. One instance per transfer.
 *
 * <pre>
 *   local   ... 'a' LF  'b' CR  'c'
 *   wire    ... 'a' CR LF 'b' CR NUL 'c'
 * </pre>
 */
public final class NetasciiEncoder {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int NONE = -1;

    /** The second byte of an expansion cut off by a full output buffer, or NONE. */
    private int pending = NONE;

    /** Converts bytes from {@code in} into {@code out} until {@code in} is used up or {@code out} is full. */
    public void encode(ByteBuffer in, ByteBuffer out) {
        if (pending != NONE) {
            if (!out.hasRemaining()) {
                return;
            }
            out.put((byte) pending);
            pending = NONE;
        }
        while (in.hasRemaining() && out.hasRemaining()) {
            byte b = in.get();
            if (b != LF && b != CR) {
                out.put(b);
                continue;
            }
            out.put(CR);
            byte second = b == LF ? LF : 0;
            if (out.hasRemaining()) {
                out.put(second);
            } else {
                pending = second;
            }
        }
    }

    /** True while half of an expansion is still to be written: the input is not yet fully converted. */
    public boolean hasPending() {
        return pending != NONE;
    }
}
