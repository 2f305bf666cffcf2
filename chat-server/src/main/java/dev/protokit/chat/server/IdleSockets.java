package dev.protokit.chat.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread watching the non-blocking sockets of a listener, so that a connection
 * whose client is silent holds no thread: its session returns its virtual thread after
 * {@link WatchedSocket#park parking}, and this thread starts a new one when bytes arrive (or
 * the read timeout passes). It also wakes the virtual threads that wait for a socket to become
 * readable (a line half read) or writable (a send buffer full). It never reads, writes or
 * runs session code itself.
 *
 * <pre>
 *   session thread: nothing buffered -> park(resume, deadline) -> returns (no thread left)
 *   this thread:    OP_READ ready, or deadline passed -> Thread.ofVirtual().start(resume)
 * </pre>
 */
final class IdleSockets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleSockets.class);
    /** How often parked sockets are checked against their read deadlines. */
    private static final long SCAN_NANOS = Duration.ofMillis(250).toNanos();

    private final Selector selector;
    private final Thread thread;
    /** Parked sockets, for the deadline scan (the selector's key set is not safe to walk while others register). */
    private final Set<WatchedSocket> parked = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private IdleSockets(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = Thread.ofPlatform().name(name + "-idle").daemon(true).unstarted(this::loop);
    }

    /** Starts the selector thread, named {@code NAME-idle}. */
    static IdleSockets start(String name) {
        var sockets = new IdleSockets(name);
        sockets.thread.start();
        return sockets;
    }

    /** Makes {@code channel} non-blocking and watches it (with no interest yet). */
    WatchedSocket watch(SocketChannel channel, String threadName) throws IOException {
        channel.configureBlocking(false);
        var watched = new WatchedSocket(this, channel, threadName);
        watched.key(channel.register(selector, 0, watched));
        return watched;
    }

    /** Adds {@code op} to the key's interest and makes the selector see it now. */
    void interest(SelectionKey key, int op) {
        key.interestOpsOr(op);
        selector.wakeup();
    }

    void parked(WatchedSocket s) {
        parked.add(s);
    }

    void unparked(WatchedSocket s) {
        parked.remove(s);
    }

    /** Parked sockets now (tests). */
    int parkedCount() {
        return parked.size();
    }

    private void loop() {
        long nextScan = System.nanoTime() + SCAN_NANOS;
        while (!closed) {
            try {
                long wait = Math.max(1, (nextScan - System.nanoTime()) / 1_000_000);
                selector.select(this::ready, wait);
                long now = System.nanoTime();
                if (now - nextScan >= 0) {
                    for (WatchedSocket s : parked) {
                        s.deadlinePassed(now);
                    }
                    nextScan = now + SCAN_NANOS;
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("idle socket watcher: {}", e.toString());
                }
            }
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        key.interestOpsAnd(~ready); // level-triggered: each wait asks again
        var s = (WatchedSocket) key.attachment();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            s.writable();
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            s.readable();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException ignored) {
            // stopping
        }
    }
}
