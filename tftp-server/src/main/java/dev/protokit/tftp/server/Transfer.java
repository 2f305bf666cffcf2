package dev.protokit.tftp.server;

import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.common.daemon.UdpSession;
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
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TransferMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Runs one admitted request on its own socket (its TID) and virtual thread: an RRQ is a
 * {@link Sender} over the file, a WRQ a {@link Receiver} into an {@link AtomicUpload}. The
 * socket is not connected, so the engine answers packets from any other TID with ERROR 5 and
 * the transfer goes on (RFC 1350 section 4). Runs as a {@link UdpServer} session: the runtime
 * holds its permit, cuts it when it stalls and logs its line, with the details added here.
 */
final class Transfer implements UdpServer.SessionTask {
    private final TransferPlan plan;
    private final TftpServerConfig config;
    private final DatagramChannel socket;
    private UdpSession session;
    /** The longest a finished read keeps its TID open for late packets. */
    private static final long MAX_DALLY_NANOS = 1_000_000_000L;
    private static final ByteBuffer CUT_ERROR =
            TftpCodec.encode(new TftpError(ErrorCode.NOT_DEFINED, "Timeout")).asReadOnlyBuffer();
    private static final ByteBuffer SHUTDOWN_ERROR =
            TftpCodec.encode(new TftpError(ErrorCode.NOT_DEFINED, "Server shutting down")).asReadOnlyBuffer();

    /** @param socket the transfer's own bound socket; the transfer owns and closes it */
    Transfer(TransferPlan plan, TftpServerConfig config, DatagramChannel socket) {
        this.plan = plan;
        this.config = config;
        this.socket = socket;
    }

    @Override
    public void run(UdpSession session) throws IOException {
        this.session = session;
        var agreed = TransferParameters.of(plan.negotiation().agreed(), config.timeout(), config.retries());
        // After an upload's final ACK, stay (RFC 1350 section 6) long enough for the client's
        // repeat of its last DATA even when its first repeat is lost too: one timeout plus the
        // longest back-off (3 s by default). A client whose timer equals ours (atftp, 1 s) sends
        // its first repeat just as a one-timeout linger ends; atftp puts at 20% loss failed so.
        // The file is committed before the final ACK: the linger delays only the log line.
        var params = agreed.withLinger(agreed.timeout().plus(agreed.maxBackoff()));
        // No progress for longer than the engine's whole retry budget at this transfer's own
        // timeout: a peer that keeps it busy without moving it (stale ACKs) is cut off.
        session.idleLimit(params.timeout().multipliedBy(params.retries() + 2L).plus(params.maxBackoff()));
        session.onCut(this::cut);
        session.detail("transfer", plan.direction());
        session.detail("file", RootJail.quote(plan.request().filename()));
        session.detail("mode", plan.request().mode().wireName());
        session.detail("options", TransferLog.options(plan));
        long started = System.nanoTime();
        long bytes = 0;
        try (var channel = open()) {
            TransferStats stats = plan.direction() == Direction.GET ? get(channel, params) : put(channel, params);
            session.detail("retransmissions", stats.retransmissions());
            bytes = stats.bytes();
            TransferLog.measured(session, bytes, stats.elapsed().toNanos());
        } catch (TftpException e) {
            session.outcome(e.getMessage().startsWith("timed out") ? SessionOutcome.TIMED_OUT : SessionOutcome.PROTOCOL_ERROR);
            session.detail("error", "\"" + e.code() + ": " + e.getMessage() + "\"");
            TransferLog.measured(session, progress, System.nanoTime() - started);
        } catch (IOException e) {
            TransferLog.measured(session, progress, System.nanoTime() - started);
            throw e;
        }
    }

    private volatile long progress;
    /** Set once the client acknowledged the transfer's first answer (any progress, ACK 0 included). */
    private volatile boolean opened;

    private void progressed(long bytes) {
        opened = true;
        progress = bytes;
        session.progressed();
        session.handshakeComplete();
    }

    /**
     * Run by the server's watchdog (or shutdown) when this transfer is cut: tells the client
     * (RFC 1350 allows an ERROR at any time) and closes the socket, which frees its port at once
     * and makes the engine fail on its next call.
     */
    private void cut(SessionOutcome why) throws IOException {
        try (socket) {
            ByteBuffer error = why == SessionOutcome.SHUTDOWN ? SHUTDOWN_ERROR : CUT_ERROR;
            socket.send(error.duplicate(), plan.peer());
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
            // Resolved beneath the root again in the same call that opens it: a link or directory
            // swapped since the jail's check leads to a refusal here, never outside.
            file = plan.path().openRead();
        } catch (IOException e) {
            channel.sendError(new TftpError(ErrorCode.ACCESS_VIOLATION, ErrorCode.ACCESS_VIOLATION.description()));
            throw e;
        }
        try (file) {
            // Exactly the size announced in the OACK's tsize, if one was: appended bytes are not
            // sent, and a file that shrank fails the transfer (issue #9: a growing file went
            // out 16 KiB past its tsize and was logged ok).
            var announced = plan.negotiation().agreed().transferSize();
            BlockSource source = announced.isPresent() ? new FileBlockSource(file, announced.getAsLong())
                    : new FileBlockSource(file);
            if (plan.request().mode() == TransferMode.NETASCII) {
                source = new NetasciiBlockSource(source);
            }
            var sender = new Sender(channel, params, this::progressed);
            Optional<OptionAck> oack = plan.negotiation().reply();
            TransferStats stats;
            if (oack.isPresent()) {
                // The OACK goes again only when the client repeats its request (it never got the
                // OACK); a client whose ACK 0 was lost repeats that ACK. atftp aborts on a second
                // OACK, which a timer would send it whenever its ACK 0 is lost (issue #9).
                ByteBuffer encoded = TftpCodec.encode(oack.get()).asReadOnlyBuffer();
                session.onRepeat(() -> {
                    if (!opened) {
                        socket.send(encoded.duplicate(), plan.peer());
                    }
                });
                stats = sender.send(source, oack.get(), Sender.OackRetransmission.ON_REQUEST);
            } else {
                // A repeated plain request means DATA 1 was lost: it goes again at once, as the
                // OACK does above, and never on a timer until the peer acknowledges it (a forged
                // source must not get six DATA packets for one request).
                session.onRepeat(() -> {
                    var data = sender.unacknowledgedFirstBlock();
                    if (data.isPresent()) {
                        socket.send(data.get(), plan.peer());
                    }
                });
                stats = sender.sendFirstBlockOnRequest(source);
            }
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
            Optional<OptionAck> oack = plan.negotiation().reply();
            TransferListener listener = this::progressed;
            try {
                if (oack.isPresent()) {
                    // As for a read: the OACK goes again only when the client repeats its WRQ;
                    // atftp takes a timer OACK after its lost DATA 1 for a new start and skips block 1.
                    ByteBuffer encoded = TftpCodec.encode(oack.get()).asReadOnlyBuffer();
                    session.onRepeat(() -> {
                        if (!opened) {
                            socket.send(encoded.duplicate(), plan.peer());
                        }
                    });
                    return new Receiver(channel, params, listener).receive(sink, oack.get(), Sender.OackRetransmission.ON_REQUEST);
                }
                return new Receiver(channel, params, listener).receive(sink, new Ack(0));
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
