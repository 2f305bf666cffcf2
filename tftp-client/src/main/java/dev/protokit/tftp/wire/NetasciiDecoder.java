package dev.protokit.tftp.wire;

import java.nio.ByteBuffer;

/**
 * Converts netascii to local text (lines ending in LF): CR LF becomes LF and CR NUL becomes CR.
 * Streaming: a CR that ends one block is held until the next block shows what follows it. A CR
 * followed by anything else is kept as is (lenient, like tftp-hpa), and a bare LF stays LF.
 * One instance per transfer; call {@link #finish} after the last block.
 */
public final class NetasciiDecoder {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private boolean pendingCr;

    /**
     * Converts all of {@code in} into {@code out}, which needs room for {@code in.remaining() + 1}
     * bytes (a held CR may be released).
     */
    public void decode(ByteBuffer in, ByteBuffer out) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (pendingCr) {
                pendingCr = false;
                if (b == LF) {
                    out.put(LF);
                } else if (b == 0) {
                    out.put(CR);
                } else {
                    out.put(CR);
                    if (b == CR) {
                        pendingCr = true;
                    } else {
                        out.put(b);
                    }
                }
            } else if (b == CR) {
                pendingCr = true;
            } else {
                out.put(b);
            }
        }
    }

    /** Releases a CR held back at the very end of the data; needs room for one byte. */
    public void finish(ByteBuffer out) {
        if (pendingCr) {
            out.put(CR);
            pendingCr = false;
        }
    }
}
