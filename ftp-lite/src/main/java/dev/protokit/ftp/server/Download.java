package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.AsciiTranslator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * RETR: sends a file from an offset (REST). Binary over a plain connection uses
 * {@link FileChannel#transferTo} to the socket channel (sendfile, no copy through the heap); TLS
 * and TYPE A go through a large buffer. Chunks are bounded so the stall watchdog sees progress
 * and a rate limit stays smooth.
 *
 * <p>sendfile is a native call the JDK does not make virtual-thread friendly: on a blocking
 * socket it holds the carrier thread until the peer reads, so a few clients that never read
 * would stop every session. The socket is therefore non-blocking while sendfile runs; when it
 * is full (sendfile moved nothing) one {@value #PARK_CHUNK}-byte piece goes through an ordinary
 * blocking channel write, which parks the virtual thread until the peer makes room.
 */
final class Download implements Transfer.Body {
    private static final int ZERO_COPY_CHUNK = 1 << 20;
    private static final int BUFFER = 256 * 1024;
    private static final int PARK_CHUNK = 64 * 1024;

    private final FileChannel file;
    private final long offset;
    private final boolean ascii;
    private final Optional<TokenBucket> bucket;

    /** Sends {@code file} (already opened, confined, by the RETR command), which the download now owns. */
    Download(FileChannel file, long offset, boolean ascii, Optional<TokenBucket> bucket) {
        this.file = file;
        this.offset = offset;
        this.ascii = ascii;
        this.bucket = bucket;
    }

    @Override
    public long run(DataConnection data, Transfer transfer) throws IOException {
        try (FileChannel in = file) {
            Optional<SocketChannel> channel = data.channel();
            if (!ascii && channel.isPresent()) {
                return zeroCopy(in, channel.get(), transfer);
            }
            return buffered(in, data.out(), transfer);
        }
    }

    private long zeroCopy(FileChannel in, SocketChannel out, Transfer transfer) throws IOException {
        long position = offset;
        long size = in.size();
        int chunk = bucket.map(TokenBucket::chunk).orElse(ZERO_COPY_CHUNK);
        ByteBuffer park = null;
        out.configureBlocking(false);
        try {
            while (position < size) {
                long want = Math.min(chunk, size - position);
                bucket.ifPresent(b -> b.take(want));
                long n = in.transferTo(position, want, out);
                if (n == 0) {
                    if (transfer.aborted() || !out.isOpen()) {
                        throw new IOException("aborted");
                    }
                    park = park != null ? park : ByteBuffer.allocateDirect(PARK_CHUNK);
                    n = parkingWrite(in, position, Math.min(want, PARK_CHUNK), out, park);
                }
                position += n;
                transfer.progress(n);
            }
        } finally {
            if (out.isOpen()) {
                out.configureBlocking(true);
            }
        }
        return position - offset;
    }

    /**
     * Writes {@code length} bytes from {@code position} with a blocking channel write: on a
     * virtual thread that parks until the socket is writable instead of holding the carrier.
     */
    private static long parkingWrite(FileChannel in, long position, long length, SocketChannel out, ByteBuffer buffer)
            throws IOException {
        buffer.clear().limit((int) length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("file shrank during the download");
            }
        }
        buffer.flip();
        out.configureBlocking(true);
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } finally {
            out.configureBlocking(false);
        }
        return length;
    }

    private long buffered(FileChannel in, OutputStream out, Transfer transfer) throws IOException {
        AsciiTranslator translator = AsciiTranslator.toNetwork();
        int size = bucket.map(TokenBucket::chunk).orElse(BUFFER);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        byte[] converted = ascii ? new byte[AsciiTranslator.maxOutput(size)] : new byte[0];
        long position = offset;
        long sent = 0;
        while (true) {
            buffer.clear();
            int n = in.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
            bucket.ifPresent(b -> b.take(n));
            if (ascii) {
                int m = translator.translate(buffer.array(), 0, n, converted);
                out.write(converted, 0, m);
                sent += m;
            } else {
                out.write(buffer.array(), 0, n);
                sent += n;
            }
            transfer.progress(n);
        }
        out.flush();
        return sent;
    }

    /** Closes the file if the transfer never ran (the data connection failed first). */
    @Override
    public void cleanup() {
        close(file);
    }

    static void close(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // a read-only descriptor: nothing was lost
        }
    }
}
