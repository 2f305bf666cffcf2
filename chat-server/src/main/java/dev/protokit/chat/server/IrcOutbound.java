package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ClientSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An IRC client's outgoing side: a queue of encoded lines and the one writer thread that drains
 * it to the socket. {@link #deliver} (called by other clients' threads during fan-out) and
 * {@link #send} only append and wake the writer, never write, so a client that stops reading
 * can hold up nobody. When more than {@code maxQueued} bytes wait, the client is cut ("SendQ
 * exceeded"): the queue is dropped and the raw socket closed, which also unblocks the writer.
 */
final class IrcOutbound implements ClientSink {
    private static final int WRITE_CHUNK = 16 * 1024;
    /**
     * Write buffers are lent to a writer only while it drains, so an idle client holds none
     * (16 KiB each would be most of an idle client's memory); at most this many stay pooled.
     */
    private static final int POOLED_CHUNKS = 256;
    private static final ConcurrentLinkedQueue<byte[]> CHUNKS = new ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger POOLED = new java.util.concurrent.atomic.AtomicInteger();

    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final int maxQueued;
    private final OutputStream out;
    private final Socket raw;
    private final IrcSession session;
    private volatile Thread writer;
    private volatile boolean closed;
    private volatile boolean closeWhenDrained;
    private volatile String cutReason;

    IrcOutbound(IrcSession session, OutputStream out, Socket raw, int maxQueued) {
        this.session = session;
        this.out = out;
        this.raw = raw;
        this.maxQueued = maxQueued;
    }

    /** Starts the writer thread. */
    void start(String name) {
        writer = Thread.ofVirtual().name(name + "-writer").start(this::writeLoop);
    }

    @Override
    public void deliver(ChatEvent event) {
        if (closed) {
            return;
        }
        if (event instanceof ChatEvent.Closing c) {
            session.closingFromCore(c.reason());
            return;
        }
        for (byte[] line : session.render(event)) {
            enqueue(line);
        }
    }

    /** Queues lines the session itself answers with (replies, numerics). */
    void send(List<byte[]> lines) {
        for (byte[] line : lines) {
            enqueue(line);
        }
    }

    /** Queues one line. */
    void send(byte[] line) {
        enqueue(line);
    }

    private void enqueue(byte[] line) {
        if (closed) {
            return;
        }
        if (queuedBytes.addAndGet(line.length) > maxQueued) {
            cut("SendQ exceeded");
            return;
        }
        queue.add(line);
        if (parked.getAndSet(false)) {
            LockSupport.unpark(writer);
        }
    }

    /** Drops the client at once: the queue is discarded and the raw socket closed. Safe from any thread. */
    void cut(String reason) {
        if (cutReason == null) {
            cutReason = reason;
        }
        closed = true;
        queue.clear();
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing to drop the client
        }
        LockSupport.unpark(writer);
    }

    /** Sends what is queued, then closes the connection (after ERROR). */
    void closeAfterDrain() {
        closeWhenDrained = true;
        LockSupport.unpark(writer);
    }

    /**
     * Waits up to {@code limit} for the writer to send what is queued and close; a client that
     * does not read by then is cut. The session's thread calls this before it returns, since
     * the server closes the socket as soon as the session ends.
     */
    void awaitClosed(java.time.Duration limit) throws InterruptedException {
        closeAfterDrain();
        Thread w = writer;
        if (w != null && !w.join(limit)) {
            cut("SendQ exceeded");
            w.join(limit);
        }
    }

    /** Why the client was cut, if it was. */
    String cutReason() {
        return cutReason;
    }

    /** Bytes waiting now. */
    long queued() {
        return queuedBytes.get();
    }

    private static byte[] borrow() {
        byte[] b = CHUNKS.poll();
        if (b == null) {
            return new byte[WRITE_CHUNK];
        }
        POOLED.decrementAndGet();
        return b;
    }

    private static void giveBack(byte[] b) {
        if (b != null && POOLED.incrementAndGet() <= POOLED_CHUNKS) {
            CHUNKS.offer(b);
        } else if (b != null) {
            POOLED.decrementAndGet();
        }
    }

    private void writeLoop() {
        byte[] chunk = null;
        try {
            while (!closed) {
                if (chunk == null) {
                    // Woken by a producer: let the fan-out that woke us queue more lines first,
                    // so one write carries several (fewer system calls and packets under load).
                    Thread.yield();
                    chunk = borrow();
                }
                int n = 0;
                for (byte[] line; (line = queue.peek()) != null; ) {
                    if (n + line.length > chunk.length) {
                        if (n == 0) {
                            queue.poll();
                            out.write(line);
                            queuedBytes.addAndGet(-line.length);
                            continue;
                        }
                        break;
                    }
                    queue.poll();
                    System.arraycopy(line, 0, chunk, n, line.length);
                    n += line.length;
                }
                if (n > 0) {
                    out.write(chunk, 0, n);
                    queuedBytes.addAndGet(-n);
                    continue;
                }
                out.flush();
                if (closeWhenDrained) {
                    // FIN after the last line (ERROR), so the peer reads it before the close;
                    // a close with unread input would send RST and the peer could lose it.
                    raw.shutdownOutput();
                    break;
                }
                parked.set(true);
                if (!queue.isEmpty() || closed || closeWhenDrained) {
                    parked.set(false);
                    continue;
                }
                giveBack(chunk);
                chunk = null;
                LockSupport.park(this);
                parked.set(false);
            }
        } catch (IOException e) {
            // the peer went away or the socket was cut; the reader sees it too
        } finally {
            giveBack(chunk);
            closed = true;
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing at the end of the session
            }
        }
    }
}
