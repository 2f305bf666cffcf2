package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerPacket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PakeHandshakeTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Delivers packets between two handshakes through the codec, until both are quiet. */
    private static void run(PakeHandshake a, PakeHandshake b) {
        Deque<PeerPacket> toB = new ArrayDeque<>(wire(a.flight()));
        Deque<PeerPacket> toA = new ArrayDeque<>(wire(b.flight()));
        for (int steps = 0; steps < 100 && !(toA.isEmpty() && toB.isEmpty()); steps++) {
            if (!toB.isEmpty()) {
                toA.addAll(wire(b.receive(toB.poll())));
            }
            if (!toA.isEmpty()) {
                toB.addAll(wire(a.receive(toA.poll())));
            }
        }
    }

    private static List<PeerPacket> wire(List<PeerPacket> packets) {
        List<PeerPacket> out = new ArrayList<>();
        for (PeerPacket p : packets) {
            byte[] bytes = PeerCodec.toBytes(p);
            assertTrue(bytes.length <= 1000, "each handshake datagram stays under 1000 bytes: " + bytes.length);
            out.add(PeerCodec.decode(ByteBuffer.wrap(bytes)));
        }
        return out;
    }

    @Test
    void matchingCodesAgreeOnKeysPerDirection() {
        SessionCode code = SessionCode.parse("7-scenic-harbor");
        PakeHandshake a = new PakeHandshake(code, RANDOM);
        PakeHandshake b = new PakeHandshake(SessionCode.parse(" 7 Scenic  HARBOR "), RANDOM);
        run(a, b);
        assertEquals(PakeHandshake.State.ESTABLISHED, a.state());
        assertEquals(PakeHandshake.State.ESTABLISHED, b.state());
        assertArrayEquals(a.keys().sending(), b.keys().receiving());
        assertArrayEquals(a.keys().receiving(), b.keys().sending());
        assertFalse(java.util.Arrays.equals(a.keys().sending(), a.keys().receiving()),
                "each direction has its own key");
        assertEquals(a.localId(), b.peerId().orElseThrow());
        assertTrue(a.localId().startsWith("rdv1-7-"), a.localId());
    }

    @Test
    void freshSessionsWithTheSameCodeGetDifferentKeys() {
        SessionCode code = SessionCode.parse("7-scenic-harbor");
        PakeHandshake a1 = new PakeHandshake(code, RANDOM);
        PakeHandshake b1 = new PakeHandshake(code, RANDOM);
        PakeHandshake a2 = new PakeHandshake(code, RANDOM);
        PakeHandshake b2 = new PakeHandshake(code, RANDOM);
        run(a1, b1);
        run(a2, b2);
        assertNotEquals(ByteBuffer.wrap(a1.keys().sending()), ByteBuffer.wrap(a2.keys().sending()));
    }

    @Test
    void wrongCodeFailsBothSidesAfterOneAttempt() {
        PakeHandshake a = new PakeHandshake(SessionCode.parse("7-scenic-harbor"), RANDOM);
        PakeHandshake b = new PakeHandshake(SessionCode.parse("7-scenic-harness"), RANDOM);
        List<PeerPacket> toB = new ArrayList<>(a.flight());
        List<PeerPacket> toA = new ArrayList<>(b.flight());
        List<PeerPacket> fromA = new ArrayList<>();
        List<PeerPacket> fromB = new ArrayList<>();
        for (PeerPacket p : toA) {
            fromA.addAll(a.receive(p));
        }
        for (PeerPacket p : toB) {
            fromB.addAll(b.receive(p));
        }
        // Round 2 passes whatever the codes: only the confirmation can tell.
        for (PeerPacket p : fromB) {
            fromA.addAll(a.receive(p));
        }
        PeerException atB = null;
        for (PeerPacket p : fromA) {
            try {
                b.receive(p);
            } catch (PeerException e) {
                atB = e;
            }
        }
        assertEquals(PeerError.WRONG_CODE, atB.error());
        assertTrue(atB.getMessage().contains("burned"), atB.getMessage());
        assertEquals(PakeHandshake.State.FAILED, b.state());
        PeerException atA = assertThrows(PeerException.class, () -> a.receive(b.abort(PeerError.WRONG_CODE)));
        assertEquals(PeerError.WRONG_CODE, atA.error());
        assertTrue(atA.getMessage().contains("different code"), atA.getMessage());
        assertEquals(PakeHandshake.State.FAILED, a.state());
        assertTrue(b.receive(a.flight().getFirst()).isEmpty(), "a failed handshake answers nothing more");
    }

    @Test
    void wrongCodeFailsTheOtherSideFromItsOwnConfirmationWhenTheAbortIsLost() {
        PakeHandshake a = new PakeHandshake(SessionCode.parse("7-scenic-harbor"), RANDOM);
        PakeHandshake b = new PakeHandshake(SessionCode.parse("7-scenic-harness"), RANDOM);
        List<PeerPacket> toA = new ArrayList<>(b.flight());
        List<PeerPacket> toB = new ArrayList<>();
        for (PeerPacket p : a.flight()) {
            toA.addAll(b.receive(p));
        }
        for (PeerPacket p : toA) {
            toB.addAll(a.receive(p));
        }
        assertEquals(PakeHandshake.State.CONFIRMING, a.state());
        for (PeerPacket p : toB) {
            try {
                b.receive(p);
            } catch (PeerException e) {
                assertEquals(PeerError.WRONG_CODE, e.error());
            }
        }
        assertEquals(PakeHandshake.State.FAILED, b.state());
        PeerException atA = assertThrows(PeerException.class, () -> a.receive(b.flight().getLast()));
        assertEquals(PeerError.WRONG_CODE, atA.error());
        assertEquals("WRONG_CODE the two codes differ; this code is now burned, make a new one", atA.getMessage());
    }

    @Test
    void aSecondIdentityIsIgnoredOnceOneIsHeard() {
        SessionCode code = SessionCode.parse("7-scenic-harbor");
        PakeHandshake a = new PakeHandshake(code, RANDOM);
        PakeHandshake b = new PakeHandshake(code, RANDOM);
        PakeHandshake intruder = new PakeHandshake(code, RANDOM);
        a.receive(b.flight().getFirst());
        for (PeerPacket p : intruder.flight()) {
            assertTrue(a.receive(p).isEmpty(), "packets from a second identity are dropped");
        }
        run(a, b);
        assertEquals(PakeHandshake.State.ESTABLISHED, a.state());
    }

    @Test
    void repeatsAreAnsweredOnlyOnceEstablishedAndNeverPingPong() {
        SessionCode code = SessionCode.parse("7-scenic-harbor");
        PakeHandshake a = new PakeHandshake(code, RANDOM);
        PakeHandshake b = new PakeHandshake(code, RANDOM);
        run(a, b);
        assertEquals(List.of(a.flight().getLast()), a.receive(b.flight().getFirst()),
                "once established, a repeated hello gets the confirmation the other side lacks");
        assertEquals(List.of(a.flight().getLast()), a.receive(b.flight().get(2)));
        assertTrue(a.receive(b.flight().getLast()).isEmpty(), "a repeated confirmation is never answered");
        PakeHandshake c = new PakeHandshake(code, RANDOM);
        PakeHandshake d = new PakeHandshake(code, RANDOM);
        c.receive(d.flight().getFirst());
        c.receive(d.flight().get(1));
        assertTrue(c.receive(d.flight().getFirst()).isEmpty(), "before that, the timer alone retransmits");
    }

    @Test
    void tamperedRoundOneFailsValidation() {
        SessionCode code = SessionCode.parse("7-scenic-harbor");
        PakeHandshake a = new PakeHandshake(code, RANDOM);
        PakeHandshake b = new PakeHandshake(code, RANDOM);
        var hello = (dev.protokit.rendezvous.wire.PeerHello) b.flight().getFirst();
        var forged = new dev.protokit.rendezvous.wire.PeerHello(hello.participantId(), 1,
                hello.gx().add(java.math.BigInteger.ONE), hello.gv(), hello.r());
        a.receive(forged);
        PeerException e = assertThrows(PeerException.class, () -> a.receive(b.flight().get(1)));
        assertEquals(PeerError.HANDSHAKE, e.error());
    }
}
