package dev.protokit.ftp.server;

import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.ftp.wire.Command;
import dev.protokit.ftp.wire.FtpCommand;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command on the session thread: checks login, consumes REST and RNFR state, and
 * dispatches with an exhaustive switch over {@link FtpCommand}, so a new command cannot be
 * forgotten here. Failures are {@link FtpException}s turned into replies; the session goes on.
 */
final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
    private final ServerContext context;
    private final SessionState state;
    private final ControlChannel control;
    private final FtpSession session;
    private final Clock clock;
    private final Login login;
    private final FileCommands files;
    private final DataCommands data;
    private final TransferCommands transfers;

    Commands(ServerContext context, SessionState state, ControlChannel control, FtpSession session, Clock clock) {
        this.context = context;
        this.state = state;
        this.control = control;
        this.session = session;
        this.clock = clock;
        this.login = new Login(context, state, control);
        this.files = new FileCommands(state);
        this.data = new DataCommands(context, state);
        this.transfers = new TransferCommands(context, state, control, clock);
    }

    /**
     * Runs {@code command} and, unless it was taken from the queue, lets the reader read on.
     * Returns false when the session must end (QUIT, too many failed logins, TLS failure).
     */
    boolean execute(Command command, boolean queued) throws IOException, InterruptedException {
        FtpCommand verb = command.verb();
        // REST holds until the next transfer command (as in vsftpd), so a client that asks SIZE
        // or TYPE between REST and RETR still resumes.
        long rest = state.restOffset;
        if (verb == FtpCommand.RETR || verb == FtpCommand.STOR || verb == FtpCommand.APPE || verb == FtpCommand.STOU) {
            state.restOffset = 0;
        }
        if (verb != FtpCommand.RNTO) {
            state.renameFrom = verb == FtpCommand.RNFR ? state.renameFrom : Optional.empty();
        }
        boolean keepGoing = true;
        try {
            if (!state.loggedIn() && !verb.allowedBeforeLogin()) {
                throw new FtpException(ReplyCode.NOT_LOGGED_IN, "Please login with USER and PASS.");
            }
            keepGoing = dispatch(command, rest, queued);
        } catch (FtpException e) {
            control.reply(e.reply());
        } catch (RuntimeException e) {
            // A bug or a failing plug-in (an Authenticator): the client still gets a final reply
            // and the session goes on.
            LOG.warn("{} failed for {}: {}", verb, session.tcp().peer(), e.toString(), e);
            control.reply(Reply.of(ReplyCode.LOCAL_ERROR, "Local error in processing " + verb + "."));
        }
        if (keepGoing && !queued) {
            control.readNext();
        }
        return keepGoing;
    }

    private boolean dispatch(Command command, long rest, boolean queued) throws IOException, InterruptedException {
        String arg = command.argument();
        switch (command.verb()) {
            case USER -> reply(login.user(arg));
            case PASS -> {
                Login.Outcome outcome = login.pass(arg);
                reply(outcome.reply());
                if (outcome.closeSession()) {
                    session.outcome(SessionOutcome.AUTH_FAILED);
                    return false;
                }
                state.account.ifPresent(a -> session.loggedIn(a.name()));
            }
            case AUTH -> {
                return auth(arg, queued);
            }
            case PBSZ -> reply(pbsz(arg));
            case PROT -> reply(prot(arg));
            case FEAT -> reply(InfoReplies.feat(state));
            case SYST -> reply(InfoReplies.syst());
            case HELP -> reply(InfoReplies.help(arg));
            case OPTS -> reply(InfoReplies.opts(arg, state));
            case QUIT -> {
                session.awaitTransfer();
                reply(Reply.of(ReplyCode.CLOSING_CONTROL, "Goodbye."));
                session.outcome(SessionOutcome.OK);
                return false;
            }
            case NOOP -> reply(Reply.of(ReplyCode.COMMAND_OK, "NOOP ok."));
            case STAT -> reply(stat(arg));
            case ABOR -> {
                if (session.transfer().isPresent()) {
                    session.abortTransfer();
                    reply(Reply.of(ReplyCode.CLOSING_DATA, "ABOR successful."));
                } else {
                    state.route(Optional.empty());
                    reply(Reply.of(ReplyCode.NO_TRANSFER, "No transfer to abort."));
                }
            }
            case PWD, XPWD -> reply(files.pwd());
            case CWD, XCWD -> reply(files.cwd(arg));
            case CDUP, XCUP -> reply(files.cdup());
            case MKD, XMKD -> reply(files.mkd(arg));
            case RMD, XRMD -> reply(files.rmd(arg));
            case DELE -> reply(files.dele(arg));
            case RNFR -> reply(files.rnfr(arg));
            case RNTO -> reply(files.rnto(arg));
            case SIZE -> reply(files.size(arg));
            case MDTM -> reply(files.mdtm(arg));
            case MFMT -> reply(files.mfmt(arg));
            case MLST -> reply(files.mlst(arg));
            case TYPE -> reply(data.type(arg));
            case MODE -> reply(data.mode(arg));
            case STRU -> reply(data.stru(arg));
            case PASV -> reply(data.pasv());
            case EPSV -> reply(data.epsv(arg));
            case PORT -> reply(data.port(arg));
            case EPRT -> reply(data.eprt(arg));
            case REST -> reply(data.rest(arg));
            case ALLO -> reply(Reply.of(ReplyCode.SUPERFLUOUS, "ALLO command ignored."));
            case LIST -> session.start(transfers.list(arg, ListingBody.Format.LIST));
            case NLST -> session.start(transfers.list(arg, ListingBody.Format.NLST));
            case MLSD -> session.start(transfers.list(arg, ListingBody.Format.MLSD));
            case RETR -> session.start(transfers.retr(arg, rest));
            case STOR -> session.start(transfers.stor(arg, rest, Upload.Start.FRESH));
            case APPE -> session.start(transfers.stor(arg, 0, Upload.Start.APPEND));
            case STOU -> session.start(transfers.stou(arg));
        }
        return true;
    }

    /**
     * RFC 4217: AUTH TLS, then the TLS handshake on the control connection. Refused if
     * the client already sent more (those bytes were plaintext and must not be taken as
     * protected commands, CVE-2011-0411).
     */
    private boolean auth(String argument, boolean queued) throws IOException {
        String mechanism = argument.strip().toUpperCase(Locale.ROOT);
        if (!mechanism.equals("TLS") && !mechanism.equals("TLS-C") && !mechanism.equals("SSL")) {
            throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only AUTH TLS is supported.");
        }
        if (control.isTls()) {
            throw new FtpException(ReplyCode.BAD_SEQUENCE, "Already using TLS.");
        }
        if (state.loggedIn() || state.pendingUser.isPresent()) {
            throw new FtpException(ReplyCode.BAD_SEQUENCE, "AUTH must come before USER.");
        }
        if (queued || control.buffered() > 0) {
            throw new FtpException(ReplyCode.BAD_SEQUENCE, "Refusing AUTH: commands were pipelined after it.");
        }
        reply(Reply.of(ReplyCode.SECURITY_EXCHANGE_DONE, "Proceed with negotiation."));
        try {
            control.upgradeToTls(context.config.tls(), context.config.requireTlsReuse(), context.config.handshakeTimeout(),
                    session.tcp());
        } catch (IOException e) {
            session.outcome(SessionOutcome.TLS_FAILED);
            return false;
        }
        state.pbszDone = false;
        state.protectData = false;
        return true;
    }

    /** RFC 4217: PBSZ 0 after AUTH; the buffer size is meaningless for TLS. */
    private Reply pbsz(String argument) {
        if (!control.isTls()) {
            throw new FtpException(ReplyCode.BAD_SEQUENCE, "PBSZ needs AUTH TLS first.");
        }
        if (!argument.strip().chars().allMatch(Character::isDigit) || argument.isBlank()) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "PBSZ needs a number.");
        }
        state.pbszDone = true;
        return Reply.of(ReplyCode.COMMAND_OK, "PBSZ=0");
    }

    /** RFC 4217 and RFC 2228: PROT C or P; S and E are not offered by TLS. */
    private Reply prot(String argument) {
        if (!control.isTls() || !state.pbszDone) {
            throw new FtpException(ReplyCode.BAD_SEQUENCE, "PROT needs AUTH TLS and PBSZ first.");
        }
        switch (argument.strip().toUpperCase(Locale.ROOT)) {
            case "P" -> state.protectData = true;
            case "C" -> {
                if (context.config.requireTls()) {
                    throw new FtpException(ReplyCode.POLICY_DENIED, "PROT C refused: data must be protected.");
                }
                state.protectData = false;
            }
            case "S", "E" -> throw new FtpException(ReplyCode.PROT_LEVEL_NOT_SUPPORTED, "Only PROT C and P are supported.");
            default -> throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Unknown PROT level.");
        }
        return Reply.of(ReplyCode.COMMAND_OK, "PROT now " + (state.protectData ? "Private." : "Clear."));
    }

    private Reply stat(String argument) {
        Optional<Transfer> running = session.transfer();
        if (running.isPresent()) {
            return InfoReplies.transferStatus(running.get());
        }
        if (argument.isBlank()) {
            return InfoReplies.status(state, control.isTls());
        }
        if (!state.loggedIn()) {
            throw new FtpException(ReplyCode.NOT_LOGGED_IN, "Please login with USER and PASS.");
        }
        return files.statPath(argument, clock.instant());
    }

    private void reply(Reply reply) throws IOException {
        control.reply(reply);
    }
}
