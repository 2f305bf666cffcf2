package dev.protokit.rendezvous.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.server.RendezvousRegistry.Outgoing;
import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.CandidateKind;
import dev.protokit.rendezvous.wire.ErrorCode;
import dev.protokit.rendezvous.wire.RendezvousMessage.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rendezvous decisions on a hand-moved clock: registration, proof, introduction, limits, expiry. */
class RendezvousRegistryTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RendezvousRegistry registry = new RendezvousRegistry(
            new RendezvousPolicy(Duration.ofSeconds(60), Duration.ofSeconds(25), 100, 2, Duration.ofSeconds(10),
                    Duration.ofMillis(50)),
            (session, peer) -> Optional.of(new RelayOffer(Optional.empty(), "9:rdv" + session, "pw")), now::get);
    private final InetSocketAddress server = at("192.0.2.1", 3478);
    private final InetSocketAddress alice = at("198.51.100.1", 40000);
    private final InetSocketAddress bob = at("203.0.113.9", 50000);

    static InetSocketAddress at(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Registered register(InetSocketAddress from, long peer, Candidate... hosts) {
        List<Outgoing> out = registry.handle(from, server, new Register(1, 7, peer, List.of(hosts)));
        assertEquals(1, out.size());
        assertEquals(from, out.get(0).to());
        return (Registered) out.get(0).message();
    }

    @Test
    void introducesBothPeersOnceBothProvedTheirAddress() {
        Registered a = register(alice, 0xa, Candidate.host(at("10.0.0.5", 40000)));
        assertEquals(alice, a.observed());
        now.addAndGet(Duration.ofMillis(40).toNanos()); // alice's round trip: 40 ms
        assertEquals(List.of(), registry.handle(alice, server, new ProbeEcho(2, 7, 0xa, a.probe())));

        Registered b = register(bob, 0xb, Candidate.host(at("192.168.1.7", 50000)));
        now.addAndGet(Duration.ofMillis(200).toNanos()); // bob's: 200 ms
        List<Outgoing> out = registry.handle(bob, server, new ProbeEcho(3, 7, 0xb, b.probe()));
        assertEquals(2, out.size());
        var toAlice = (Introduce) out.get(0).message();
        var toBob = (Introduce) out.get(1).message();
        assertEquals(alice, out.get(0).to());
        assertEquals(bob, out.get(1).to());
        assertEquals(Role.FIRST, toAlice.role());
        assertEquals(Role.SECOND, toBob.role());
        assertEquals(List.of(Candidate.reflexive(bob), Candidate.host(at("192.168.1.7", 50000))), toAlice.candidates());
        assertEquals(0xb, toAlice.peerId());
        assertEquals(List.of(Candidate.reflexive(alice), Candidate.host(at("10.0.0.5", 40000))), toBob.candidates());
        // Both start at now + 100 ms (bob's one-way) + 50 ms: alice, 20 ms away, waits 130 ms; bob 50 ms.
        assertEquals(Duration.ofMillis(130), toAlice.startIn());
        assertEquals(Duration.ofMillis(50), toBob.startIn());
        assertTrue(toAlice.relay().isPresent());
        assertEquals(CandidateKind.SERVER_REFLEXIVE, toAlice.candidates().get(0).kind());
    }

    @Test
    void aThirdPeerFindsTheSessionFull() {
        register(alice, 1);
        register(bob, 2);
        var out = registry.handle(at("192.0.2.77", 1), server, new Register(9, 7, 3, List.of()));
        assertEquals(ErrorCode.SESSION_FULL, ((ErrorMessage) out.get(0).message()).code());
        assertEquals(9, out.get(0).message().transactionId());
    }

    @Test
    void aProbeEchoedFromAnotherAddressOrForgedIsRefused() {
        Registered a = register(alice, 1);
        var forged = new Probe(a.probe().issued(), a.probe().tag() ^ 1);
        assertEquals(ErrorCode.BAD_PROBE, error(registry.handle(alice, server, new ProbeEcho(2, 7, 1, forged))));
        assertEquals(ErrorCode.BAD_PROBE, error(registry.handle(bob, server, new ProbeEcho(2, 7, 1, a.probe()))));
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertEquals(ErrorCode.BAD_PROBE, error(registry.handle(alice, server, new ProbeEcho(2, 7, 1, a.probe()))));
        assertEquals(ErrorCode.UNKNOWN_REGISTRATION, error(registry.handle(alice, server, new ProbeEcho(2, 8, 1, a.probe()))));
    }

    @Test
    void anUnprovedPeerIsNeverIntroduced() {
        Registered a = register(alice, 1);
        register(bob, 2); // bob (perhaps a forged source) never echoes
        assertEquals(List.of(), registry.handle(alice, server, new ProbeEcho(2, 7, 1, a.probe())));
    }

    @Test
    void registrationsAreBoundedPerSourceAndExpireWithoutKeepalives() {
        register(alice, 1);
        registry.handle(alice, server, new Register(1, 8, 2, List.of()));
        var third = registry.handle(alice, server, new Register(5, 9, 3, List.of()));
        assertEquals(ErrorCode.TOO_MANY_REGISTRATIONS, error(third));
        assertEquals(2, registry.registrations());

        now.addAndGet(Duration.ofSeconds(50).toNanos());
        assertEquals(alice, ((Registered) registry.handle(alice, server, new Keepalive(6, 7, 1)).get(0).message()).observed());
        now.addAndGet(Duration.ofSeconds(20).toNanos()); // session 8 is 70 s old, session 7 was refreshed 20 s ago
        assertEquals(ErrorCode.UNKNOWN_REGISTRATION, error(registry.handle(alice, server, new Keepalive(7, 8, 2))));
        assertEquals(1, registry.registrations());
    }

    @Test
    void leaveFromAnotherAddressIsIgnored() {
        register(alice, 1);
        registry.handle(bob, server, new Leave(2, 7, 1));
        assertEquals(1, registry.registrations());
        registry.handle(alice, server, new Leave(2, 7, 1));
        assertEquals(0, registry.registrations());
    }

    private static ErrorCode error(List<Outgoing> out) {
        return ((ErrorMessage) out.get(0).message()).code();
    }
}
