package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.Opcode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpPacket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * Receives a file as DATA blocks over one {@link TransferChannel}: a server accepting a WRQ, or
 * a client reading after its RRQ. Blocks are written in order; RFC 7440: the receiver acks at
 * the end of each window, and on a timeout or a block ahead of the next expected one it acks
 * the last block it has in order (once per gap), so the sender resumes right after it. A
 * sender that goes back to a block at or before our last ACK never got that ACK (it timed out
 * and sends its window again): the first block of such a burst is acked again, so a lost ACK
 * costs the sender's timeout and nothing more (in lock-step this re-acks every repeat, as
 * RFC 1350 does). Repeats after our last ACK are not acked: they are the sender following it.
 * The timeout is measured from this transfer's round trips ({@link RetransmitTimer}). After the
 * final ACK it lingers for {@link TransferParameters#linger()} and acks the final window sent
 * again, in case that ACK was lost (RFC 1350 section 6). After block 65535 a sender may go on
 * with 0 or with 1 ({@link Rollover}); the receiver follows either.
 *
 * <p>Memory: one receive buffer of {@code blockSize + 5} bytes; nothing per packet. One
 * Receiver per transfer, used on one thread.
 */
public final class Receiver {
    private final TransferChannel channel;
    private final TransferParameters params;
    private final TransferListener listener;
    private final ByteBuffer in;
    private final ByteBuffer ack = ByteBuffer.allocateDirect(4);
    private boolean pending;
    private final RetransmitTimer timer;
    /** When the last ACK that asked for new data was sent once (a round-trip sample starts), or 0. */
    private long askedAt;
    /** What the sender numbers the block after 65535: 0 until it proves otherwise ({@link #absolute}). */
    private Rollover rollover = Rollover.TO_ZERO;
    /** Whether the opening is sent again when DATA 1 does not come in time (see the OACK {@code receive}). */
    private boolean openingOnTimer = true;

    /** A receiver for one transfer; nothing is sent until {@code receive}. */
    public Receiver(TransferChannel channel, TransferParameters params, TransferListener listener) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.params = Objects.requireNonNull(params, "params");
        this.listener = Objects.requireNonNull(listener, "listener");
        channel.reserveBuffers(TransferChannel.bufferFor(params));
        this.timer = new RetransmitTimer(params);
        // One spare byte: a datagram that fills it is longer than the block size.
        this.in = ByteBuffer.allocateDirect(TftpCodec.DATA_HEADER + params.blockSize() + 1);
    }

    /**
     * Sends {@code opening} and receives the file, repeating {@code opening} on timeouts until
     * DATA 1 arrives. The opening is ACK 0 (a server's answer to a plain WRQ, or a client's
     * answer to an OACK on a read) or an OACK (a server's answer to a WRQ with options).
     *
     * @throws TftpException on an ERROR from the peer, a protocol violation by the peer (it is
     *                       sent ERROR 4), or when the retries run out (it is sent ERROR 0)
     */
    public TransferStats receive(BlockSink sink, TftpPacket opening) throws IOException {
        if (!(opening instanceof Ack a && a.block() == 0) && !(opening instanceof OptionAck)) {
            throw new IllegalArgumentException("opening must be ACK 0 or an OACK, not " + opening);
        }
        ByteBuffer encoded = TftpCodec.encode(opening);
        channel.send(encoded.duplicate());
        askedAt = System.nanoTime();
        return run(sink, encoded);
    }

    /**
     * Like {@link #receive(BlockSink, TftpPacket)} with an OACK (a server's answer to a WRQ with
     * options), but with {@link Sender.OackRetransmission#ON_REQUEST} the OACK goes again only
     * when the peer repeats its WRQ, which the caller answers; never on a timer. atftp takes
     * every OACK during a put for the answer to its WRQ and goes on with the next block number,
     * so a timer OACK after a lost DATA 1 made it skip block 1; and until the peer has sent
     * DATA its address may be forged. The wait for DATA 1 then counts whole timeouts.
     */
    public TransferStats receive(BlockSink sink, OptionAck oack, Sender.OackRetransmission retransmission)
            throws IOException {
        openingOnTimer = retransmission == Sender.OackRetransmission.ON_TIMEOUT;
        return receive(sink, oack);
    }

    /**
     * Receives the rest of a file whose DATA 1 already arrived: a client whose RRQ was answered
     * without an OACK (plain RFC 1350, or a server that ignored the options).
     */
    public TransferStats continueFrom(Data first, BlockSink sink) throws IOException {
        if (first.block() != 1 || first.length() > params.blockSize()) {
            throw new IllegalArgumentException("not a first block: " + first);
        }
        in.clear();
        TftpCodec.encode(first, in);
        in.flip();
        pending = true;
        return run(sink, null);
    }

    private TransferStats run(BlockSink sink, ByteBuffer opening) throws IOException {
        long started = System.nanoTime();
        // A client that answered an OACK with ACK 0 may see that OACK again (RFC 2347 section 2).
        boolean answersOack = opening != null && TftpCodec.peekOpcode(opening) == Opcode.ACK.wireValue();
        var w = new Window();
        long bytes = 0;
        long retransmissions = 0;
        int attempt = 0;
        // Packets that make no progress (repeats, out of order) do not extend the wait.
        long progressAt = System.nanoTime();
        long deadline = progressAt + timer.rto();
        while (true) {
            int length = pending ? in.remaining() : channel.receive(in, deadline - System.nanoTime());
            pending = false;
            if (length < 0) {
                if (params.exhausted(attempt++, System.nanoTime() - progressAt)) {
                    throw giveUp("no DATA block " + (w.expected & 0xffff));
                }
                timer.backOff();
                deadline = System.nanoTime() + timer.rto();
                if (w.expected == 1 && opening != null) {
                    if (!openingOnTimer) {
                        askedAt = 0; // DATA 1 may answer a repeat the caller sent: no sample
                        continue; // the opening goes again only for a repeated request
                    }
                    channel.send(opening.duplicate());
                    askedAt = 0; // Karn: a reply to a repeated opening is no sample
                } else {
                    ack(w, false, bytes);
                }
                retransmissions++;
                continue;
            }
            int opcode = TftpCodec.peekOpcode(in);
            if (opcode == Opcode.OACK.wireValue() && answersOack) {
                if (w.expected == 1) {
                    channel.send(opening.duplicate()); // our ACK 0 was lost: answer the repeat
                }
                continue; // a late repeat of the server's OACK: the data is already flowing
            }
            if (opcode != Opcode.DATA.wireValue() || length < TftpCodec.DATA_HEADER
                    || length > TftpCodec.DATA_HEADER + params.blockSize()) {
                throw Peer.unexpected(channel, in, "DATA " + (w.expected & 0xffff));
            }
            long block = absolute(w, TftpCodec.peekBlock(in));
            if (block == Rollover.NONE) {
                continue;
            }
            if (askedAt != 0 && block > w.acked) {
                timer.sample(System.nanoTime() - askedAt); // our ACK to the first new block it brought
                askedAt = 0;
            }
            boolean restart = block <= w.lastSeen; // the sender went back: a new burst begins
            w.lastSeen = block;
            if (block != w.expected) {
                // In lock-step a correct sender never sends ahead, so each block ahead is
                // answered: atftp, after a lost DATA 1 of a put with an OACK, sends 2, 3, 4 ...
                // one per timeout and goes back to 1 only for an ACK 0.
                boolean lockStep = params.windowSize() == 1;
                if (block > w.expected ? lockStep || !w.gapAcked : restart && block <= w.acked) {
                    // A gap: RFC 7440, ACK the last block received in order, once per gap. A burst
                    // that restarts at or before our last ACK: the sender never got that ACK
                    // (it timed out), so ACK again, once per burst. Repeats after our last ACK
                    // are the sender following it: an ACK for them would land in the middle of
                    // its window and make it resend what we have, window after window.
                    ack(w, false, bytes);
                    w.gapAcked = block > w.expected;
                }
                continue;
            }
            int payload = length - TftpCodec.DATA_HEADER;
            long now = System.nanoTime();
            in.position(TftpCodec.DATA_HEADER);
            write(sink, in);
            bytes += payload;
            w.expected++;
            w.inWindow++;
            w.gapAcked = false;
            if (attempt > 0) {
                timer.progressed();
            }
            attempt = 0;
            progressAt = now;
            deadline = now + timer.rto();
            if (payload < params.blockSize()) {
                finish(sink);
                sendAck(w.expected - 1);
                listener.progress(bytes);
                var stats = new TransferStats(bytes, w.expected - 1, retransmissions,
                        Duration.ofNanos(System.nanoTime() - started));
                linger(w.expected - 1);
                return stats;
            }
            if (w.inWindow == params.windowSize()) {
                ack(w, true, bytes);
            }
        }
    }

    /**
     * ACKs the last block received in order. The sender's next window starts after it, so the
     * count of blocks in the window starts again. Only an ACK at the end of a full window times
     * a round trip (Karn): after any other, the next block may be one sent long before. An ACK
     * that covers new blocks is progress, whatever made us send it: under heavy loss a full
     * window in order is rare (0.8^16 at 20% loss and window 16), and a server that heard of
     * progress only then cut an upload as stalled (issue #9: handshake-timeout after 10 s).
     */
    private void ack(Window w, boolean endOfWindow, long bytes) throws IOException {
        boolean moved = w.expected - 1 > w.acked;
        if (moved) {
            // Before the ACK goes out: a server stops answering a repeated WRQ with its OACK on
            // progress, and a client may repeat its WRQ the moment it has our ACK.
            listener.progress(bytes);
        }
        sendAck(w.expected - 1);
        w.acked = w.expected - 1;
        w.inWindow = 0;
        w.gapAcked = false;
        askedAt = endOfWindow ? System.nanoTime() : 0;
    }

    /**
     * RFC 1350 section 6: stay to re-ACK the final block if our ACK was lost. A sender that
     * missed it sends its last window again: ACK the last block and the start of each burst.
     */
    private void linger(long lastBlock) throws IOException {
        long deadline = System.nanoTime() + params.linger().toNanos();
        int before = 0; // how far the previous block was before the last one
        for (long left = params.linger().toNanos(); left > 0; left = deadline - System.nanoTime()) {
            int length = channel.receive(in, left);
            if (length >= TftpCodec.DATA_HEADER && TftpCodec.peekOpcode(in) == Opcode.DATA.wireValue()) {
                long block = rollover.absolute(TftpCodec.peekBlock(in), lastBlock);
                int back = block == Rollover.NONE ? 0xffff : (int) Math.floorMod(lastBlock - block, 0x10000L);
                if (back < params.windowSize() && (back == 0 || back >= before)) {
                    sendAck(lastBlock);
                }
                before = back;
            }
        }
    }

    /** Where the receiver stands, in absolute block numbers (block 1 is the first). */
    private static final class Window {
        long expected = 1;
        /** The last block we sent an ACK for (0: the opening, or the request). */
        long acked;
        /** The last DATA block that arrived, in order or not. */
        long lastSeen;
        /** In-order blocks since our last ACK. */
        int inWindow;
        boolean gapAcked;

    }

    /**
     * A 16-bit block number as the absolute block nearest to the next expected one. At the
     * first rollover, while block 65536 is awaited, a sender numbering from 0 can send at most
     * up to our last ACK + window, whose wire number is window - 1 or less; a block numbered as
     * the one after that is the last of a window numbered from 1 (in lock-step: block 1 right
     * after 65535), so from then on the sender's numbering is {@link Rollover#TO_ONE}.
     */
    private long absolute(Window w, int wire) {
        long block = rollover.absolute(wire, w.expected);
        if (w.expected == 65536 && rollover == Rollover.TO_ZERO && block == w.acked + params.windowSize() + 1) {
            rollover = Rollover.TO_ONE;
            block = rollover.absolute(wire, w.expected);
        }
        return block;
    }

    private void sendAck(long block) throws IOException {
        ack.clear();
        TftpCodec.putAck(ack, rollover.wire(block));
        channel.send(ack.flip());
    }

    private void write(BlockSink sink, ByteBuffer data) throws IOException {
        try {
            sink.write(data);
        } catch (IOException e) {
            throw localFailure(e);
        }
    }

    private void finish(BlockSink sink) throws IOException {
        try {
            sink.finish();
        } catch (IOException e) {
            throw localFailure(e);
        }
    }

    /** Tells the peer why the transfer stops, then lets the local failure propagate. */
    private IOException localFailure(IOException e) {
        String message = String.valueOf(e.getMessage());
        ErrorCode code = message.contains("No space left") || message.contains("Disk quota")
                ? ErrorCode.DISK_FULL : ErrorCode.NOT_DEFINED;
        channel.sendError(new TftpError(code, code.description()));
        return e;
    }

    private TftpException giveUp(String what) {
        channel.sendError(new TftpError(ErrorCode.NOT_DEFINED, "Timeout"));
        return new TftpException(ErrorCode.NOT_DEFINED,
                "timed out after " + params.retries() + " retries: " + what);
    }
}
