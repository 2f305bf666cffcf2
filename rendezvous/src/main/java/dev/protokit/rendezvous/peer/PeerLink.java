package dev.protokit.rendezvous.peer;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the session's datagrams go now: nowhere until the punching chose a path (the session is
 * built early, so its J-PAKE round 1 is computed while the server is still waiting for the
 * other peer), then that path, which an upgrade from a
 * relayed to a direct path replaces while the session runs (the other peer accepts sealed
 * datagrams from any address, so the move needs no signalling). Each path names the socket it
 * leaves from: the peer's one socket, or the spray socket the birthday technique opened.
 */
final class PeerLink implements Consumer<ByteBuffer> {
    private volatile Puncher.Path path;

    /** A link with no path yet: datagrams are dropped until {@link #moveTo} gives one. */
    PeerLink() {
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
            now.via().send(datagram, now.address());
        }
    }
}
