package dev.protokit.rendezvous.wire;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rendezvous message as a value (the layouts are drawn in {@link RendezvousCodec}). The peer's
 * address travels beside it, never inside it. Every message carries the 64-bit transaction id
 * of a request, which its answer echoes. Sessions are named by the number part of the code
 * only ({@code 7} of {@code 7-sunset-harbor}), 0..2^32-1; the words never reach the server.
 */
public sealed interface RendezvousMessage {
    /** The most candidates one peer may announce. */
    int MAX_CANDIDATES = 8;

    /** The transaction id: chosen by the peer, echoed by the server. */
    long transactionId();

    /** The type byte this message is sent with. */
    MessageType type();

    /** Join {@code session} as {@code peerId} (random, 64 bits), announcing local candidates. */
    record Register(long transactionId, long session, long peerId, List<Candidate> candidates)
            implements RendezvousMessage {
        public Register {
            Checks.session(session);
            candidates = Checks.candidates(candidates);
        }
        public MessageType type() { return MessageType.REGISTER; }
    }

    /**
     * The registration stands for {@code lifetime}; keep it alive every {@code keepalive}.
     * {@code observed} is the address the request came from; {@code probe} must be echoed at once.
     */
    record Registered(long transactionId, InetSocketAddress observed, Duration lifetime, Duration keepalive,
                      Probe probe) implements RendezvousMessage {
        public Registered {
            Objects.requireNonNull(observed, "observed");
            Checks.seconds(lifetime, "lifetime");
            Checks.seconds(keepalive, "keepalive");
            Objects.requireNonNull(probe, "probe");
        }
        public MessageType type() { return MessageType.REGISTERED; }
    }

    /** The probe of the last REGISTERED, echoed: proves the address and measures the round trip. */
    record ProbeEcho(long transactionId, long session, long peerId, Probe probe) implements RendezvousMessage {
        public ProbeEcho {
            Checks.session(session);
            Objects.requireNonNull(probe, "probe");
        }
        public MessageType type() { return MessageType.PROBE_ECHO; }
    }

    /** Keeps the registration alive; answered by REGISTERED. */
    record Keepalive(long transactionId, long session, long peerId) implements RendezvousMessage {
        public Keepalive { Checks.session(session); }
        public MessageType type() { return MessageType.KEEPALIVE; }
    }

    /**
     * The other peer ({@code peerId}) of {@code session}: its candidates (server-reflexive first,
     * then its host candidates), this peer's role in the key exchange, when to start punching
     * (counted from receipt, so both peers start together) and, if the server relays,
     * credentials for its TURN service.
     */
    record Introduce(long transactionId, long session, long peerId, Role role, Duration startIn,
                     List<Candidate> candidates, Optional<RelayOffer> relay) implements RendezvousMessage {
        public Introduce {
            Checks.session(session);
            Objects.requireNonNull(role, "role");
            Checks.millis(startIn, "startIn");
            candidates = Checks.candidates(candidates);
            Objects.requireNonNull(relay, "relay");
        }
        public MessageType type() { return MessageType.INTRODUCE; }
    }

    /** Leave the session now (no answer). */
    record Leave(long transactionId, long session, long peerId) implements RendezvousMessage {
        public Leave { Checks.session(session); }
        public MessageType type() { return MessageType.LEAVE; }
    }

    /** A refused request; {@code reason} is short ASCII for a log line. */
    record ErrorMessage(long transactionId, ErrorCode code, String reason) implements RendezvousMessage {
        /** The longest reason. */
        public static final int MAX_REASON = 64;
        public ErrorMessage {
            Objects.requireNonNull(code, "code");
            Checks.ascii(reason, MAX_REASON, "error reason");
        }
        public MessageType type() { return MessageType.ERROR; }
    }

    /** The role of a peer in the key exchange: the first to register is FIRST. */
    enum Role {
        /** Registered first. */
        FIRST,
        /** Registered second. */
        SECOND
    }

    /**
     * A server's return-routability probe: when it was issued (server clock, opaque to the peer)
     * and a MAC binding it to the peer's address and id, so the server keeps no state for it.
     */
    record Probe(long issued, long tag) {}

    /**
     * Credentials for a TURN relay in the REST scheme ({@code expiry:name}, base64 HMAC).
     *
     * @param server where the relay is; empty for the rendezvous server's own address
     */
    record RelayOffer(Optional<InetSocketAddress> server, String username, String password) {
        public RelayOffer {
            Objects.requireNonNull(server, "server");
            Checks.ascii(username, 255, "relay username");
            Checks.ascii(password, 255, "relay password");
        }

        @Override
        public String toString() {
            return "RelayOffer[server=" + server + ", username=" + username + ", password=(hidden)]";
        }
    }
}
