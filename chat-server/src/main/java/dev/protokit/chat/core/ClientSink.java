package dev.protokit.chat.core;

/**
 * Where the core delivers events for one connected client; each listener implements it for its
 * sessions. {@link #deliver} is called from other clients' threads and must never block on
 * the network: it queues the event (rendered or not) for the client's own writer and, when the
 * queue is over the client's send-queue limit, drops the client ("SendQ exceeded") instead of
 * waiting. A slow reader therefore costs memory up to its limit and never stalls a room.
 */
@FunctionalInterface
public interface ClientSink {

    /** Queues {@code event} for the client without blocking. */
    void deliver(ChatEvent event);
}
