package dev.protokit.ftp.wire;

/**
 * TYPE A line-end translation (RFC 959 section 3.1.1.1): the network form ends lines with CRLF,
 * this server's files with LF. Streaming: feed chunks in order; state carries across chunk
 * boundaries, so a CRLF split between two chunks is handled. One instance per transfer.
 */
public final class AsciiTranslator {
    private final boolean toNetwork;
    private boolean lastWasCr;

    private AsciiTranslator(boolean toNetwork) {
        this.toNetwork = toNetwork;
    }

    /** For RETR: LF becomes CRLF, an existing CRLF is left alone. */
    public static AsciiTranslator toNetwork() {
        return new AsciiTranslator(true);
    }

    /** For STOR: CRLF becomes LF, a CR not followed by LF is kept. */
    public static AsciiTranslator fromNetwork() {
        return new AsciiTranslator(false);
    }

    /** The most output bytes {@link #translate} can produce from {@code length} input bytes. */
    public static int maxOutput(int length) {
        return 2 * length + 1;
    }

    /**
     * Translates {@code in[off, off+len)} into {@code out} from index 0 and returns how many
     * bytes were written; {@code out} must hold {@link #maxOutput(int) maxOutput(len)} bytes.
     */
    public int translate(byte[] in, int off, int len, byte[] out) {
        return toNetwork ? lfToCrlf(in, off, len, out) : crlfToLf(in, off, len, out);
    }

    /** Bytes held back at the end of the input (a final CR in STOR), to write when the input ends. */
    public int finish(byte[] out) {
        if (!toNetwork && lastWasCr) {
            lastWasCr = false;
            out[0] = '\r';
            return 1;
        }
        return 0;
    }

    private int lfToCrlf(byte[] in, int off, int len, byte[] out) {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            byte b = in[i];
            if (b == '\n' && !lastWasCr) {
                out[n++] = '\r';
            }
            out[n++] = b;
            lastWasCr = b == '\r';
        }
        return n;
    }

    private int crlfToLf(byte[] in, int off, int len, byte[] out) {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            byte b = in[i];
            if (lastWasCr && b != '\n') {
                out[n++] = '\r';
            }
            lastWasCr = b == '\r';
            if (!lastWasCr) {
                out[n++] = b;
            }
        }
        return n;
    }
}
