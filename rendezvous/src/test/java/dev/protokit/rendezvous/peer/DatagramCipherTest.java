package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerSealed;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatagramCipherTest {
    private DatagramCipher alice;
    private DatagramCipher bob;

    @BeforeEach
    void keys() {
        BigInteger material = new BigInteger(1, "shared keying material".getBytes(StandardCharsets.US_ASCII));
        alice = new DatagramCipher(TrafficKeys.derive(material, "rdv1-7-aa", "rdv1-7-bb"));
        bob = new DatagramCipher(TrafficKeys.derive(material, "rdv1-7-bb", "rdv1-7-aa"));
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    /** Through the codec, as the socket would carry it. */
    private static PeerSealed wire(PeerSealed sealed) {
        return (PeerSealed) PeerCodec.decode(ByteBuffer.wrap(PeerCodec.toBytes(sealed)));
    }

    @Test
    void opensWhatTheOtherDirectionSealed() {
        assertEquals("hello", string(bob.open(wire(alice.seal(text("hello"))))));
        assertEquals("back", string(alice.open(wire(bob.seal(text("back"))))));
        assertEquals("", string(bob.open(wire(alice.seal(text(""))))));
    }

    @Test
    void rejectsItsOwnDatagramsReflectedBack() {
        PeerSealed mine = alice.seal(text("hello"));
        PeerException e = assertThrows(PeerException.class, () -> alice.open(wire(mine)));
        assertEquals(PeerError.UNAUTHENTICATED, e.error());
    }

    @Test
    void rejectsAReplayWithTheExactMessage() {
        PeerSealed sealed = wire(alice.seal(text("once")));
        bob.open(sealed);
        PeerException e = assertThrows(PeerException.class, () -> bob.open(sealed));
        assertEquals(PeerError.REPLAYED, e.error());
        assertEquals("REPLAYED sequence 0x0", e.getMessage());
    }

    @Test
    void acceptsReorderingWithinTheWindowAndRejectsBeyondIt() {
        List<PeerSealed> sealed = new ArrayList<>();
        for (int i = 0; i <= ReplayWindow.SIZE + 1; i++) {
            sealed.add(wire(alice.seal(text("m" + i))));
        }
        assertEquals("m5", string(bob.open(sealed.get(5))));
        assertEquals("m1", string(bob.open(sealed.get(1))), "older but within the window");
        assertEquals("m" + (ReplayWindow.SIZE + 1), string(bob.open(sealed.get(ReplayWindow.SIZE + 1))));
        assertEquals("m2", string(bob.open(sealed.get(2))), "exactly SIZE - 1 behind is still inside");
        PeerException e = assertThrows(PeerException.class, () -> bob.open(sealed.get(0)));
        assertEquals(PeerError.REPLAYED, e.error());
        assertEquals("REPLAYED sequence 0x0 is behind the replay window", e.getMessage());
        assertThrows(PeerException.class, () -> bob.open(sealed.get(1)), "and a replay inside the window");
    }

    @Test
    void rejectsEveryTamperedByte() {
        byte[] bytes = PeerCodec.toBytes(alice.seal(text("integrity matters")));
        for (int i = 1; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= 0x01;
            PeerSealed forged = (PeerSealed) PeerCodec.decode(ByteBuffer.wrap(copy));
            PeerException e = assertThrows(PeerException.class, () -> bob.open(forged), "byte " + i);
            assertEquals(PeerError.UNAUTHENTICATED, e.error(), "byte " + i);
        }
        assertEquals("integrity matters", string(bob.open((PeerSealed) PeerCodec.decode(ByteBuffer.wrap(bytes)))),
                "forgeries did not move the replay window");
    }

    @Test
    void rejectsTruncatedDatagrams() {
        byte[] bytes = PeerCodec.toBytes(alice.seal(text("cut short")));
        for (int length = PeerSealed.HEADER + PeerSealed.TAG; length < bytes.length; length++) {
            PeerSealed cut = (PeerSealed) PeerCodec.decode(ByteBuffer.wrap(bytes, 0, length));
            assertEquals(PeerError.UNAUTHENTICATED, assertThrows(PeerException.class, () -> bob.open(cut)).error());
        }
        PeerException shortOne = assertThrows(PeerException.class,
                () -> PeerCodec.decode(ByteBuffer.wrap(bytes, 0, PeerSealed.HEADER + PeerSealed.TAG - 1)));
        assertEquals(PeerError.MALFORMED, shortOne.error());
        assertEquals("MALFORMED sealed truncated at 0x0017", shortOne.getMessage());
    }

    @Test
    void keysNeverShowInToString() {
        TrafficKeys keys = TrafficKeys.derive(BigInteger.TEN, "a", "b");
        assertEquals("TrafficKeys[2 x 32 bytes, redacted]", keys.toString());
        keys.destroy();
        assertThrows(IllegalStateException.class, keys::sending);
    }
}
