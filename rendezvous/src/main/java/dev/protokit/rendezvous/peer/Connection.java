package dev.protokit.rendezvous.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An open connection to the other peer: the socket, the authenticated session on it, the
 * path the punching found and how long connecting took (from the introduction to agreed keys).
 * Closing says nothing to the peer (call {@link PeerSession#goodbye} first) and frees the socket.
 */
public record Connection(PeerSocket socket, PeerSession session, PathType path, InetSocketAddress peer,
                         Duration connectTime) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        session.close();
        socket.close();
    }
}
