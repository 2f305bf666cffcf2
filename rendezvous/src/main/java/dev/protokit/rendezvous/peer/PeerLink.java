package dev.protokit.rendezvous.peer;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the session's datagrams go now: the path the punching chose, which an upgrade from a
 * relayed to a direct path replaces while the session runs (the other peer accepts sealed
 * datagrams from any address, so the move needs no signalling).
 */
final class PeerLink implements Consumer<ByteBuffer> {
    private final PeerSocket socket;
    private volatile Puncher.Path path;

    PeerLink(PeerSocket socket, Puncher.Path path) {
        this.socket = socket;
        this.path = Objects.requireNonNull(path, "path");
    }

    Puncher.Path path() {
        return path;
    }

    void moveTo(Puncher.Path next) {
        this.path = Objects.requireNonNull(next, "next");
    }

    @Override
    public void accept(ByteBuffer datagram) {
        socket.send(datagram, path.address());
    }
}
