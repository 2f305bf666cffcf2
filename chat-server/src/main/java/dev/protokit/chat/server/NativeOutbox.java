package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ClientSink;
import dev.protokit.chat.wire.ChatCodec;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.common.frame.FrameCodec;
import dev.protokit.common.frame.FrameLimits;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one native connection sends, in order: the session's own replies and the events other
 * clients' threads deliver. {@link #deliver} and {@link #send} render and encode on the caller's
 * thread and queue the frame; one virtual writer thread per connection drains the queue to the
 * socket, flushing when it runs dry. Nothing here waits for the network except that writer.
 *
 * <p>The queue is bounded in bytes (the send-queue limit shared with IRC): a client that stops
 * reading fills it, and the next frame over the limit cuts the connection ("SendQ exceeded")
 * instead of growing memory or stalling the sender, so one stuck client never slows a room.
 * Attachment bodies are streamed from disk by the writer and count only their header.
 */
final class NativeOutbox implements ClientSink {
    private static final FrameLimits LIMITS = new FrameLimits(FrameLimits.MAX_HEADER_BYTES_CEILING, Long.MAX_VALUE);

    private record Item(byte[] head, NativeAttachments.Entry file) {}

    private final Session session;
    private final NativeRender render;
    private final NativeAttachments attachments;
    private final long maxQueuedBytes;
    private final Clock clock;
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean closed;
    private volatile boolean sendQueueExceeded;
    private Thread writer;

    /**
     * @param out the connection's output ({@link NativeStreams#out()}); a cut client's plain socket
     *            is closed under it, so a TLS close_notify to a peer that stopped reading never blocks
     */
    NativeOutbox(Session session, OutputStream out, NativeRender render, NativeAttachments attachments, long maxQueuedBytes,
                 Clock clock) {
        this.session = session;
        this.out = out;
        this.render = render;
        this.attachments = attachments;
        this.maxQueuedBytes = maxQueuedBytes;
        this.clock = clock;
    }

    /** Starts the writer thread. */
    void start() {
        writer = Thread.ofVirtual().name("chat-native-out-" + session.id()).start(this::drain);
    }

    @Override
    public void deliver(ChatEvent event) {
        render.render(event, clock.instant()).ifPresent(this::send);
        if (event instanceof ChatEvent.Closing) {
            finish();
        }
    }

    /** Queues {@code message} (no body). */
    void send(ServerMessage message) {
        enqueue(new Item(FrameCodec.encodeHead(ChatCodec.encode(message), 0, LIMITS), null));
    }

    /** Queues a {@code file} reply; the writer streams the attachment's bytes after its header. */
    void sendFile(ServerMessage.File message, NativeAttachments.Entry entry) {
        enqueue(new Item(FrameCodec.encodeHead(ChatCodec.encode(message), message.attachment().size(), LIMITS), entry));
    }

    /** Whether the connection was cut for going over the send-queue limit (the quit reason members see). */
    boolean sendQueueExceeded() {
        return sendQueueExceeded;
    }

    /** Lets the writer send what is queued, then stop; the caller then closes the connection. */
    void finish() {
        lock.lock();
        try {
            closed = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits (bounded) for the writer to drain after {@link #finish()}. */
    void awaitDrained(java.time.Duration patience) {
        finish();
        try {
            if (writer != null && !writer.join(patience)) {
                writer.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Item item) {
        boolean overflow;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            overflow = queuedBytes + item.head().length > maxQueuedBytes;
            if (overflow) {
                closed = true;
                queue.clear();
            } else {
                queue.add(item);
                queuedBytes += item.head().length;
                ready.signal();
            }
        } finally {
            lock.unlock();
        }
        if (overflow) {
            // The client stopped reading: cut it rather than hold its backlog or block the sender.
            sendQueueExceeded = true;
            session.outcome(SessionOutcome.DISCONNECTED);
            session.detail("reason", "sendq_exceeded");
            try {
                session.socket().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void drain() {
        OutputStream out = new BufferedOutputStream(this.out, 16 * 1024);
        try {
            while (true) {
                Item item;
                boolean more;
                lock.lock();
                try {
                    while (queue.isEmpty() && !closed) {
                        ready.await();
                    }
                    item = queue.poll();
                    if (item == null) {
                        break;
                    }
                    queuedBytes -= item.head().length;
                    more = !queue.isEmpty();
                } finally {
                    lock.unlock();
                }
                out.write(item.head());
                if (item.file() != null) {
                    try (InputStream file = attachments.open(item.file())) {
                        long copied = file.transferTo(out);
                        if (copied != item.file().info().size()) {
                            throw new IOException("attachment " + item.file().info().id() + " changed size on disk");
                        }
                    }
                }
                if (!more) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            // The connection is gone or being closed; the reading side ends the session.
            lock.lock();
            try {
                closed = true;
                queue.clear();
            } finally {
                lock.unlock();
            }
        }
    }

}
