package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The copy loop of a transfer, telling a failing network side (exit 3) from a failing local
 * side (exit 5), which a plain {@code transferTo} would blur into one IOException.
 */
final class Copy {
    private static final int BUFFER_BYTES = 256 * 1024;

    private Copy() {
    }

    /** Copies the data connection {@code in} to local {@code out}; closes {@code in}. */
    static long remoteToLocal(InputStream in, OutputStream out, Progress progress, Path local) {
        return copy(in, out, progress, true, local);
    }

    /** Copies local {@code in} to the data connection {@code out}; closes {@code out}. */
    static long localToRemote(InputStream in, OutputStream out, Progress progress, Path local) {
        return copy(in, out, progress, false, local);
    }

    private static long copy(InputStream in, OutputStream out, Progress progress, boolean download, Path local) {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        RuntimeException failure = null;
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw download ? lost(e) : FtpCliException.local("cannot read " + local + ": " + e.getMessage(), e);
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw download ? FtpCliException.local("cannot write " + local + ": " + e.getMessage(), e) : lost(e);
                }
                total += n;
                progress.advance(n);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            closeNetworkSide(download ? in : out, failure);
        }
        return total;
    }

    /** Closes the data connection; a close failure matters only if nothing failed before it. */
    private static void closeNetworkSide(java.io.Closeable network, RuntimeException earlier) {
        try {
            network.close();
        } catch (IOException e) {
            if (earlier == null) {
                throw lost(e);
            }
            earlier.addSuppressed(e);
        }
    }

    private static FtpCliException lost(IOException e) {
        return FtpCliException.connection("data connection failed: " + e.getMessage(), e);
    }
}
