package dev.protokit.chat.server;

import dev.protokit.common.daemon.Addresses;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The one log line a WebSocket IRC session ends with, shaped like common's TCP session lines
 * ({@code session end id=... peer=... duration=... in=... out=... outcome=...}): bytes are
 * message payloads, details are what the IRC session adds (account, quit reason).
 */
final class WebSocketLog {
    private final String id;
    private final InetSocketAddress peer;
    private final long startNanos = System.nanoTime();
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final Map<String, Object> details = new LinkedHashMap<>();

    WebSocketLog(String id, InetSocketAddress peer) {
        this.id = id;
        this.peer = peer;
    }

    void received(long bytes) {
        in.addAndGet(bytes);
    }

    void sent(long bytes) {
        out.addAndGet(bytes);
    }

    /** Adds {@code key=value}; never a secret. */
    void detail(String key, Object value) {
        synchronized (details) {
            details.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        }
    }

    /** Writes the session-end line to {@code log}. */
    void end(Logger log) {
        var line = new StringBuilder("session end id=").append(id)
                .append(" peer=").append(Addresses.format(peer))
                .append(" duration=").append((System.nanoTime() - startNanos) / 1_000_000).append("ms")
                .append(" in=").append(in.get())
                .append(" out=").append(out.get());
        synchronized (details) {
            details.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        }
        log.info("{}", line);
    }
}
