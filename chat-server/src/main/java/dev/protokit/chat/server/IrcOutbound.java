package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.Inbox;
import dev.protokit.chat.core.LogReader;
import dev.protokit.chat.core.TopicLog;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;

/**
 * An IRC client's outgoing side: an {@link Inbox} (the session's own lines, direct events, and
 * the logs of the client's rooms, merged in order) and at most one writer draining it to the
 * socket. {@link #deliver} (other clients' threads) and {@link #send} only append, and a
 * room's fan-out only appends to the room's log and calls {@link #due} once per wake-up
 * window; none of them writes, so a client that stops reading can hold up nobody. When more
 * than {@code maxQueued} bytes wait (its own lines, plus the room lines it has not read yet,
 * counted at their plain rendering's size), the client is cut ("SendQ exceeded"): the raw
 * socket is closed, which also unblocks the writer.
 *
 * <p>The writer is a virtual thread started when something waits and ending when nothing
 * does, so an idle client holds no writer thread, stack or buffer (thousands of idle clients
 * are the common case). The session's own replies start it at once; fanned-out lines start it
 * through {@link FanoutWakeups}, a moment later, so one write carries every line queued by then.
 * {@code draining} says a writer exists: set by whoever starts one, cleared by the writer when
 * it finds nothing pending, which then looks again, so a line added meanwhile is never stranded.
 */
final class IrcOutbound implements LogReader, IntSupplier {
    private static final int WRITE_CHUNK = 16 * 1024;
    /**
     * Write buffers are lent to a writer only while it drains, so an idle client holds none
     * (16 KiB each would be most of an idle client's memory); at most this many stay pooled.
     */
    private static final int POOLED_CHUNKS = 256;
    private static final ConcurrentLinkedQueue<byte[]> CHUNKS = new ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger POOLED = new java.util.concurrent.atomic.AtomicInteger();
    /** The last item of a connection that closes: the writer sends what precedes it, then FIN. */
    private static final Object CLOSE = new Object();

