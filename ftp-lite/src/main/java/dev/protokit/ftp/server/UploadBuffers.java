package dev.protokit.ftp.server;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The direct buffers plain uploads receive into: one {@value #SIZE}-byte buffer per running upload,
 * read into straight from the data {@code SocketChannel} and written from straight to the
 * {@code FileChannel}, so each byte is copied once by the kernel on the way in and once into the
 * page cache, never through the heap or the JDK's temporary direct buffers.
 *
 * <p>Memory: a session runs at most one transfer, so an uploading session holds one buffer, and
 * {@link #IDLE} of them stay pooled between uploads. Direct memory is reserved against the JVM's
 * limit ({@code -XX:MaxDirectMemorySize}, by default the heap size); when it is exhausted
 * {@link #take()} returns empty and that upload uses the slower stream path with a heap buffer.
 */
final class UploadBuffers {
    /** Bytes per buffer: large writes let the kernel start write-back early and keep syscalls few. */
    static final int SIZE = 1 << 20;
    /** Buffers kept for reuse when no upload needs them. */
    static final int IDLE = 8;

    private static final ArrayBlockingQueue<ByteBuffer> POOL = new ArrayBlockingQueue<>(IDLE);

    private UploadBuffers() {}

    /** A cleared buffer of {@link #SIZE} bytes, or empty if direct memory is exhausted. */
    static Optional<ByteBuffer> take() {
        ByteBuffer b = POOL.poll();
        if (b != null) {
            return Optional.of(b.clear());
        }
        try {
            return Optional.of(ByteBuffer.allocateDirect(SIZE));
        } catch (OutOfMemoryError e) {
            // "Cannot reserve direct buffer memory": a limit reached, not a broken heap
            return Optional.empty();
        }
    }

    /** Returns a buffer for reuse; beyond {@link #IDLE} pooled ones it is left to the collector. */
    static void give(ByteBuffer buffer) {
        POOL.offer(buffer);
    }
}
