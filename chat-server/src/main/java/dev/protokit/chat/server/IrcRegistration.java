package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.irc.Capability;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Connection registration (modern IRC "Connection Registration"): CAP LS/LIST/REQ/END,
 * AUTHENTICATE (through {@link IrcSasl}), PASS, NICK, USER, then the welcome burst 001-005 and
 * the MOTD. Also PING, PONG and QUIT, which work before and after registration. A registered
 * nick is checked when registration completes, after SASL had its chance.
 */
final class IrcRegistration {
    /** What a user name may not hold (compiled once, not per registration). */
    private static final Pattern NOT_USER = Pattern.compile("[^A-Za-z0-9._-]");
    private final IrcSession s;
    final IrcSasl sasl;
    private Optional<String> nick = Optional.empty();
    private Optional<String> user = Optional.empty();
    private String realName = "";
    private Optional<char[]> pass = Optional.empty();
    private boolean negotiating;
    private boolean cap302;

    IrcRegistration(IrcSession session) {
        this.s = session;
        this.sasl = new IrcSasl(session);
    }

    Optional<String> pendingNick() {
        return nick;
    }

    /** Handles registration-phase commands; false if {@code m} is not one of them. */
    boolean handle(IrcMessage m) throws InterruptedException {
        switch (m.command()) {
            case "CAP" -> cap(m);
            case "AUTHENTICATE" -> sasl.authenticate(m, s.client != null);
            case "PASS" -> {
                if (s.client != null) {
                    throw new IrcException(Numeric.ERR_ALREADYREGISTERED, List.of(), "You may not reregister");
                }
                pass = Optional.of(need(m, 0).toCharArray());
            }
            case "NICK" -> nick(m);
            case "USER" -> {
                if (s.client != null) {
                    throw new IrcException(Numeric.ERR_ALREADYREGISTERED, List.of(), "You may not reregister");
                }
                if (m.params().size() < 4) {
                    throw needMore("USER");
                }
                user = Optional.of(m.params().getFirst());
                realName = Names.withoutControls(m.params().get(3));
                complete();
            }
            case "PING" -> s.send(IrcMessage.from(s.serverName, "PONG", List.of(s.serverName, need(m, 0))));
            case "PONG" -> { }
            case "QUIT" -> s.close("Quit: " + Names.withoutControls(m.param(0).orElse("")));
            default -> {
                return false;
            }
        }
        return true;
    }

    private void nick(IrcMessage m) {
        if (m.params().isEmpty() || m.params().getFirst().isEmpty()) {
            throw new IrcException(Numeric.ERR_NONICKNAMEGIVEN, List.of(), "No nickname given");
        }
        String wanted = m.params().getFirst();
        if (!Names.isValidNick(wanted)) {
            throw new IrcException(Numeric.ERR_ERRONEUSNICKNAME, List.of(wanted.length() > 32 ? wanted.substring(0, 32) : wanted),
                    "Erroneous nickname");
        }
        if (s.client != null) {
            try {
                s.client.changeNick(wanted);
            } catch (ChatException e) {
                throw IrcErrors.toIrc(e, null, wanted);
            }
            return;
        }
        if (s.ctx.core().client(wanted).isPresent()) {
            throw new IrcException(Numeric.ERR_NICKNAMEINUSE, List.of(wanted), "Nickname is already in use");
        }
        nick = Optional.of(wanted);
        complete();
    }

    private void cap(IrcMessage m) {
        String sub = need(m, 0).toUpperCase(java.util.Locale.ROOT);
        String target = s.nick();
        switch (sub) {
            case "LS" -> {
                if (s.client == null) {
                    negotiating = true;
                }
                cap302 = m.param(1).map(v -> v.compareTo("302") >= 0).orElse(false);
                List<String> offered = new ArrayList<>();
                for (Capability c : Capability.values()) {
                    offered.add(c == Capability.SASL && cap302 ? "sasl=" + String.join(",", sasl.mechanisms()) : c.advertised(cap302));
                }
                s.send(IrcMessage.from(s.serverName, "CAP", List.of(target, "LS", String.join(" ", offered))));
            }
            case "LIST" -> s.send(IrcMessage.from(s.serverName, "CAP", List.of(target, "LIST",
                    String.join(" ", s.caps().stream().map(Capability::wire).toList()))));
            case "REQ" -> {
                if (s.client == null) {
                    negotiating = true;
                }
                String wanted = need(m, 1);
                Set<Capability> next = s.caps().isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(s.caps());
                for (String token : wanted.trim().split(" +")) {
                    boolean remove = token.startsWith("-");
                    Optional<Capability> c = Capability.ofWire(remove ? token.substring(1) : token);
                    if (c.isEmpty() || token.isEmpty()) {
                        s.send(IrcMessage.from(s.serverName, "CAP", List.of(target, "NAK", wanted)));
                        return;
                    }
                    if (remove) {
                        next.remove(c.get());
                    } else {
                        next.add(c.get());
                    }
                }
                s.caps(next);
                s.send(IrcMessage.from(s.serverName, "CAP", List.of(target, "ACK", wanted)));
            }
            case "END" -> {
                negotiating = false;
                complete();
            }
            default -> throw new IrcException(Numeric.ERR_INVALIDCAPCMD, List.of(sub.length() > 16 ? sub.substring(0, 16) : sub),
                    "Invalid CAP command");
        }
    }

    /** Registers once NICK and USER are in and CAP negotiation (if any) ended. */
    void complete() {
        if (s.client != null || negotiating || nick.isEmpty() || user.isEmpty() || sasl.inProgress()) {
            return;
        }
        Optional<String> account = sasl.account();
        if (account.isEmpty() && pass.isPresent()) {
            account = sasl.passLogin(pass.get(), nick.get());
            pass.ifPresent(p -> java.util.Arrays.fill(p, '\0'));
            pass = Optional.empty();
            if (account.isEmpty()) {
                return;
            }
        }
        String host = s.session.peer().getAddress().getHostAddress();
        String userName = account.orElseGet(() -> "~" + sanitize(user.get()));
        var identity = new Identity(nick.get(), userName, host, realName.isEmpty() ? nick.get() : realName, account);
        try {
            s.client = s.ctx.core().connect(identity, s.out);
        } catch (ChatException e) {
            if (e.error() == dev.protokit.chat.core.ChatError.GUESTS_REFUSED) {
                s.close("This server requires an account: log in with SASL");
                return;
            }
            String refused = nick.get();
            nick = Optional.empty();
            throw IrcErrors.toIrc(e, null, refused);
        }
        s.session.handshakeComplete();
        IrcWelcome.send(s, identity);
    }

    private static String sanitize(String user) {
        String clean = NOT_USER.matcher(user).replaceAll("");
        clean = clean.isEmpty() ? "user" : clean;
        return clean.length() > 10 ? clean.substring(0, 10) : clean;
    }

    static String need(IrcMessage m, int i) {
        return m.param(i).filter(p -> !p.isEmpty()).orElseThrow(() -> needMore(m.command()));
    }

    static IrcException needMore(String command) {
        return new IrcException(Numeric.ERR_NEEDMOREPARAMS, List.of(command), "Not enough parameters");
    }
}
