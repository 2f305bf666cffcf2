package dev.protokit.rendezvous.peer;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the session's datagrams go now: nowhere until the punching chose a path (the session is
 * built early, so its J-PAKE round 1 is computed while the server is still waiting for the
 * other peer), then that path, which an upgrade from a
 * relayed to a direct path replaces while the session runs (the other peer accepts sealed
 * datagrams from any address, so the move needs no signalling).
 */
final class PeerLink implements Consumer<ByteBuffer> {
    private final PeerSocket socket;
    private volatile Puncher.Path path;

    /** A link with no path yet: datagrams are dropped until {@link #moveTo} gives one. */
    PeerLink(PeerSocket socket) {
        this.socket = socket;
    }

    Puncher.Path path() {
        return path;
    }

    void moveTo(Puncher.Path next) {
        this.path = Objects.requireNonNull(next, "next");
    }

    @Override
    public void accept(ByteBuffer datagram) {
        Puncher.Path now = path;
        if (now != null) {
            socket.send(datagram, now.address());
        }
    }
}
