package dev.protokit.chat.server;

import dev.protokit.chat.core.Client;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Queries about the server itself, as the modern IRC client protocol describes them: MOTD
 * (375/372/376 or 422), LUSERS (251, 252, 254, 255), VERSION (351 and the 005 lines again) and
 * TIME (391). This server is a network of one, so a target other than its own name gets 402.
 */
final class IrcServerQueries {
    private static final DateTimeFormatter HUMAN_TIME =
            DateTimeFormatter.ofPattern("EEEE MMMM d yyyy -- HH:mm:ss xxx", Locale.ROOT);

    private IrcServerQueries() {}

    static void dispatch(IrcSession s, IrcMessage m) {
        // LUSERS [mask [target]] names its server second; MOTD, VERSION and TIME first.
        m.param(m.command().equals("LUSERS") ? 1 : 0)
                .filter(target -> !target.isEmpty() && !target.equalsIgnoreCase(s.serverName)
                        && !target.equals("*"))
                .ifPresent(target -> {
                    throw new IrcException(Numeric.ERR_NOSUCHSERVER, List.of(target), "No such server");
                });
        switch (m.command()) {
            case "MOTD" -> IrcWelcome.motd(s);
            case "LUSERS" -> {
                long operators = s.ctx.core().clients().stream().filter(Client::isOperator).count();
                lusers(s, operators);
            }
            case "VERSION" -> {
                s.numeric(Numeric.RPL_VERSION, IrcWelcome.version(), s.serverName, "protokit IRC listener");
                IrcWelcome.sendIsupport(s);
            }
            case "TIME" -> time(s, Instant.now());
            default -> throw new IllegalArgumentException("not a server query: " + m.command());
        }
    }

    /**
     * 251, 252 (when {@code operators} is above 0), 254 and 255. The welcome burst passes 0 and
     * so leaves 252 out: counting operators walks every client, which a registration storm of
     * thousands must not pay once per client; the LUSERS command counts them.
     */
    static void lusers(IrcSession s, long operators) {
        int clients = s.ctx.core().clientCount();
        int rooms = s.ctx.core().roomCount();
        s.numeric(Numeric.RPL_LUSERCLIENT, "There are " + clients + " users and 0 invisible on 1 servers");
        if (operators > 0) {
            s.numeric(Numeric.RPL_LUSEROP, Long.toString(operators), "operator(s) online");
        }
        s.numeric(Numeric.RPL_LUSERCHANNELS, Integer.toString(rooms), "channels formed");
        s.numeric(Numeric.RPL_LUSERME, "I have " + clients + " clients and 0 servers");
    }

    private static void time(IrcSession s, Instant now) {
        s.numeric(Numeric.RPL_TIME, s.serverName, Long.toString(now.getEpochSecond()), "0",
                HUMAN_TIME.format(now.atOffset(ZoneOffset.UTC)));
    }
}
