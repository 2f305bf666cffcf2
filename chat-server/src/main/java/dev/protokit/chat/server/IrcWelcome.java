package dev.protokit.chat.server;

import dev.protokit.chat.core.HistoryQuery;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.core.RoomSettings;
import dev.protokit.chat.irc.IrcCodec;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import dev.protokit.common.daemon.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The welcome burst after registration: 001-004, 005 ISUPPORT (every token true of this
 * server), the LUSERS counts (251-255), then the MOTD (375/372/376) or 422.
 */
final class IrcWelcome {
    private static final Instant STARTED = Instant.now();
    /** Channel modes by ISUPPORT type: lists, always-parameter, set-parameter, flags. */
    static final String CHANMODES = "b,k,l,imnt";
    /** Longest topic, away and kick text that still fits a 512-byte line with its prefix. */
    static final int TEXT_LENGTH = 390;

    private IrcWelcome() {}

    /** The ISUPPORT tokens. */
    static List<String> isupport(IrcSession s) {
        var c = s.ctx.config().chat();
        return List.of(
                "AWAYLEN=" + TEXT_LENGTH,
                "CASEMAPPING=" + Names.CASEMAPPING,
                "CHANLIMIT=#:" + c.maxRoomsPerClient(),
                "CHANMODES=" + CHANMODES,
                "CHANNELLEN=" + (Names.ROOM_LENGTH + 1),
                "CHANTYPES=#",
                "CHATHISTORY=" + HistoryQuery.MAX_LIMIT,
                "MSGREFTYPES=msgid,timestamp",
                "KICKLEN=" + TEXT_LENGTH,
                "MAXLIST=b:" + RoomSettings.MAX_BANS,
                "MODES=4",
                "NETWORK=protokit",
                "NICKLEN=" + Names.NICK_LENGTH,
                "PREFIX=(ov)@+",
                "TARGMAX=PRIVMSG:4,NOTICE:4,JOIN:10,PART:10,NAMES:1,WHOIS:1,KICK:1,ISON:,USERHOST:5",
                "TOPICLEN=" + TEXT_LENGTH,
                "USERLEN=10",
                "UTF8ONLY");
    }

    /** The version string in 002, 004 and 351. */
    static String version() {
        return "protokit-chat-" + Version.current();
    }

    static void send(IrcSession s, Identity who) {
        String server = s.serverName;
        String version = version();
        s.numeric(Numeric.RPL_WELCOME, "Welcome to the protokit IRC network, " + who.mask());
        s.numeric(Numeric.RPL_YOURHOST, "Your host is " + server + ", running version " + version);
        s.numeric(Numeric.RPL_CREATED, "This server was created " + STARTED);
        s.numeric(Numeric.RPL_MYINFO, server, version, "io", "biklmnotv", "bklov");
        sendIsupport(s);
        IrcServerQueries.lusers(s, 0);
        motd(s);
    }

    /** 005 lines, at most 12 tokens each (also the tail of a VERSION reply). */
    static void sendIsupport(IrcSession s) {
        List<String> tokens = isupport(s);
        for (int i = 0; i < tokens.size(); i += 12) {
            List<String> params = new ArrayList<>(tokens.subList(i, Math.min(tokens.size(), i + 12)));
            params.add("are supported by this server");
            s.numeric(Numeric.RPL_ISUPPORT, params.toArray(String[]::new));
        }
    }

    /** The MOTD as 375, 372 lines (split to fit a line) and 376, or 422 when there is none. */
    static void motd(IrcSession s) {
        String server = s.serverName;
        List<String> motd = s.ctx.config().motd();
        if (motd.isEmpty()) {
            s.numeric(Numeric.ERR_NOMOTD, "MOTD File is missing");
            return;
        }
        s.numeric(Numeric.RPL_MOTDSTART, "- " + server + " Message of the day - ");
        int budget = IrcCodec.MAX_MESSAGE_BYTES - server.length() - Names.NICK_LENGTH - 16;
        for (String line : motd) {
            for (String part : IrcRenderer.split(line.isEmpty() ? " " : line, budget)) {
                s.numeric(Numeric.RPL_MOTD, "- " + part);
            }
        }
        s.numeric(Numeric.RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    /** {@code :server NOTICE nick :text}. */
    static IrcMessage notice(IrcSession s, String text) {
        return IrcMessage.from(s.serverName, "NOTICE", List.of(s.nick(), text));
    }
}
