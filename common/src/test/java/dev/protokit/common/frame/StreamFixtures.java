package dev.protokit.common.frame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.Random;

/** Streams and measurements shared by the frame and line tests. */
final class StreamFixtures {
    private StreamFixtures() {
    }

    /** Bytes from annotated hex: whitespace separates, anything after '#' on a line is a comment. */
    static byte[] hex(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int hash = line.indexOf('#');
            digits.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(digits);
    }

    /** Bytes of ASCII text. */
    static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A stream over {@code bytes} whose reads return at most {@code chunk} bytes each. */
    static InputStream chunked(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    /** A stream over {@code bytes} that fails the test if anyone reads past them. */
    static InputStream tripwire(byte[] bytes) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == bytes.length) {
                    throw new AssertionError("read past byte " + pos);
                }
                return bytes[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pos == bytes.length) {
                    throw new AssertionError("read past byte " + pos);
                }
                int n = Math.min(len, bytes.length - pos);
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /**
     * A repeating pseudo-random pattern of prime length, so its phase never lines up with
     * buffer sizes; {@link #doubled} holds two copies so any window up to {@link #period} long
     * starting at {@code position % period} is contiguous.
     */
    static final class Pattern {
        static final int PERIOD = 65_521;
        final byte[] doubled = new byte[2 * PERIOD];

        Pattern(long seed) {
            byte[] once = new byte[PERIOD];
            new Random(seed).nextBytes(once);
            System.arraycopy(once, 0, doubled, 0, PERIOD);
            System.arraycopy(once, 0, doubled, PERIOD, PERIOD);
        }

        /** An endless stream of the pattern up to {@code length} bytes, without allocating per read. */
        InputStream stream(long length) {
            return new InputStream() {
                private long position;

                @Override
                public int read() {
                    return position == length ? -1 : doubled[(int) (position++ % PERIOD)] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (position == length) {
                        return -1;
                    }
                    int n = (int) Math.min(Math.min(len, PERIOD), length - position);
                    System.arraycopy(doubled, (int) (position % PERIOD), b, off, n);
                    position += n;
                    return n;
                }
            };
        }

        /** True if {@code b[0..n)} equals the pattern at {@code position}; n must be at most PERIOD. */
        boolean matches(long position, byte[] b, int n) {
            int phase = (int) (position % PERIOD);
            return java.util.Arrays.equals(b, 0, n, doubled, phase, phase + n);
        }
    }

    /** Bytes the current (platform) thread has allocated so far, from HotSpot's counter. */
    static long allocatedByThisThread() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = bean.getCurrentThreadAllocatedBytes();
        if (bytes < 0) {
            throw new IllegalStateException("thread allocation accounting unavailable");
        }
        return bytes;
    }
}
