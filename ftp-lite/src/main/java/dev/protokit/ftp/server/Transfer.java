package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data transfer (RETR, STOR, APPE, STOU, LIST, NLST, MLSD) running on its own virtual thread
 * while the session thread keeps reading commands. It opens the data connection, says 150,
 * moves the bytes through its {@link Body}, closes the connection (TLS close_notify first) and
 * then says 226, or the failure reply. {@link #abort()} may be called from any thread; see
 * CONCURRENCY.md for how ABOR, the watchdog and the session share this object.
 */
final class Transfer {
    private static final Logger LOG = LoggerFactory.getLogger(Transfer.class);

    /** What the transfer does with the open connection. */
    interface Body {
        /** Moves the data; returns the number of bytes moved. */
        long run(DataConnection data, Transfer transfer) throws IOException;

        /**
         * When the data ended ({@code System.nanoTime()}) plus how long the control connection must
         * then stay up for the transfer to count as complete; no wait by default. See {@link Upload}.
         */
        default long settleDeadline() {
            return System.nanoTime();
        }

        /** Called after the connection closed cleanly, before the commit checks (an upload syncs its file). */
        default void finish() throws IOException {}

        /** Called after {@link #finish}, before 226, if the client is still there (an upload renames into place). */
        default void commit() throws IOException {}

        /** Called last, whatever happened (an upload deletes its temporary file). */
        default void cleanup() {}
    }

    /** How to protect the data connection (PROT P): TLS 1.2 only or not, and the session to resume, if required. */
    record Protection(SSLContext context, boolean tls12Only, Optional<SSLSession> mustResume) {}

    private final ControlChannel control;
    private final DataRoute route;
    private final Optional<Protection> protection;
    private final Duration timeout;
    private final String opening;
    private final Body body;
    private final String description;
    private final String who;
    private final Consumer<Transfer> finished;
    private final AtomicLong bytes = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile DataConnection data;
    private volatile boolean aborted;
    private volatile long lastProgress = System.nanoTime();
    private volatile Outcome outcome = Outcome.FAILED;

    /** How a transfer ended, for the transfer log. */
    enum Outcome { COMPLETE, ABORTED, FAILED }

    /** {@code who} names the session in log lines (peer and user). */
    Transfer(ControlChannel control, DataRoute route, Optional<Protection> protection, Duration timeout,
             String opening, String description, String who, Body body, Consumer<Transfer> finished) {
        this.who = who;
        this.control = control;
        this.route = route;
        this.protection = protection;
        this.timeout = timeout;
        this.opening = opening;
        this.description = description;
        this.body = body;
        this.finished = finished;
    }

    /** Runs the transfer; called on the transfer's own thread. */
    void run() {
        try {
            Reply result;
            try {
                result = transfer();
            } catch (RuntimeException e) {
                LOG.warn("transfer of {} for {} failed: {}", description, who, e.toString(), e);
                DataConnection d = data;
                if (d != null) {
                    d.abort();
                }
                result = Reply.of(ReplyCode.LOCAL_ERROR, "Local error in processing; transfer aborted.");
            } finally {
                // Before the final reply: a client that sees 426 finds no temporary file left.
                body.cleanup();
            }
            control.reply(result);
        } catch (IOException e) {
            // the control connection is gone; the session thread will notice
        } finally {
            finished.accept(this);
            done.countDown();
            control.post(new ControlChannel.TransferDone(this));
        }
    }

    private Reply transfer() throws IOException {
        try {
            data = DataConnection.open(route, timeout);
        } catch (IOException e) {
            LOG.info("no data connection for {} ({}): {}", description, who, aborted ? "aborted" : e.toString());
            return aborted ? Reply.of(ReplyCode.TRANSFER_ABORTED, "Transfer aborted.")
                    : Reply.of(ReplyCode.CANNOT_OPEN_DATA, "Can't open data connection.");
        }
        touch();
        if (aborted) {
            data.abort();
            return Reply.of(ReplyCode.TRANSFER_ABORTED, "Transfer aborted.");
        }
        try {
            control.reply(Reply.of(ReplyCode.FILE_STATUS_OK, opening));
        } catch (IOException e) {
            data.abort();
            throw e;
        }
        try {
            data.readTimeout(timeout);
            if (protection.isPresent()) {
                Protection p = protection.get();
                data.startTls(p.context(), p.tls12Only(), p.mustResume(), timeout);
            }
            touch();
            body.run(data, this);
            if (aborted) {
                throw new IOException("aborted");
            }
            // close_notify (RFC 8446 6.1, RFC 5246 7.2.1) before the 226, so the client can tell
            // a complete file from a truncated one; sent at once, before an upload's fsync, since
            // clients (ftplib's unwrap, curl) wait for it before they read the 226.
            data.close();
            body.finish();
            if (aborted || control.goneBy(body.settleDeadline())) {
                // In stream mode a clean EOF ends the file (RFC 959 3.4.1); a client whose control
                // connection is gone did not finish (it was killed: its kernel closed both
                // connections), so its upload is not committed.
                throw new IOException("control connection gone before the transfer completed");
            }
            try {
                body.commit();
            } catch (IOException e) {
                LOG.warn("could not store {} for {}: {}", description, who, e.toString());
                return StorageErrors.isFull(e) ? StorageErrors.fullReply()
                        : Reply.of(ReplyCode.LOCAL_ERROR, "Local error: the file could not be stored.");
            }
            outcome = Outcome.COMPLETE;
            return Reply.of(ReplyCode.CLOSING_DATA, "Transfer complete.");
        } catch (FtpException e) {
            data.abort();
            LOG.info("transfer of {} for {} refused after {} bytes: {}", description, who, bytes.get(), e.getMessage());
            return e.reply();
        } catch (IOException e) {
            data.abort();
            if (StorageErrors.isFull(e)) {
                LOG.warn("transfer of {} for {} failed after {} bytes: {}", description, who, bytes.get(), e.toString());
                return StorageErrors.fullReply();
            }
            LOG.info("transfer of {} for {} {} after {} bytes: {}", description, who, aborted ? "aborted" : "failed",
                    bytes.get(), e.toString());
            if (aborted) {
                outcome = Outcome.ABORTED;
                return Reply.of(ReplyCode.TRANSFER_ABORTED, "Transfer aborted.");
            }
            return Reply.of(ReplyCode.TRANSFER_ABORTED, "Data connection failed; transfer aborted.");
        }
    }

    /** Counts bytes moved and notes progress for the stall watchdog. */
    void progress(long n) {
        bytes.addAndGet(n);
        touch();
    }

    void touch() {
        lastProgress = System.nanoTime();
    }

    /** True once {@link #abort()} was called (ABOR, stall, session end). */
    boolean aborted() {
        return aborted;
    }

    /** Stops the transfer: closes the listener and the data connection so blocked I/O fails. */
    void abort() {
        aborted = true;
        route.close();
        DataConnection d = data;
        if (d != null) {
            d.abort();
        }
    }

    /** Aborts if no byte moved for the data timeout (a peer that stopped reading or writing). */
    void abortIfStalled(long nowNanos) {
        if (data != null && nowNanos - lastProgress > timeout.toNanos()) {
            abort();
        }
    }

    /** Waits until the transfer thread has sent its final reply. */
    void awaitDone() throws InterruptedException {
        done.await();
    }

    long bytes() {
        return bytes.get();
    }

    Outcome outcome() {
        return outcome;
    }

    String description() {
        return description;
    }
}
