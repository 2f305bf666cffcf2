package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.Opcode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends a file as DATA blocks over one {@link TransferChannel}: a server answering an RRQ, or a
 * client writing after its WRQ was acknowledged. Implements RFC 1350 lock-step (window 1) and
 * RFC 7440 windows: up to {@code windowSize} unacknowledged blocks are in flight; an ACK for
 * block n slides the window to start at n + 1, and blocks after n that were already sent are
 * sent again (the receiver dropped them as out of order). Retransmission happens on a timeout;
 * the timeout is measured from this transfer's round trips ({@link RetransmitTimer}), never
 * longer than the negotiated one. A duplicate ACK is ignored (the Sorcerer's Apprentice bug,
 * RFC 1123 section 4.2.3.1) unless the timer has fired since the last progress: then the peer
 * is repeating its ACK on its own timer because it hears nothing from us, and the window goes
 * again at once, at most once per half RTO ({@link #answerDuplicate}).
 *
 * <p>Block numbers are 16-bit on the wire and roll over from 65535 to 0; internally they are
 * counted as longs, so files past 4 GiB work at any block size. Memory: one ring of
 * {@code windowSize} direct buffers of {@code blockSize + 4} bytes, allocated once when the data
 * starts (after ACK 0 when there is an OACK); nothing is allocated per packet. The new blocks of a window, and a window sent again, go out in one
 * {@code sendmmsg} where the platform has it ({@link TransferChannel#send(ByteBuffer[], int, int)}),
 * instead of one system call per block (issue #9: the windowed cells were bound by one
 * {@code sendto} per block). One Sender per transfer, used on one thread.
 */
public final class Sender {
    private final TransferChannel channel;
    private final TransferParameters params;
    private final TransferListener listener;
    private final ByteBuffer[] ring;
    /** The slots of the blocks being read, in block order (the ring may wrap). */
    private final ByteBuffer[] batch;
    private final ByteBuffer in = ByteBuffer.allocateDirect(4096);
    /** When each slot's block was first sent, for round-trip samples; 0 once it was sent again (Karn). */
    private final long[] sentAt;
    private final RetransmitTimer timer;
    /** DATA 1 (a copy) until the peer acknowledges it, when the transfer opened without an OACK. */
    private volatile ByteBuffer firstBlock;
    /** Whether {@link #firstBlock} is kept: from the start of a transfer without OACK until ACK 1. */
    private boolean keepFirstBlock;
    /** DATA 1 is not sent again on a timer, only on the peer's repeated request ({@link #sendFirstBlockOnRequest}). */
    private boolean firstBlockOnRequest;

    /** A sender for one transfer; nothing is sent until {@link #send}. */
    public Sender(TransferChannel channel, TransferParameters params, TransferListener listener) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.params = Objects.requireNonNull(params, "params");
        this.listener = Objects.requireNonNull(listener, "listener");
        channel.reserveBuffers(TransferChannel.bufferFor(params));
        channel.enableBatches(params.windowSize()); // one sendmmsg per window where there is one
        this.timer = new RetransmitTimer(params);
        int slot = TftpCodec.DATA_HEADER + params.blockSize();
        long total = (long) slot * params.windowSize();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window of " + total + " bytes is too large");
        }
        ring = new ByteBuffer[params.windowSize()];
        sentAt = new long[params.windowSize()];
        batch = new ByteBuffer[params.windowSize()];
    }

    /**
     * The window's direct buffers, allocated when the data starts (after ACK 0 when there is an
     * OACK), not with the Sender: a forged RRQ of 44 bytes asking blksize 65464 and windowsize
     * 16 otherwise held 1 MiB until its OACK timed out, and 500 of them took 560 MB.
     */
    private void allocateRing() {
        int slot = TftpCodec.DATA_HEADER + params.blockSize();
        ByteBuffer slab = ByteBuffer.allocateDirect(slot * ring.length);
        for (int i = 0; i < ring.length; i++) {
            ring[i] = slab.slice(i * slot, slot);
        }
    }

    /**
     * Sends the source starting with DATA 1 at once: a server's answer to an RRQ without
     * options, or a client's first block after ACK 0 or OACK answered its WRQ.
     *
     * @throws TftpException on an ERROR from the peer, a protocol violation by the peer (it is
     *                       sent ERROR 4) or when the retries run out (it is sent ERROR 0)
     */
    public TransferStats send(BlockSource source) throws IOException {
        return run(source, null, OackRetransmission.ON_TIMEOUT);
    }

    /**
     * Like {@link #send(BlockSource)}, but until the peer acknowledges DATA 1 it goes again only
     * when the peer repeats its request, which the caller answers with
     * {@link #unacknowledgedFirstBlock()}; never on a timer. A server's answer to an RRQ without
     * options: until the peer has acknowledged something its address may be forged, and DATA 1
     * on a timer went to it six times (3 KB for a 16-byte request, an amplifier). Once DATA 1
     * is acknowledged, retransmission is as in {@link #send(BlockSource)}.
     */
    public TransferStats sendFirstBlockOnRequest(BlockSource source) throws IOException {
        firstBlockOnRequest = true;
        return run(source, null, OackRetransmission.ON_TIMEOUT);
    }

    /**
     * Sends an OACK, retransmitting it on timeouts until ACK 0 arrives, then the source from
     * DATA 1: a server's answer to an RRQ with options (RFC 2347).
     */
    public TransferStats send(BlockSource source, OptionAck oack) throws IOException {
        return send(source, oack, OackRetransmission.ON_TIMEOUT);
    }

    /**
     * Sends an OACK, waits for ACK 0 (retransmitting the OACK as {@code retransmission} says),
     * then the source from DATA 1. The listener hears {@code progress(0)} when ACK 0 arrives.
     */
    public TransferStats send(BlockSource source, OptionAck oack, OackRetransmission retransmission)
            throws IOException {
        return run(source, Objects.requireNonNull(oack, "oack"), Objects.requireNonNull(retransmission, "retransmission"));
    }

    /** When a sender that opened with an OACK sends it again while waiting for ACK 0. */
    public enum OackRetransmission {
        /** On each retransmission timeout, like any other packet. */
        ON_TIMEOUT,
        /**
         * Never on its own: only when the peer repeats its request, which the caller sees and
         * answers (a server's listener). A client whose ACK 0 was lost repeats that ACK instead;
         * some clients (atftp) abort on a second OACK, which a timer would send them whenever
         * their ACK 0 is lost. The wait for ACK 0 then counts whole timeouts, not round trips.
         */
        ON_REQUEST
    }

    private TransferStats run(BlockSource source, OptionAck oack, OackRetransmission retransmission)
            throws IOException {
        long started = System.nanoTime();
        var state = new WindowState();
        if (oack != null) {
            state.retransmissions += awaitAckZero(TftpCodec.encode(oack), retransmission);
            listener.progress(0);
        }
        keepFirstBlock = oack == null;
        allocateRing();
        fill(source, state);
        state.progressAt = System.nanoTime();
        state.nextDuplicateAnswer = state.progressAt;
        state.deadline = state.progressAt + timer.rto();
        while (state.acked != state.last) {
            int length = channel.receive(in, state.deadline - System.nanoTime());
            if (length < 0) {
                timeout(state);
                state.deadline = System.nanoTime() + timer.rto();
                continue;
            }
            int opcode = TftpCodec.peekOpcode(in);
            if (opcode == Opcode.OACK.wireValue() && oack == null) {
                continue; // a repeat of the server's answer to our WRQ; DATA is already on its way
            }
            if (opcode != Opcode.ACK.wireValue() || length != 4) {
                throw unexpected(in, state.acked + 1);
            }
            // A forward ACK names a block in (acked, sent]; with at most 32,767 blocks in flight
            // (NegotiatedOptions.MAX_WINDOW) every other 16-bit value is a duplicate or a stale
            // ACK from up to 32,768 blocks back: a stale one is ignored, a duplicate answered
            // only in a back-off, and neither moves the window.
            long delta = (TftpCodec.peekBlock(in) - state.acked) & 0xffff;
            if (delta == 0) {
                state.retransmissions += answerDuplicate(state);
                continue;
            }
            if (delta > state.sent - state.acked) {
                continue;
            }
            state.acked += delta;
            if (keepFirstBlock) {
                keepFirstBlock = false;
                firstBlock = null;
            }
            long now = System.nanoTime();
            long firstSent = sentAt[slot(state.acked)];
            if (firstSent != 0) {
                timer.sample(now - firstSent);
            } else {
                timer.progressed();
            }
            state.attempt = 0;
            state.progressAt = now;
            listener.progress(state.ackedBytes(params.blockSize()));
            // RFC 7440: an ACK inside the window means the blocks after it were lost or dropped
            // as out of order; the next window starts right after it.
            state.retransmissions += resend(state.acked + 1, state.sent);
            fill(source, state);
            state.deadline = System.nanoTime() + timer.rto();
        }
        return new TransferStats(state.ackedBytes(params.blockSize()), state.last,
                state.retransmissions, java.time.Duration.ofNanos(System.nanoTime() - started));
    }

    /** Reads and sends new blocks until the window is full or the final block is out. */
    private void fill(BlockSource source, WindowState state) throws IOException {
        int count = state.last >= 0 ? 0 : (int) (state.acked + ring.length - state.sent);
        if (count <= 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            ByteBuffer slot = ring[slot(state.sent + 1 + i)];
            slot.limit(slot.capacity()).position(TftpCodec.DATA_HEADER);
            batch[i] = slot;
        }
        try {
            source.read(batch, 0, count); // one system call for the window where the source can
        } catch (IOException e) {
            channel.sendError(new TftpError(ErrorCode.NOT_DEFINED, "Read error"));
            throw e;
        }
        int ready = 0;
        long now = System.nanoTime() | 1; // never 0, which means "sent again"
        while (ready < count) {
            long block = ++state.sent;
            ByteBuffer slot = batch[ready++];
            int n = slot.position() - TftpCodec.DATA_HEADER;
            TftpCodec.putDataHeader(slot, 0, block);
            slot.flip();
            sentAt[slot(block)] = now;
            if (n < params.blockSize()) {
                state.last = block;
                state.lastLength = n;
                break;
            }
        }
        if (keepFirstBlock && state.acked == 0 && firstBlock == null) {
            firstBlock = copyOf(ring[slot(1)]); // before it goes out: its repeat may be asked at once
        }
        channel.send(batch, 0, ready); // the new blocks in one system call where the platform allows
    }

    /** Sends blocks {@code from..to} again (they are in the ring, positions at 0); returns how many. */
    private int resend(long from, long to) throws IOException {
        int count = 0;
        for (long b = from; b <= to; b++) {
            sentAt[slot(b)] = 0;
            batch[count++] = ring[slot(b)];
        }
        channel.send(batch, 0, count);
        return count;
    }

    /**
     * A duplicate of the last ACK. RFC 1123 section 4.2.3.1 says never to resend on one: when a
     * DATA was only late, both sides would double every packet from then on. Once our timer has
     * fired without progress, though, the peer is repeating its ACK on its own timer because it
     * hears nothing from us, and some peers give up after a fixed number of their timeouts
     * while our back-off waits longer (issue #9: atftp re-ACKs every second and aborts after
     * about six, our back-off reached 2 s). Then the window goes again at once, at most once per
     * half RTO, so a flood of duplicates costs no more than the timer does; the deadline stays,
     * so retries still run out for a peer that only repeats itself. Returns the blocks resent.
     */
    private int answerDuplicate(WindowState state) throws IOException {
        long now = System.nanoTime();
        if (state.attempt == 0 || now - state.nextDuplicateAnswer < 0) {
            return 0;
        }
        state.nextDuplicateAnswer = now + timer.rto() / 2;
        return resend(state.acked + 1, state.sent);
    }

    /**
     * DATA 1, while the peer has not acknowledged it and the transfer opened without an OACK: a
     * server answers a repeated plain request with it (the client never got DATA 1), as it
     * answers a repeated request with options with the OACK. Safe to call from any thread.
     */
    public Optional<ByteBuffer> unacknowledgedFirstBlock() {
        ByteBuffer data = firstBlock;
        return data == null ? Optional.empty() : Optional.of(data.duplicate());
    }

    private static ByteBuffer copyOf(ByteBuffer packet) {
        ByteBuffer copy = ByteBuffer.allocate(packet.remaining());
        copy.put(packet.duplicate()).flip();
        return copy.asReadOnlyBuffer();
    }

    private void timeout(WindowState state) throws IOException {
        if (params.exhausted(state.attempt, System.nanoTime() - state.progressAt)) {
            throw giveUp("no ACK for block " + (state.acked + 1));
        }
        state.attempt++;
        if (firstBlockOnRequest && state.acked == 0) {
            return; // the wait for ACK 1 counts whole timeouts; a repeated request resends DATA 1
        }
        timer.backOff();
        state.retransmissions += resend(state.acked + 1, state.sent);
    }

    /** RFC 2347: after an OACK on a read, the client's ACK 0 starts the data. */
    private long awaitAckZero(ByteBuffer oack, OackRetransmission retransmission) throws IOException {
        boolean onTimeout = retransmission == OackRetransmission.ON_TIMEOUT;
        long retransmissions = 0;
        long started = System.nanoTime();
        channel.send(oack.duplicate());
        long wait = onTimeout ? timer.rto() : params.timeout().toNanos();
        long deadline = started + wait;
        for (int attempt = 0; ; ) {
            int length = channel.receive(in, deadline - System.nanoTime());
            if (length < 0) {
                if (params.exhausted(attempt++, System.nanoTime() - started)) {
                    throw giveUp("no ACK for the OACK");
                }
                if (onTimeout) {
                    timer.backOff();
                    channel.send(oack.duplicate());
                    retransmissions++;
                    wait = timer.rto();
                }
                deadline = System.nanoTime() + wait;
            } else if (TftpCodec.peekOpcode(in) == Opcode.ACK.wireValue() && length == 4) {
                if (TftpCodec.peekBlock(in) == 0) {
                    if (onTimeout && retransmissions == 0) {
                        // The first round trip (on request, the OACK may have been sent again by
                        // someone else, so no sample: the first DATA gives one).
                        timer.sample(System.nanoTime() - started);
                    }
                    return retransmissions;
                }
            } else {
                throw unexpected(in, 0);
            }
        }
    }

    private int slot(long block) {
        return (int) (block % ring.length);
    }

    private TftpException giveUp(String what) {
        String message = "timed out after " + params.retries() + " retries: " + what;
        channel.sendError(new TftpError(ErrorCode.NOT_DEFINED, "Timeout"));
        return new TftpException(ErrorCode.NOT_DEFINED, message);
    }

    private TftpException unexpected(ByteBuffer packet, long expecting) {
        return Peer.unexpected(channel, packet, "ACK " + (expecting & 0xffff));
    }

    /** Where the window stands, in absolute block numbers (block 1 is the first). */
    private static final class WindowState {
        long acked;
        long sent;
        long last = -1;
        int lastLength;
        int attempt;
        /** When the current wait ends; packets that make no progress do not extend it. */
        long deadline;
        /** When the window last moved. */
        long progressAt;
        /** The earliest a duplicate ACK may send the window again ({@link Sender#answerDuplicate}). */
        long nextDuplicateAnswer;
        long retransmissions;

        long ackedBytes(int blockSize) {
            return acked == last ? (last - 1) * blockSize + lastLength : acked * blockSize;
        }
    }
}
