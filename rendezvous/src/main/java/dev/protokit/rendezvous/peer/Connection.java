package dev.protokit.rendezvous.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * An open connection to the other peer: the socket, the authenticated session on it, the
 * current path (which may move from relayed to direct while it runs) and how long connecting
 * took (from the introduction to agreed keys). Closing says nothing to the peer (call
 * {@link PeerSession#goodbye} first) and frees the relay allocation and the socket.
 */
public final class Connection implements AutoCloseable {
    private final PeerSocket socket;
    private final PeerSession session;
    private final PeerLink link;
    private final Duration connectTime;
    private final Optional<TurnClient> turn;
    private final Optional<Halt> upgrader;
    private final Optional<Birthday> birthday;

    Connection(PeerSocket socket, PeerSession session, PeerLink link, Duration connectTime,
               Optional<TurnClient> turn, Optional<Halt> upgrader, Optional<Birthday> birthday) {
        this.socket = socket;
        this.session = session;
        this.link = link;
        this.connectTime = connectTime;
        this.turn = turn;
        this.upgrader = upgrader;
        this.birthday = birthday;
    }

    /** The authenticated, reliable session. */
    public PeerSession session() {
        return session;
    }

    /** How the peers reach each other now. */
    public PathType path() {
        return link.path().type();
    }

    /** The other peer's address on the current path (its relayed address when relayed). */
    public InetSocketAddress peer() {
        return link.path().address();
    }

    /** From the introduction to agreed keys. */
    public Duration connectTime() {
        return connectTime;
    }

    @Override
    public void close() throws IOException {
        upgrader.ifPresent(Halt::halt);
        session.close();
        turn.ifPresent(TurnClient::close);
        birthday.ifPresent(Birthday::close); // the spray sockets still open: the winner, the ones reached
        socket.close();
    }
}
