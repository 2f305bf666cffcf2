package dev.protokit.chat.server;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.chat.irc.Capability;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import dev.protokit.chat.irc.SaslChunks;
import dev.protokit.chat.irc.SaslPlain;
import dev.protokit.chat.irc.ScramServer;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * IRCv3 SASL on one connection: PLAIN (only over TLS or from loopback, so a password never
 * crosses a network in the clear) and SCRAM-SHA-256 (mutual), plus PASS as a fallback login.
 * Every failure goes through the server's {@link LoginGuard}: a growing delay, then a lockout
 * during which credentials are not even checked; three failures on one connection close it.
 */
final class IrcSasl {
    private static final int MAX_FAILURES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] FAKE_SALT_KEY = RANDOM.generateSeed(32);

    private enum Mechanism { PLAIN, SCRAM }

    private final IrcSession s;
    private final SaslChunks chunks = new SaslChunks();
    private Mechanism mechanism;
    private ScramServer scram;
    private String scramAccount;
    private Optional<String> account = Optional.empty();
    private int failures;

    IrcSasl(IrcSession session) {
        this.s = session;
    }

    /** The mechanisms offered on this connection. */
    List<String> mechanisms() {
        return plainAllowed() ? List.of("PLAIN", "SCRAM-SHA-256") : List.of("SCRAM-SHA-256");
    }

    private boolean plainAllowed() {
        return s.tls || s.session.peer().getAddress().isLoopbackAddress();
    }

    boolean inProgress() {
        return mechanism != null;
    }

    Optional<String> account() {
        return account;
    }

    void authenticate(IrcMessage m, boolean registered) throws InterruptedException {
        String arg = IrcRegistration.need(m, 0);
        if (!s.has(Capability.SASL)) {
            throw new IrcException(Numeric.ERR_SASLFAIL, List.of(), "SASL authentication failed: request the sasl capability first");
        }
        if (account.isPresent() || registered) {
            throw new IrcException(Numeric.ERR_SASLALREADY, List.of(), "You have already authenticated using SASL");
        }
        if (arg.equals("*")) {
            reset();
            throw new IrcException(Numeric.ERR_SASLABORTED, List.of(), "SASL authentication aborted");
        }
        if (mechanism == null) {
            start(arg);
            return;
        }
        Optional<byte[]> payload;
        try {
            payload = chunks.add(arg);
        } catch (IrcException e) {
            reset();
            throw e;
        }
        if (payload.isPresent()) {
            step(payload.get());
        }
    }

    private void start(String name) {
        switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "PLAIN" -> {
                if (!plainAllowed()) {
                    mechanismsThenFail();
                    return;
                }
                mechanism = Mechanism.PLAIN;
            }
            case "SCRAM-SHA-256" -> {
                mechanism = Mechanism.SCRAM;
                scram = new ScramServer(this::verifier, IrcSasl::nonce, FAKE_SALT_KEY);
            }
            default -> {
                mechanismsThenFail();
                return;
            }
        }
        s.send(IrcMessage.of("AUTHENTICATE", "+"));
    }

    private void mechanismsThenFail() {
        s.numeric(Numeric.RPL_SASLMECHS, String.join(",", mechanisms()), "are available SASL mechanisms");
        throw new IrcException(Numeric.ERR_SASLFAIL, List.of(), "SASL authentication failed");
    }

    private void step(byte[] payload) throws InterruptedException {
        InetAddress peer = s.session.peer().getAddress();
        if (mechanism == Mechanism.PLAIN) {
            SaslPlain.Credentials c;
            try {
                c = SaslPlain.parse(payload);
            } catch (IrcException e) {
                fail(peer, "*");
                return;
            }
            try {
                if (!c.authzid().isEmpty() && !Names.fold(c.authzid()).equals(Names.fold(c.authcid()))) {
                    fail(peer, c.authcid());
                    return;
                }
                check(peer, c.authcid(), c.password());
            } finally {
                c.wipe();
            }
            return;
        }
        if (scramAccount == null && scram.user().isEmpty()) {
            switch (scram.clientFirst(payload)) {
                case ScramServer.Step.Challenge ch -> {
                    scramAccount = scram.user().orElseThrow();
                    if (s.ctx.logins().isLockedOut(peer, scramAccount)) {
                        fail(peer, scramAccount);
                        return;
                    }
                    challenge(ch.message());
                }
                case ScramServer.Step.Failure f -> fail(peer, scram.user().orElse("*"));
                case ScramServer.Step.Success ok -> fail(peer, "*");
            }
            return;
        }
        if (scramAccount != null && account.isEmpty() && mechanism == Mechanism.SCRAM && scram != null) {
            if (payload.length == 0 && pendingSuccess != null) {
                succeed(peer, pendingSuccess);
                return;
            }
            switch (scram.clientFinal(payload)) {
                case ScramServer.Step.Success ok -> {
                    pendingSuccess = s.ctx.core().account(ok.account()).map(Account::name).orElse(ok.account());
                    challenge(ok.serverFinal());
                }
                case ScramServer.Step.Failure f -> fail(peer, scramAccount);
                case ScramServer.Step.Challenge ch -> fail(peer, scramAccount);
            }
        }
    }

    private String pendingSuccess;

    private void challenge(byte[] message) {
        for (String chunk : SaslChunks.split(message)) {
            s.send(IrcMessage.of("AUTHENTICATE", chunk));
        }
    }

    private void check(InetAddress peer, String name, char[] password) throws InterruptedException {
        if (s.ctx.logins().isLockedOut(peer, name)) {
            fail(peer, name);
            return;
        }
        Optional<ScramVerifier> v = verifier(name);
        if (v.isPresent() && v.get().matches(password)) {
            succeed(peer, s.ctx.core().account(name).map(Account::name).orElse(name));
        } else {
            fail(peer, name);
        }
    }

    private Optional<ScramVerifier> verifier(String name) {
        return Names.isValidAccount(name) ? s.ctx.store().scram(name) : Optional.empty();
    }

    private void succeed(InetAddress peer, String name) {
        s.ctx.logins().succeeded(peer, name);
        account = Optional.of(name);
        reset();
        String mask = s.nick() + "!" + name + "@" + peer.getHostAddress();
        s.numeric(Numeric.RPL_LOGGEDIN, mask, name, "You are now logged in as " + name);
        s.numeric(Numeric.RPL_SASLSUCCESS, "SASL authentication successful");
        s.session.detail("account", name);
        s.registration.complete();
    }

    private void fail(InetAddress peer, String name) throws InterruptedException {
        reset();
        Duration delay = s.ctx.logins().failed(peer, name);
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
        s.session.detail("sasl", "failed");
        if (++failures >= MAX_FAILURES) {
            s.numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed");
            s.close("Too many failed logins");
            return;
        }
        throw new IrcException(Numeric.ERR_SASLFAIL, List.of(), "SASL authentication failed");
    }

    /** PASS as a login: {@code account:password}, or the password of the account named like the nick; like PLAIN, only over TLS or from loopback. */
    Optional<String> passLogin(char[] pass, String nick) {
        InetAddress peer = s.session.peer().getAddress();
        if (!plainAllowed()) {
            // The password crossed the network in the clear once; refusing it makes the client
            // move to TLS or SCRAM instead of sending it on every connect.
            s.numeric(Numeric.ERR_PASSWDMISMATCH, "Passwords are accepted only over TLS or from loopback: "
                    + "use the TLS port or SASL SCRAM-SHA-256");
            s.close("Cleartext password refused");
            return Optional.empty();
        }
        int colon = -1;
        for (int i = 0; i < pass.length && colon < 0; i++) {
            colon = pass[i] == ':' ? i : -1;
        }
        String name = colon > 0 ? new String(pass, 0, colon) : nick;
        char[] password = colon > 0 ? Arrays.copyOfRange(pass, colon + 1, pass.length) : pass.clone();
        try {
            if (!s.ctx.logins().isLockedOut(peer, name)) {
                Optional<ScramVerifier> v = verifier(name);
                if (v.isPresent() && v.get().matches(password)) {
                    s.ctx.logins().succeeded(peer, name);
                    return s.ctx.core().account(name).map(Account::name);
                }
            }
            Duration delay = s.ctx.logins().failed(peer, name);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.numeric(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
            s.close("Bad password");
            return Optional.empty();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void reset() {
        mechanism = null;
        scram = null;
        scramAccount = null;
        pendingSuccess = null;
        chunks.reset();
    }

    private static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b).replace('+', '-').replace('/', '_');
    }
}
