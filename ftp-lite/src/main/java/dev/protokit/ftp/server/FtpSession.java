package dev.protokit.ftp.server;

import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.common.frame.LineError;
import dev.protokit.ftp.server.ControlChannel.BadLine;
import dev.protokit.ftp.server.ControlChannel.Closed;
import dev.protokit.ftp.server.ControlChannel.Event;
import dev.protokit.ftp.server.ControlChannel.Idle;
import dev.protokit.ftp.server.ControlChannel.Line;
import dev.protokit.ftp.server.ControlChannel.Stopping;
import dev.protokit.ftp.server.ControlChannel.TransferDone;
import dev.protokit.ftp.wire.Command;
import dev.protokit.ftp.wire.CommandParser;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * One control connection from greeting to goodbye, run on the connection's virtual thread. It
 * takes {@link Event}s from the {@link ControlChannel} reader, runs commands through
 * {@link Commands}, and keeps at most one {@link Transfer} running on its own thread; commands
 * that arrive meanwhile wait in a queue, except ABOR, STAT, NOOP and QUIT (RFC 959 4.1.3).
 */
final class FtpSession {
    private final ServerContext context;
    private final Session tcp;
    private final ControlChannel control;
    private final SessionState state;
    private final Commands commands;
    /** Commands sent during a transfer, run after it; past this many the reader pauses (backpressure). */
    private static final int MAX_PENDING = 32;

    private final ArrayDeque<Command> pending = new ArrayDeque<>();
    private boolean readerPaused;
    private boolean stopping;
    private volatile Transfer transfer;

    FtpSession(ServerContext context, Session tcp, ControlChannel control, boolean implicitTls, Clock clock) {
        this.context = context;
        this.tcp = tcp;
        this.control = control;
        this.state = new SessionState(tcp.peer(), tcp.socket().getLocalAddress());
        if (implicitTls) {
            // Implicit FTPS: the whole session is protected, data included, unless the client says PROT C.
            state.pbszDone = true;
            state.protectData = true;
        }
        this.commands = new Commands(context, state, control, this, clock);
    }

    /** Serves the session until QUIT, disconnect, idle or login timeout. */
    void run() throws IOException, InterruptedException {
        context.register(control);
        try {
            serve();
        } finally {
            context.unregister(control);
        }
    }

    private void serve() throws IOException, InterruptedException {
        control.reply(Reply.of(ReplyCode.SERVICE_READY, "protokit ftp-lite ready."));
        tcp.handshakeComplete();
        tcp.onServerStop(this::serverStopping);
        control.startReader(Thread.currentThread().getName() + "-reader", () -> transfer != null);
        long loginDeadline = System.nanoTime() + context.config.loginTimeout().toNanos();
        try {
            while (true) {
                if (transfer == null && !pending.isEmpty()) {
                    if (!commands.execute(pending.poll(), true)) {
                        return;
                    }
                    continue;
                }
                if (readerPaused && transfer == null) {
                    readerPaused = false;
                    control.readNext();
                }
                Duration wait = state.loggedIn() ? Duration.ofNanos(Long.MAX_VALUE)
                        : Duration.ofNanos(loginDeadline - System.nanoTime());
                Optional<Event> event = wait.isNegative() || wait.isZero() ? Optional.empty() : control.nextEvent(wait);
                if (event.isEmpty()) {
                    tcp.outcome(SessionOutcome.LOGIN_TIMEOUT);
                    control.reply(Reply.of(ReplyCode.SERVICE_NOT_AVAILABLE, "Login timeout; closing control connection."));
                    return;
                }
                if (!handle(event.get())) {
                    return;
                }
            }
        } finally {
            abortTransfer();
            state.route(Optional.empty());
            state.fs.ifPresent(VirtualFileSystem::close);
            control.close();
        }
    }

    private boolean handle(Event event) throws IOException, InterruptedException {
        switch (event) {
            case Line(String text) -> {
                Command command;
                try {
                    command = CommandParser.parse(text);
                } catch (FtpException e) {
                    control.reply(e.reply());
                    control.readNext();
                    return true;
                }
                if (transfer != null && !command.verb().actsDuringTransfer()) {
                    pending.add(command);
                    if (pending.size() < MAX_PENDING) {
                        control.readNext();
                    } else {
                        readerPaused = true;
                    }
                    return true;
                }
                return commands.execute(command, false);
            }
            case BadLine(var error) -> {
                control.reply(Reply.of(ReplyCode.SYNTAX_ERROR, error.error() == LineError.TOO_LONG
                        ? "Command line too long." : "Command lines must end with CRLF."));
                control.readNext();
                return true;
            }
            case Closed(String why) -> {
                tcp.outcome(state.loggedIn() ? SessionOutcome.DISCONNECTED : SessionOutcome.DISCONNECTED_BEFORE_LOGIN);
                return false;
            }
            case Idle() -> {
                tcp.outcome(SessionOutcome.IDLE_TIMEOUT);
                control.reply(Reply.of(ReplyCode.SERVICE_NOT_AVAILABLE, "Timeout; closing control connection."));
                return false;
            }
            case TransferDone(Transfer done) -> {
                if (done == transfer) {
                    transfer = null;
                    control.restartLineDeadline();
                }
                return !stopping || goodbyeForShutdown();
            }
            case Stopping() -> {
                stopping = true;
                return transfer != null || goodbyeForShutdown();
            }
        }
    }

    /** Starts {@code t} on its own virtual thread; the session goes on reading commands. */
    void start(Transfer t) {
        transfer = t;
        context.register(t);
        Thread.ofVirtual().name(Thread.currentThread().getName() + "-transfer").start(t::run);
    }

    /** The running transfer, if any. */
    Optional<Transfer> transfer() {
        return Optional.ofNullable(transfer);
    }

    /** ABOR (RFC 959 4.1.3): the transfer says 426, then the caller says 226. */
    void abortTransfer() throws InterruptedException {
        Transfer t = transfer;
        if (t != null) {
            t.abort();
            t.awaitDone();
            transfer = null;
        }
    }

    /** QUIT while a transfer runs: let it finish and reply first (RFC 959 4.1.1). */
    void awaitTransfer() throws InterruptedException {
        Transfer t = transfer;
        if (t != null) {
            t.awaitDone();
            transfer = null;
        }
    }

    void loggedIn(String user) {
        tcp.detail("user", user);
    }

    /** The TCP session, for byte counts and log details. */
    Session tcp() {
        return tcp;
    }

    void outcome(SessionOutcome outcome) {
        tcp.outcome(outcome);
    }

    /**
     * Server shutdown, on the shutdown thread: only posts an event, so a client that stopped
     * reading cannot hold the shutdown thread. The session thread then says 421 and closes (an idle
     * session at once, a transferring one when its transfer ends); if that write blocks, the
     * server force-closes the socket when the grace period ends.
     */
    private void serverStopping() {
        control.post(new Stopping());
    }

    /** Says 421 for the shutdown and ends the session (returns false for {@link #handle}). */
    private boolean goodbyeForShutdown() throws IOException {
        tcp.outcome(SessionOutcome.SHUTDOWN);
        control.reply(Reply.of(ReplyCode.SERVICE_NOT_AVAILABLE, "Server shutting down."));
        return false;
    }
}
