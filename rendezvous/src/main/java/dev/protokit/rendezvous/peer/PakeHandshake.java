package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerAbort;
import dev.protokit.rendezvous.wire.PeerConfirm;
import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerHello;
import dev.protokit.rendezvous.wire.PeerKeyShare;
import dev.protokit.rendezvous.wire.PeerPacket;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.jpake.JPAKEParticipant;
import org.bouncycastle.crypto.agreement.jpake.JPAKEPrimeOrderGroups;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound1Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound2Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound3Payload;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The peers' key exchange: J-PAKE (RFC 8236) over the 3072-bit NIST group with SHA-256, from
 * Bouncy Castle, with explicit key confirmation. Symmetric: both peers run the same machine, so
 * neither needs to be told a role. Each peer's identity is {@code rdv1-<session>-<nonce>}: the
 * session number binds the exchange to the session and the random nonce tells the two roles
 * apart; both identities enter every zero-knowledge proof, the confirmation tags and the
 * traffic keys.
 *
 * <p>Pure: the caller moves packets. {@link #flight()} is what to (re)send now;
 * {@link #receive} consumes one packet and returns what to send in answer. The caller
 * retransmits {@link #flight()} on a timer until established. The first peer
 * identity heard is the only one accepted, so a guesser who races the real peer gets exactly
 * one guess, which fails both ends with {@link PeerError#WRONG_CODE} (the code is burned).
 */
final class PakeHandshake {
    /** Where the exchange stands. */
    enum State { ROUND_1, ROUND_2, CONFIRMING, ESTABLISHED, FAILED }

    private final String localId;
    private final JPAKEParticipant participant;
    private final List<PeerPacket> sent = new ArrayList<>(4);
    private State state = State.ROUND_1;
    private String peerId;
    private PeerHello peerHello1;
    private PeerHello peerHello2;
    private PeerKeyShare pendingShare;
    private PeerConfirm pendingConfirm;
    private BigInteger keyingMaterial;
    private TrafficKeys keys;

    PakeHandshake(SessionCode code, SecureRandom random) {
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        this.localId = "rdv1-" + code.number() + "-" + HexFormat.of().formatHex(nonce);
        char[] password = code.password();
        try {
            this.participant = new JPAKEParticipant(localId, password, JPAKEPrimeOrderGroups.NIST_3072,
                    new SHA256Digest(), random);
        } finally {
            Arrays.fill(password, '\0');
        }
        JPAKERound1Payload round1 = participant.createRound1PayloadToSend();
        BigInteger[] proof1 = round1.getKnowledgeProofForX1();
        BigInteger[] proof2 = round1.getKnowledgeProofForX2();
        sent.add(new PeerHello(localId, 1, round1.getGx1(), proof1[0], proof1[1]));
        sent.add(new PeerHello(localId, 2, round1.getGx2(), proof2[0], proof2[1]));
    }

    String localId() {
        return localId;
    }

    Optional<String> peerId() {
        return Optional.ofNullable(peerId);
    }

    State state() {
        return state;
    }

    /** Everything this side has sent so far, to retransmit until the other side moves on. */
    List<PeerPacket> flight() {
        return List.copyOf(sent);
    }

    /** The traffic keys, once {@link State#ESTABLISHED}. The caller owns and destroys them. */
    TrafficKeys keys() {
        if (state != State.ESTABLISHED) {
            throw new IllegalStateException("handshake is " + state);
        }
        return keys;
    }

    /** The notice to send the other peer after {@link #receive} failed. */
    PeerAbort abort(PeerError reason) {
        return new PeerAbort(reason, localId);
    }

    /**
     * Consumes one handshake packet from the other peer.
     *
     * @return the packets to send in answer (possibly none)
     * @throws PeerException WRONG_CODE when the confirmation shows the codes differ,
     *                       HANDSHAKE when a payload fails J-PAKE's checks; both are final
     */
    List<PeerPacket> receive(PeerPacket packet) {
        Objects.requireNonNull(packet, "packet");
        if (state == State.FAILED) {
            return List.of();
        }
        String from = switch (packet) {
            case PeerHello h -> h.participantId();
            case PeerKeyShare k -> k.participantId();
            case PeerConfirm c -> c.participantId();
            case PeerAbort a -> a.participantId();
            default -> null;
        };
        if (from == null || from.equals(localId) || (peerId != null && !peerId.equals(from))) {
            return List.of();
        }
        peerId = from;
        try {
            return switch (packet) {
                case PeerHello h -> onHello(h);
                case PeerKeyShare k -> {
                    if (state.compareTo(State.CONFIRMING) >= 0) {
                        yield answerRepeat();
                    }
                    pendingShare = k;
                    yield advance();
                }
                case PeerConfirm c -> {
                    if (state == State.ESTABLISHED) {
                        yield List.of();
                    }
                    pendingConfirm = c;
                    yield advance();
                }
                case PeerAbort a -> throw new PeerException(a.reason(), a.reason()
                        + (a.reason() == PeerError.WRONG_CODE
                        ? " the other peer typed a different code; this code is now burned, make a new one"
                        : " the other peer rejected the key exchange"));
                default -> List.of();
            };
        } catch (PeerException e) {
            fail();
            throw e;
        }
    }

    private List<PeerPacket> onHello(PeerHello hello) {
        if (state != State.ROUND_1) {
            return answerRepeat();
        }
        if (hello.part() == 1) {
            peerHello1 = hello;
        } else {
            peerHello2 = hello;
        }
        return advance();
    }

    private List<PeerPacket> advance() {
        List<PeerPacket> out = new ArrayList<>(2);
        try {
            if (state == State.ROUND_1 && peerHello1 != null && peerHello2 != null) {
                participant.validateRound1PayloadReceived(new JPAKERound1Payload(peerId,
                        peerHello1.gx(), peerHello2.gx(),
                        new BigInteger[] {peerHello1.gv(), peerHello1.r()},
                        new BigInteger[] {peerHello2.gv(), peerHello2.r()}));
                JPAKERound2Payload round2 = participant.createRound2PayloadToSend();
                BigInteger[] proof = round2.getKnowledgeProofForX2s();
                PeerKeyShare share = new PeerKeyShare(localId, round2.getA(), proof[0], proof[1]);
                sent.add(share);
                out.add(share);
                state = State.ROUND_2;
            }
            if (state == State.ROUND_2 && pendingShare != null) {
                participant.validateRound2PayloadReceived(new JPAKERound2Payload(peerId, pendingShare.a(),
                        new BigInteger[] {pendingShare.gv(), pendingShare.r()}));
                keyingMaterial = participant.calculateKeyingMaterial();
                JPAKERound3Payload round3 = participant.createRound3PayloadToSend(keyingMaterial);
                PeerConfirm confirm = new PeerConfirm(localId, round3.getMacTag());
                sent.add(confirm);
                out.add(confirm);
                state = State.CONFIRMING;
            }
        } catch (CryptoException | IllegalStateException e) {
            throw new PeerException(PeerError.HANDSHAKE, "HANDSHAKE " + e.getMessage(), e);
        }
        if (state == State.CONFIRMING && pendingConfirm != null) {
            try {
                participant.validateRound3PayloadReceived(
                        new JPAKERound3Payload(peerId, pendingConfirm.macTag()), keyingMaterial);
            } catch (CryptoException e) {
                throw new PeerException(PeerError.WRONG_CODE,
                        "WRONG_CODE the two codes differ; this code is now burned, make a new one", e);
            }
            keys = TrafficKeys.derive(keyingMaterial, localId, peerId);
            keyingMaterial = null;
            state = State.ESTABLISHED;
        }
        return out;
    }

    /**
     * The other peer repeated a hello or key share, so it is still retransmitting its flight.
     * Before this side is established its own timer retransmits, so nothing is answered (an
     * answer to a repeat would be answered in turn, forever); once established, the timer has
     * stopped and the other peer can only lack the confirmation, which is answered alone. A
     * repeated confirmation is never answered, so two established peers never ping-pong.
     */
    private List<PeerPacket> answerRepeat() {
        return state == State.ESTABLISHED ? List.of(sent.getLast()) : List.of();
    }

    private void fail() {
        state = State.FAILED;
        keyingMaterial = null;
        if (keys != null) {
            keys.destroy();
        }
    }
}
