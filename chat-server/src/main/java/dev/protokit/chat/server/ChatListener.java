package dev.protokit.chat.server;

import java.time.Duration;

/**
 * One protocol's front door on the chat core (IRC, IRC over TLS, the native protocol), running
 * on common's {@code TcpServer}. {@link ChatServer} starts them from {@link Factory}s and stops
 * them together.
 */
public interface ChatListener {

    /** The protocol's name in logs ("irc", "ircs", "native"). */
    String name();

    /** The bound port (the real one when 0 was asked for). */
    int port();

    /** Clients connected through this listener now. */
    int activeSessions();

    /** Tells clients the server is going away, stops accepting, drains for {@code grace}, then closes. */
    void shutdown(Duration grace);

    /** Starts a listener against a running server's context. */
    @FunctionalInterface
    interface Factory {
        ChatListener start(ChatServerContext context);
    }
}
