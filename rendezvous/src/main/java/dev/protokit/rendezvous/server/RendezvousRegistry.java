package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.AddressLimiter.Permit;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.ErrorCode;
import dev.protokit.rendezvous.wire.RendezvousMessage;
import dev.protokit.rendezvous.wire.RendezvousMessage.*;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The rendezvous sessions: who registered under which number, from where, with which local
 * candidates, and whether each proved its address (echoed its probe, which also measures the
 * round trip). Decides what to send for each message and sends nothing itself: the caller puts
 * each {@link Outgoing} on the wire. Direct answers go to the request's source only; INTRODUCE
 * goes only to peers that proved their address. One lock guards the map; nothing blocks under it.
 */
final class RendezvousRegistry {
    /** A message to send from {@code local} to {@code to}. */
    record Outgoing(InetSocketAddress local, InetSocketAddress to, RendezvousMessage message) {}

    /** Mints relay credentials for one peer of a session. */
    @FunctionalInterface
    interface RelayMinter {
        Optional<RelayOffer> offer(long session, long peerId);
    }

    private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    private static final class Peer {
        final long id;
        final Permit permit;
        InetSocketAddress observed;
        InetSocketAddress local;
        List<Candidate> hosts;
        long expires;
        long rtt = -1;
        long lastTx;

        Peer(long id, Permit permit) {
            this.id = id;
            this.permit = permit;
        }
    }

    private static final class Session {
        final List<Peer> peers = new ArrayList<>(2);
        boolean introduced;
    }

    private final RendezvousPolicy policy;
    private final ProbeSigner signer = new ProbeSigner();
    private final RelayMinter relay;
    private final LongSupplier nanos;
    private final AddressLimiter limiter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Session> sessions = new HashMap<>();
    private long nextSweep;

