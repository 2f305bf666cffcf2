package dev.protokit.tftp.server;

import dev.protokit.tftp.engine.BlockSink;
import dev.protokit.tftp.engine.BlockSource;
import dev.protokit.tftp.engine.FileBlockSource;
import dev.protokit.tftp.engine.NetasciiBlockSink;
import dev.protokit.tftp.engine.NetasciiBlockSource;
import dev.protokit.tftp.engine.Receiver;
import dev.protokit.tftp.engine.Sender;
import dev.protokit.tftp.engine.TransferChannel;
import dev.protokit.tftp.engine.TransferListener;
import dev.protokit.tftp.engine.TransferParameters;
import dev.protokit.tftp.engine.TransferStats;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpPacket;
import dev.protokit.tftp.wire.TransferMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one admitted request on its own socket (its TID) and virtual thread: an RRQ is a
 * {@link Sender} over the file, a WRQ a {@link Receiver} into an {@link AtomicUpload}. The
 * socket is not connected, so the engine answers packets from any other TID with ERROR 5 and
 * the transfer goes on (RFC 1350 section 4). Always ends with one {@link TransferLog} line and
 * the limiter permit released.
 */
final class Transfer implements Runnable {
    private final TransferPlan plan;
    private final TftpServerConfig config;
    private final DatagramChannel socket;
    private final Consumer<Transfer> onEnd;
    private final AtomicLong progress = new AtomicLong();
    private volatile long lastProgressNanos = System.nanoTime();
    /** The longest a finished read keeps its TID open for late packets. */
    private static final long MAX_DALLY_NANOS = 1_000_000_000L;

    /**
     * @param socket the transfer's own bound socket; the transfer owns and closes it
     * @param onEnd run last, whatever the outcome (removes the transfer from the running set)
     */
    Transfer(TransferPlan plan, TftpServerConfig config, DatagramChannel socket, Consumer<Transfer> onEnd) {
        this.plan = plan;
        this.config = config;
        this.socket = socket;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        String outcome = "ok";
        long retransmissions = -1; // unknown unless the engine returns its stats
        long elapsed = -1;
        try (var permit = plan.permit(); var channel = open()) {
            var params = TransferParameters.of(plan.negotiation().agreed(), config.timeout(), config.retries());
            TransferStats stats = plan.direction() == Direction.GET ? get(channel, params) : put(channel, params);
            retransmissions = stats.retransmissions();
            progress.set(stats.bytes());
            elapsed = stats.elapsed().toNanos(); // first packet to final ACK, without the receiver's linger
        } catch (TftpException e) {
            outcome = "failed " + e.code() + ": " + e.getMessage();
        } catch (IOException e) {
            outcome = "failed I/O: " + e;
        } catch (RuntimeException e) {
            outcome = "failed: " + e;
            TransferLog.bug(plan, e);
        } finally {
            try {
                long nanos = elapsed >= 0 ? elapsed : System.nanoTime() - started;
                TransferLog.finished(plan, progress.get(), retransmissions, nanos, outcome);
            } finally {
                onEnd.accept(this);
            }
        }
    }

    private void progressed(long bytes) {
        progress.set(bytes);
        lastProgressNanos = System.nanoTime();
    }

    /**
     * Closes the socket of a transfer that has made no progress for {@code limitNanos}: a safety
     * net under the engine's own retry budget, so a peer that keeps a transfer busy without
     * moving it (repeated stale ACKs) cannot hold its place for ever.
     *
     * @return true if the transfer was cut off
     */
    boolean cutOffIfStalled(long now, long limitNanos) {
        if (now - lastProgressNanos <= limitNanos || !socket.isOpen()) {
            return false;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closed enough: the engine fails on its next socket call either way
        }
        return true;
    }

    /** Closes the transfer's socket, so its engine fails at once (forced shutdown). */
    void cutOff() {
        try {
            socket.close();
        } catch (IOException e) {
            // the transfer reports its own failure
        }
    }

    private TransferChannel open() throws IOException {
        try {
            return TransferChannel.open(socket, plan.peer(), false);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private TransferStats get(TransferChannel channel, TransferParameters params) throws IOException {
        FileChannel file;
        try {
            // The jail resolved the real path; NOFOLLOW_LINKS refuses a link swapped in since.
            file = FileChannel.open(plan.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            channel.sendError(new TftpError(ErrorCode.ACCESS_VIOLATION, ErrorCode.ACCESS_VIOLATION.description()));
            throw e;
        }
        try (file) {
            BlockSource source = new FileBlockSource(file);
            if (plan.request().mode() == TransferMode.NETASCII) {
                source = new NetasciiBlockSource(source);
            }
            var sender = new Sender(channel, params, this::progressed);
            Optional<OptionAck> oack = plan.negotiation().reply();
            TransferStats stats = oack.isPresent() ? sender.send(source, oack.get()) : sender.send(source);
            dally(channel, params);
            return stats;
        }
    }

    /**
     * After the final ACK, keeps the TID open for a moment and swallows what still arrives: a
     * client that re-ACKs a duplicate of the last block (sent before its ACK reached us) would
     * otherwise get an ICMP port unreachable, which some clients report as a failed transfer.
     */
    private static void dally(TransferChannel channel, TransferParameters params) throws IOException {
        long dally = Math.min(params.timeout().toNanos(), MAX_DALLY_NANOS);
        long deadline = System.nanoTime() + dally;
        ByteBuffer scratch = ByteBuffer.allocate(16);
        for (long left = dally; left > 0; left = deadline - System.nanoTime()) {
            channel.receive(scratch, left);
        }
    }

    private TransferStats put(TransferChannel channel, TransferParameters params) throws IOException {
        AtomicUpload upload;
        try {
            upload = AtomicUpload.begin(plan.path(), config.maxUploadSize());
        } catch (IOException e) {
            channel.sendError(new TftpError(ErrorCode.ACCESS_VIOLATION, ErrorCode.ACCESS_VIOLATION.description()));
            throw e;
        }
        try (upload) {
            var committing = new CommittingSink(upload);
            BlockSink sink = plan.request().mode() == TransferMode.NETASCII ? new NetasciiBlockSink(committing) : committing;
            TftpPacket opening = plan.negotiation().reply().<TftpPacket>map(o -> o).orElse(new Ack(0));
            TransferListener listener = this::progressed;
            try {
                return new Receiver(channel, params, listener).receive(sink, opening);
            } catch (TftpException e) {
                if (committing.refusal != null) {
                    // The quota tripped inside the sink: tell the client (RFC 1350 error 3).
                    channel.sendError(new TftpError(e.code(), e.code().description()));
                }
                throw e;
            }
        }
    }

    /**
     * Writes into the upload and commits it (fsync + atomic rename) from {@link #finish()}, which
     * the receiver calls before its final ACK: when the client hears the transfer succeeded,
     * the new file is in place.
     */
    private static final class CommittingSink implements BlockSink {
        private final AtomicUpload upload;
        private TftpException refusal;

        CommittingSink(AtomicUpload upload) {
            this.upload = upload;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            try {
                upload.write(src);
            } catch (TftpException e) {
                refusal = e;
                throw e;
            }
        }

        @Override
        public void finish() throws IOException {
            upload.commit();
        }
    }
}
