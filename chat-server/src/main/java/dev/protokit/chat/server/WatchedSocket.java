package dev.protokit.chat.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A non-blocking socket channel watched by {@link IdleSockets}, seen by its session as
 * blocking streams with a read timeout: a read or write that cannot proceed parks the virtual
 * thread until the selector says the socket is ready (or the timeout passes). Between lines a
 * silent client's session {@link #park parks} the whole connection instead: no thread waits,
 * and the selector starts {@code resume} on a new virtual thread when bytes arrive or the
 * deadline passes. One reader thread and one writer thread at a time (the session's rule).
 */
final class WatchedSocket {
    private static final VarHandle RESUME;

    static {
        try {
            RESUME = MethodHandles.lookup().findVarHandle(WatchedSocket.class, "resume", Resumption.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a parked connection runs when it wakes: {@code timedOut} if its deadline passed first. */
    @FunctionalInterface
    interface Resumption {
        void resume(boolean timedOut);
    }

    private final IdleSockets sockets;
    private final SocketChannel channel;
    private final String threadName;
    private SelectionKey key;
    /** Set while parked; taken (once) by whoever wakes the connection. */
    private volatile Resumption resume;
    private volatile long deadline;
    private volatile Thread reader;
    private volatile Thread writer;
    private volatile Duration readTimeout = Duration.ZERO;
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    WatchedSocket(IdleSockets sockets, SocketChannel channel, String threadName) {
        this.sockets = sockets;
        this.channel = channel;
        this.threadName = threadName;
    }

    void key(SelectionKey k) {
        key = k;
    }

    /** Reads wait at most this long, then throw {@link SocketTimeoutException}; also the parked deadline. */
    void readTimeout(Duration timeout) {
        readTimeout = timeout;
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    /** Bytes readable now without waiting. */
    int available() throws IOException {
        return channel.socket().getInputStream().available();
    }

    /**
     * Lets the connection wait without a thread: {@code then} runs on a new virtual thread when
     * bytes (or the end of the stream) arrive, or with {@code timedOut} once the read timeout
     * passes. The caller's thread must not touch the connection afterwards.
     */
    void park(Resumption then) {
        deadline = System.nanoTime() + readTimeout.toNanos();
        resume = then;
        sockets.parked(this);
        try {
            sockets.interest(key, SelectionKey.OP_READ);
        } catch (CancelledKeyException e) {
            wake(false); // closed meanwhile: the session finds out by reading
        }
    }

    /** On the selector thread: bytes to read, for a waiting reader or a parked connection. */
    void readable() {
        LockSupport.unpark(reader);
        wake(false);
    }

    void writable() {
        LockSupport.unpark(writer);
    }

    /** On the selector thread's scan: a parked connection whose deadline passed wakes timed out. */
    void deadlinePassed(long now) {
        if (now - deadline >= 0) {
            wake(true);
        }
    }

    private void wake(boolean timedOut) {
        var r = (Resumption) RESUME.getAndSet(this, null);
        if (r != null) {
            sockets.unparked(this);
            Thread.ofVirtual().name(threadName).start(() -> r.resume(timedOut));
        }
    }

    /**
     * The socket was closed (by us, or by the server: a deadline or shutdown): threads waiting
     * on it wake and fail, a parked connection wakes to find out. Safe from any thread, twice.
     */
    void closed() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        LockSupport.unpark(reader);
        LockSupport.unpark(writer);
        wake(false);
    }

    /** Parks the calling thread until {@code op} is ready, the channel closes or {@code until} (nanoTime, unless forever) passes. */
    private void await(int op, boolean forever, long until) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        try {
            sockets.interest(key, op);
        } catch (CancelledKeyException e) {
            throw new ClosedChannelException();
        }
        if (forever) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, until - System.nanoTime());
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            long timeout = readTimeout.toNanos();
            boolean forever = timeout == 0;
            long until = System.nanoTime() + timeout;
            reader = Thread.currentThread();
            try {
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0) {
                        return n;
                    }
                    if (!forever && System.nanoTime() - until >= 0) {
                        throw new SocketTimeoutException("read timed out");
                    }
                    await(SelectionKey.OP_READ, forever, until);
                }
            } finally {
                reader = null;
            }
        }

        @Override
        public int available() throws IOException {
            return WatchedSocket.this.available();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            writer = Thread.currentThread();
            try {
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        await(SelectionKey.OP_WRITE, true, 0);
                    }
                }
            } finally {
                writer = null;
            }
        }
    }
}
