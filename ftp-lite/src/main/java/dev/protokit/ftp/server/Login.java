package dev.protokit.ftp.server;

import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.ftp.server.users.FtpUser;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USER and PASS. Wrong passwords are answered late and then not at all: each failure costs a
 * growing delay per peer address and per user name ({@code FailureThrottle}), enough failures
 * lock both out for a while (a locked-out login is refused without checking the password), and
 * a session that fails {@code maxLoginAttempts} times is closed. Replies never say whether a
 * user name exists.
 */
final class Login {
    private static final Logger LOG = LoggerFactory.getLogger(Login.class);

    /** What PASS decided. */
    record Outcome(Reply reply, boolean closeSession) {}

    private final ServerContext context;
    private final SessionState state;
    private final ControlChannel control;

    Login(ServerContext context, SessionState state, ControlChannel control) {
        this.context = context;
        this.state = state;
        this.control = control;
    }

    Reply user(String name) {
        if (state.loggedIn()) {
            throw new FtpException(ReplyCode.NOT_LOGGED_IN, "Can't change to another user.");
        }
        if (context.config.requireTls() && !control.isTls()) {
            // RFC 4217: a server may refuse to log in over an unprotected connection.
            throw new FtpException(ReplyCode.NOT_LOGGED_IN, "Login requires TLS: use AUTH TLS first.");
        }
        state.pendingUser = Optional.of(name);
        return isAnonymous(name) && context.config.anonymous()
                ? Reply.of(ReplyCode.NEED_PASSWORD, "Anonymous login okay, send your e-mail address as password.")
                : Reply.of(ReplyCode.NEED_PASSWORD, "Please specify the password.");
    }

    Outcome pass(String password) throws InterruptedException {
        String name = state.pendingUser.orElseThrow(() -> new FtpException(ReplyCode.BAD_SEQUENCE, "Login with USER first."));
        state.pendingUser = Optional.empty();
        if (state.loggedIn()) {
            return new Outcome(Reply.of(ReplyCode.NOT_LOGGED_IN, "Already logged in."), false);
        }
        if (isAnonymous(name) && context.config.anonymous()) {
            return loggedIn(new SessionState.Account("anonymous", true, context.config.anonymousWrite(), OptionalLong.empty()),
                    context.config.anonymousRoot());
        }
        var address = state.peer.getAddress();
        String key = name.toLowerCase(Locale.ROOT);
        Optional<FtpUser> user = Optional.empty();
        if (!context.addressFailures.isLockedOut(address) && !context.userFailures.isLockedOut(key)) {
            char[] secret = password.toCharArray();
            try {
                user = context.config.users().authenticate(name, secret);
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
        if (user.isPresent()) {
            context.addressFailures.recordSuccess(address);
            context.userFailures.recordSuccess(key);
            FtpUser u = user.get();
            return loggedIn(new SessionState.Account(u.name(), false, u.canWrite(), u.bytesPerSecond()),
                    u.resolveHome(context.config.root()));
        }
        Duration a = context.addressFailures.recordFailure(address);
        Duration b = context.userFailures.recordFailure(key);
        Duration delay = a.compareTo(b) > 0 ? a : b;
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
        state.failedLogins++;
        LOG.info("login failed peer={} user={} attempt={}", address.getHostAddress(), printable(name), state.failedLogins);
        if (state.failedLogins >= context.config.maxLoginAttempts()) {
            return new Outcome(Reply.of(ReplyCode.SERVICE_NOT_AVAILABLE, "Too many failed logins; closing connection."), true);
        }
        return new Outcome(Reply.of(ReplyCode.NOT_LOGGED_IN, "Login incorrect."), false);
    }

    private Outcome loggedIn(SessionState.Account account, Path home) {
        ConfinedRoot root;
        try {
            root = ConfinedRoot.open(home); // fails unless home is a directory
        } catch (IOException e) {
            LOG.warn("home directory of {} is unusable: {}", account.name(), e.toString());
            return new Outcome(Reply.of(ReplyCode.NOT_LOGGED_IN, "Home directory unavailable."), false);
        }
        state.account = Optional.of(account);
        state.fs.ifPresent(VirtualFileSystem::close);
        state.fs = Optional.of(new VirtualFileSystem(root));
        return new Outcome(Reply.of(ReplyCode.LOGGED_IN, "Login successful."), false);
    }

    private static boolean isAnonymous(String name) {
        return name.equalsIgnoreCase("anonymous") || name.equalsIgnoreCase("ftp");
    }

    /** The name for a log line: at most 64 characters, controls replaced. */
    private static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) : name;
        return cut.replaceAll("[\\p{Cntrl}\\s]", "?");
    }
}
