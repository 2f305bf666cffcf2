package dev.protokit.ftp.server;

import dev.protokit.common.daemon.Session;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Counts the bytes of a TLS control connection for the session-end log line. An SSLSocket reads
 * and writes the TCP socket directly, past {@link Session#in()} and {@link Session#out()}, so the
 * plaintext is counted here and reported with {@link Session#countBytes}.
 */
final class CountingStreams {
    private CountingStreams() {}

    static InputStream in(InputStream in, Session session) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    session.countBytes(1, 0);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    session.countBytes(n, 0);
                }
                return n;
            }
        };
    }

    static OutputStream out(OutputStream out, Session session) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                session.countBytes(0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                session.countBytes(0, length);
            }
        };
    }
}