    private final Inbox inbox = new Inbox(this);
    // The state every wake-up touches lives in this object's own fields (VarHandles, not
    // Atomic* objects), one object per member.
    private static final VarHandle QUEUED;
    private static final VarHandle DRAINING;
    private static final VarHandle WAKE_QUEUED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            QUEUED = l.findVarHandle(IrcOutbound.class, "queuedBytes", long.class);
            DRAINING = l.findVarHandle(IrcOutbound.class, "draining", boolean.class);
            WAKE_QUEUED = l.findVarHandle(IrcOutbound.class, "wakeQueued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bytes of the session's own and directly delivered lines not written yet. */
    private volatile long queuedBytes;
    /** Whether a writer thread is running (or about to): at most one at a time. */
    private volatile boolean draining;
    /** The recipient's capability set for rendering (IrcSession sets it when CAP changes). */
    private volatile IrcRenderer.Profile profile = IrcRenderer.Profile.NONE;
    private final IrcRenderer renderer;
    /** Counted down once the output is finished: shut down after the last line, or cut. */
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    /** Whether a fan-out wake-up is queued with {@link FanoutWakeups} and not yet done. */
    private volatile boolean wakeQueued;
    private final int maxQueued;
    private final OutputStream out;
    private final IrcConnection raw;
    private final IrcSession session;
    private volatile String writerName = "chat-irc-writer";
    private volatile boolean closed;
    private volatile String cutReason;

    IrcOutbound(IrcSession session, OutputStream out, IrcConnection raw, int maxQueued) {
        this.session = session;
        this.renderer = session.renderer;
        this.out = out;
        this.raw = raw;
        this.maxQueued = maxQueued;
    }

    /** Renders fanned-out events for {@code p} from now on (CAP REQ). */
    void profile(IrcRenderer.Profile p) {
        profile = p;
    }

    /** Names the writer threads after the session's ({@code NAME-writer}); they start when there is something to write. */
    void start(String name) {
        writerName = name + "-writer";
    }

    @Override
    public Inbox inbox() {
        return inbox;
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
        List<byte[]> lines = renderer.render(event, profile);
        for (int i = 0, n = lines.size(); i < n; i++) {
            if (!add(lines.get(i))) {
                return;
            }
        }
        // Other clients' threads: the writer is woken a moment later with whatever has queued by then.
        if (!draining && !(boolean) WAKE_QUEUED.getAndSet(this, true)) {
            FanoutWakeups.shared().schedule(this);
        }
    }

    /** On the fan-out's wake-up thread: room lines were logged for this client. */
    @Override
    public void due() {
        if (closed) {
            return;
        }
        if (queuedBytes + inbox.lag() > maxQueued) {
            cut("SendQ exceeded");
            return;
        }
        if (!draining && inbox.pending()) {
            startWriter();
        }
    }

    /** On the waker thread: the batched start of a writer for directly delivered lines. */
    @Override
    public int getAsInt() {
        wakeQueued = false;
        startWriter();
        return 1;
    }

    /** Starts a writer unless one runs. */
    private void startWriter() {
        if (!(boolean) DRAINING.getAndSet(this, true)) {
            Thread.ofVirtual().name(writerName).start(this::drain);
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

    /** Queues one of the session's own lines and starts the writer at once. */
    private void enqueue(byte[] line) {
        if (add(line)) {
            startWriter();
        }
    }

    /** Queues {@code line} without waking the writer; false (and the client cut) over the send-queue limit. */
    private boolean add(byte[] line) {
        if (closed) {
            return false;
        }
        if ((long) QUEUED.getAndAdd(this, (long) line.length) + line.length + inbox.lag() > maxQueued) {
            cut("SendQ exceeded");
            return false;
        }
        inbox.add(line);
        return true;
    }

    /** Drops the client at once: the raw socket is closed (what waits is dropped with the session). Safe from any thread. */
    void cut(String reason) {
        if (cutReason == null) {
            cutReason = reason;
        }
        closed = true;
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing to drop the client
        }
        if (!(boolean) DRAINING.getAndSet(this, true)) {
            finished.countDown(); // no writer to notice: the output is over now
        }
    }

    /** Sends what is queued, then closes the connection (after ERROR); room lines logged meanwhile are not sent. */
    void closeAfterDrain() {
        inbox.addNow(CLOSE);
        startWriter();
    }

    /**
     * Waits up to {@code limit} for the writer to send what is queued and close; a client that
     * does not read by then is cut. The session's thread calls this before it returns, since
     * the server closes the socket as soon as the session ends.
     */
    void awaitClosed(java.time.Duration limit) throws InterruptedException {
        closeAfterDrain();
        if (!finished.await(limit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
            cut("SendQ exceeded");
            finished.await(limit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Why the client was cut, if it was. */
    String cutReason() {
        return cutReason;
    }

    /** Bytes waiting now: the client's own lines and the room lines it has not read. */
    long queued() {
        return queuedBytes + inbox.lag();
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

    /**
     * The writer: sends what the inbox holds in chunks (a room line is copied from the room's
     * log, rendered once per capability set for every member), flushes, and ends when nothing
     * is pending (after a last look, see the class comment), or closes the output after the
     * last line when asked to ({@code ERROR}), or when the socket fails or the client is cut.
     */
    private void drain() {
        byte[] chunk = borrow();
        boolean over = false;
        try {
            while (!closed) {
                int n = 0;
                long own = 0;
                boolean last = false;
                for (Object next; (next = inbox.peek()) != null; ) {
                    if (next == CLOSE) {
                        last = true;
                        break;
                    }
                    boolean direct = next instanceof byte[];
                    List<byte[]> lines;
                    try {
                        lines = direct ? List.of((byte[]) next) : renderer.render((TopicLog.Entry) next, profile);
                    } catch (RuntimeException e) {
                        // An event that cannot be rendered for this set must not stop the writer.
                        inbox.take();
                        continue;
                    }
                    int size = 0;
                    for (int i = 0, k = lines.size(); i < k; i++) {
                        size += lines.get(i).length;
                    }
                    if (n + size > chunk.length) {
                        if (n > 0) {
                            break;
                        }
                        for (int i = 0, k = lines.size(); i < k; i++) {
                            out.write(lines.get(i)); // longer than a chunk: written as it is
                        }
                        inbox.take();
                        if (direct) {
                            QUEUED.getAndAdd(this, (long) -size);
                        }
                        continue;
                    }
                    for (int i = 0, k = lines.size(); i < k; i++) {
                        byte[] line = lines.get(i);
                        System.arraycopy(line, 0, chunk, n, line.length);
                        n += line.length;
                    }
                    if (direct) {
                        own += size;
                    }
                    inbox.take();
                }
                if (n > 0) {
                    out.write(chunk, 0, n);
                    if (own > 0) {
                        QUEUED.getAndAdd(this, -own);
                    }
                    continue;
                }
                out.flush();
                if (last) {
                    // FIN after the last line (ERROR), so the peer reads it before the close;
                    // a close with unread input would send RST and the peer could lose it.
                    raw.shutdownOutput();
                    break;
                }
                draining = false;
                if ((!inbox.pending() && !closed) || !DRAINING.compareAndSet(this, false, true)) {
                    return; // idle, or another writer took over the new lines
                }
            }
            over = true;
        } catch (IOException e) {
            // the peer went away or the socket was cut; the reader sees it too
            over = true;
        } finally {
            giveBack(chunk);
            if (over) {
                closed = true;
                try {
                    raw.close();
                } catch (IOException ignored) {
                    // closing at the end of the session
                }
                finished.countDown();
            }
        }
    }
}