    RendezvousRegistry(RendezvousPolicy policy, RelayMinter relay, LongSupplier nanos) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.relay = Objects.requireNonNull(relay, "relay");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.limiter = new AddressLimiter(new ConnectionLimits(policy.maxRegistrations(), policy.maxPerSource()));
    }

    /** What to send in answer to {@code message} from {@code from}, received on {@code local}. */
    List<Outgoing> handle(InetSocketAddress from, InetSocketAddress local, RendezvousMessage message) {
        lock.lock();
        try {
            long now = nanos.getAsLong();
            if (now - nextSweep >= 0) {
                sweep(now);
                nextSweep = now + SWEEP_EVERY.toNanos();
            }
            return switch (message) {
                case Register r -> register(from, local, r, now);
                case ProbeEcho e -> echo(from, local, e, now);
                case Keepalive k -> keepalive(from, local, k, now);
                case Leave l -> leave(from, l);
                case Registered r -> List.of();
                case Introduce i -> List.of();
                case ErrorMessage e -> List.of();
            };
        } finally {
            lock.unlock();
        }
    }

    /** Registrations held now. */
    int registrations() {
        return limiter.active();
    }

    private List<Outgoing> register(InetSocketAddress from, InetSocketAddress local, Register r, long now) {
        Session s = sessions.get(r.session());
        Peer p = s == null ? null : find(s, r.peerId());
        if (p == null) {
            if (s != null && s.peers.size() >= 2) {
                return error(from, local, r.transactionId(), ErrorCode.SESSION_FULL, "session full");
            }
            Optional<Permit> permit = limiter.tryAcquire(from.getAddress());
            if (permit.isEmpty()) {
                return error(from, local, r.transactionId(), ErrorCode.TOO_MANY_REGISTRATIONS, "too many registrations");
            }
            p = new Peer(r.peerId(), permit.get());
            if (s == null) {
                s = new Session();
                sessions.put(r.session(), s);
            }
            s.peers.add(p);
        }
        if (!from.equals(p.observed)) {
            p.rtt = -1; // a new address must prove itself again
        }
        p.observed = from;
        p.local = local;
        p.hosts = r.candidates();
        p.expires = now + policy.lifetime().toNanos();
        p.lastTx = r.transactionId();
        return List.of(registered(from, local, r.transactionId(), r.session(), r.peerId(), now));
    }

    private List<Outgoing> echo(InetSocketAddress from, InetSocketAddress local, ProbeEcho e, long now) {
        Session s = sessions.get(e.session());
        Peer p = s == null ? null : find(s, e.peerId());
        if (p == null) {
            return error(from, local, e.transactionId(), ErrorCode.UNKNOWN_REGISTRATION, "register again");
        }
        long age = now - e.probe().issued();
        if (!from.equals(p.observed) || age < 0 || age > policy.probeMaxAge().toNanos()
                || !signer.valid(e.probe(), from, e.session(), e.peerId())) {
            return error(from, local, e.transactionId(), ErrorCode.BAD_PROBE, "bad probe");
        }
        p.rtt = age;
        p.lastTx = e.transactionId();
        if (s.peers.size() < 2 || s.peers.stream().anyMatch(q -> q.rtt < 0)) {
            return List.of();
        }
        Peer a = s.peers.get(0);
        Peer b = s.peers.get(1);
        if (s.introduced) {
            return List.of(introduce(e.session(), p, p == a ? b : a, p == a ? Role.FIRST : Role.SECOND));
        }
        s.introduced = true;
        return List.of(introduce(e.session(), a, b, Role.FIRST), introduce(e.session(), b, a, Role.SECOND));
    }

    private List<Outgoing> keepalive(InetSocketAddress from, InetSocketAddress local, Keepalive k, long now) {
        Session s = sessions.get(k.session());
        Peer p = s == null ? null : find(s, k.peerId());
        if (p == null) {
            return error(from, local, k.transactionId(), ErrorCode.UNKNOWN_REGISTRATION, "register again");
        }
        if (!from.equals(p.observed)) {
            p.observed = from;
            p.rtt = -1;
        }
        p.local = local;
        p.expires = now + policy.lifetime().toNanos();
        return List.of(registered(from, local, k.transactionId(), k.session(), k.peerId(), now));
    }

    private List<Outgoing> leave(InetSocketAddress from, Leave l) {
        Session s = sessions.get(l.session());
        Peer p = s == null ? null : find(s, l.peerId());
        if (p != null && from.equals(p.observed)) {
            remove(l.session(), s, p);
        }
        return List.of();
    }

    /** To {@code to} about {@code other}: its reflexive address first, then its host candidates. */
    private Outgoing introduce(long session, Peer to, Peer other, Role role) {
        var candidates = new ArrayList<Candidate>(RendezvousMessage.MAX_CANDIDATES);
        candidates.add(Candidate.reflexive(other.observed));
        for (Candidate c : other.hosts) {
            if (candidates.size() < RendezvousMessage.MAX_CANDIDATES && !c.address().equals(other.observed)) {
                candidates.add(c);
            }
        }
        long later = Math.max(to.rtt, other.rtt) / 2 + policy.startMargin().toNanos();
        long startIn = Math.min(0xffff, Duration.ofNanos(later - to.rtt / 2).toMillis());
        var m = new Introduce(to.lastTx, session, other.id, role, Duration.ofMillis(startIn), candidates,
                relay.offer(session, to.id));
        return new Outgoing(to.local, to.observed, m);
    }

    private Outgoing registered(InetSocketAddress from, InetSocketAddress local, long tx, long session, long peer,
                                long now) {
        return new Outgoing(local, from, new Registered(tx, from, policy.lifetime(), policy.keepalive(),
                signer.issue(now, from, session, peer)));
    }

    private static List<Outgoing> error(InetSocketAddress from, InetSocketAddress local, long tx, ErrorCode code,
                                        String reason) {
        return List.of(new Outgoing(local, from, new ErrorMessage(tx, code, reason)));
    }

    private static Peer find(Session s, long peerId) {
        for (Peer p : s.peers) {
            if (p.id == peerId) {
                return p;
            }
        }
        return null;
    }

    private void remove(long number, Session s, Peer p) {
        s.peers.remove(p);
        p.permit.close();
        s.introduced = false;
        if (s.peers.isEmpty()) {
            sessions.remove(number);
        }
    }

    private void sweep(long now) {
        var it = sessions.entrySet().iterator();
        while (it.hasNext()) {
            Session s = it.next().getValue();
            s.peers.removeIf(p -> {
                boolean expired = now - p.expires > 0;
                if (expired) {
                    p.permit.close();
                }
                return expired;
            });
            if (s.peers.size() < 2) {
                s.introduced = false;
            }
            if (s.peers.isEmpty()) {
                it.remove();
            }
        }
    }
}
