package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerPacketType;
import dev.protokit.rendezvous.wire.PeerSealed;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * Seals and opens channel frames with the JDK's ChaCha20-Poly1305 (RFC 8439): the outgoing
 * counter is the nonce (never reused under one key: the session ends before it could wrap),
 * the type byte and counter are the associated data, and incoming datagrams pass a
 * {@link ReplayWindow}. Not thread-safe: one sending and one receiving thread may use
 * {@link #seal} and {@link #open} concurrently, each from one thread.
 */
final class DatagramCipher implements Destroyable {
    private static final String ALGORITHM = "ChaCha20-Poly1305";

    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final Cipher sealer;
    private final Cipher opener;
    private final ReplayWindow window = new ReplayWindow();
    private long nextSequence;
    private volatile boolean destroyed;

    DatagramCipher(TrafficKeys keys) {
        byte[] send = keys.sending();
        byte[] receive = keys.receiving();
        try {
            this.sendKey = new SecretKeySpec(send, "ChaCha20");
            this.receiveKey = new SecretKeySpec(receive, "ChaCha20");
            this.sealer = Cipher.getInstance(ALGORITHM);
            this.opener = Cipher.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 25 platform has " + ALGORITHM, e);
        } finally {
            Arrays.fill(send, (byte) 0);
            Arrays.fill(receive, (byte) 0);
        }
    }

    /** Seals {@code plaintext} (its remaining bytes) under the next sequence number. */
    PeerSealed seal(ByteBuffer plaintext) {
        requireLive();
        long sequence = nextSequence++;
        if (sequence < 0) {
            throw new PeerException(PeerError.CLOSED, "CLOSED sequence numbers exhausted");
        }
        try {
            sealer.init(Cipher.ENCRYPT_MODE, sendKey, new IvParameterSpec(nonce(sequence)));
            sealer.updateAAD(header(sequence));
            ByteBuffer out = ByteBuffer.allocate(plaintext.remaining() + PeerSealed.TAG);
            sealer.doFinal(plaintext, out);
            return new PeerSealed(sequence, out.flip());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 refused to seal", e);
        }
    }

    /**
     * Verifies and decrypts a sealed datagram.
     *
     * @throws PeerException REPLAYED for a sequence number seen before or older than the window,
     *                       UNAUTHENTICATED when the tag does not verify (tampered, truncated)
     */
    ByteBuffer open(PeerSealed packet) {
        requireLive();
        long sequence = packet.sequence();
        switch (window.check(sequence)) {
            case FRESH -> { }
            case DUPLICATE -> throw new PeerException(PeerError.REPLAYED,
                    "REPLAYED sequence 0x" + Long.toHexString(sequence));
            case TOO_OLD -> throw new PeerException(PeerError.REPLAYED,
                    "REPLAYED sequence 0x" + Long.toHexString(sequence) + " is behind the replay window");
        }
        try {
            opener.init(Cipher.DECRYPT_MODE, receiveKey, new IvParameterSpec(nonce(sequence)));
            opener.updateAAD(header(sequence));
            ByteBuffer sealed = packet.sealed().duplicate();
            ByteBuffer out = ByteBuffer.allocate(sealed.remaining() - PeerSealed.TAG);
            opener.doFinal(sealed, out);
            window.accept(sequence);
            return out.flip();
        } catch (AEADBadTagException e) {
            throw new PeerException(PeerError.UNAUTHENTICATED,
                    "UNAUTHENTICATED sequence 0x" + Long.toHexString(sequence) + " tag does not verify", e);
        } catch (GeneralSecurityException e) {
            throw new PeerException(PeerError.UNAUTHENTICATED,
                    "UNAUTHENTICATED sequence 0x" + Long.toHexString(sequence), e);
        }
    }

    private static byte[] nonce(long sequence) {
        return ByteBuffer.allocate(12).putInt(0).putLong(sequence).array();
    }

    private static byte[] header(long sequence) {
        return ByteBuffer.allocate(PeerSealed.HEADER).put((byte) PeerPacketType.SEALED.wireValue())
                .putLong(sequence).array();
    }

    /** Drops the key references; the JDK copies key bytes into its cipher state, which the GC reclaims. */
    @Override
    public void destroy() {
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void requireLive() {
        if (destroyed) {
            throw new PeerException(PeerError.CLOSED, "CLOSED cipher destroyed");
        }
    }
}
