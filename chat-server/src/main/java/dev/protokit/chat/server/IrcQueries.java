package dev.protokit.chat.server;

import static dev.protokit.chat.server.IrcRegistration.need;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.Room;
import dev.protokit.chat.core.RoomSettings;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.chat.irc.Capability;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read-only IRC commands: NAMES, LIST, WHO, WHOIS, WHOWAS, ISON, USERHOST; and OPER. */
final class IrcQueries {
    private IrcQueries() {}

    static void dispatch(IrcSession s, Client c, IrcMessage m) {
        ChatCore core = s.ctx.core();
        switch (m.command()) {
            case "NAMES" -> {
                if (m.params().isEmpty()) {
                    s.numeric(Numeric.RPL_ENDOFNAMES, "*", "End of /NAMES list");
                    return;
                }
                String ch = m.params().getFirst().split(",")[0];
                Optional<Room> room = ch.startsWith("#") ? core.room(ch.substring(1)) : Optional.empty();
                if (room.isPresent()) {
                    names(s, room.get());
                } else {
                    s.numeric(Numeric.RPL_ENDOFNAMES, ch, "End of /NAMES list");
                }
            }
            case "LIST" -> {
                s.numeric(Numeric.RPL_LISTSTART, "Channel", "Users  Name");
                for (Room r : core.rooms()) {
                    s.numeric(Numeric.RPL_LIST, "#" + r.name(), Integer.toString(r.size()),
                            r.settings().topic().map(RoomSettings.Topic::text).orElse(""));
                }
                s.numeric(Numeric.RPL_LISTEND, "End of /LIST");
            }
            case "WHO" -> who(s, core, need(m, 0));
            case "WHOIS" -> whois(s, core, m.params().size() > 1 ? m.params().get(1) : need(m, 0));
            case "WHOWAS" -> {
                String nick = need(m, 0);
                var gone = core.whowas(nick);
                if (gone.isEmpty()) {
                    s.numeric(Numeric.ERR_WASNOSUCHNICK, nick, "There was no such nickname");
                }
                for (ChatCore.Departed d : gone.subList(0, Math.min(5, gone.size()))) {
                    Identity i = d.identity();
                    s.numeric(Numeric.RPL_WHOWASUSER, i.nick(), i.user(), i.host(), "*", i.realName());
                    s.numeric(Numeric.RPL_WHOISSERVER, i.nick(), s.serverName, d.when().toString());
                }
                s.numeric(Numeric.RPL_ENDOFWHOWAS, nick, "End of WHOWAS");
            }
            case "ISON" -> {
                List<String> on = new ArrayList<>();
                for (String p : m.params()) {
                    for (String nick : p.split(" ")) {
                        core.client(nick).ifPresent(x -> on.add(x.nick()));
                    }
                }
                s.numeric(Numeric.RPL_ISON, String.join(" ", on));
            }
            case "USERHOST" -> {
                List<String> replies = new ArrayList<>();
                for (String nick : m.params().subList(0, Math.min(5, m.params().size()))) {
                    core.client(nick).ifPresent(x -> replies.add(x.nick() + (x.isOperator() ? "*" : "") + "="
                            + (x.away().isPresent() ? "-" : "+") + x.identity().user() + "@" + x.identity().host()));
                }
                if (m.params().isEmpty()) {
                    throw IrcRegistration.needMore("USERHOST");
                }
                s.numeric(Numeric.RPL_USERHOST, String.join(" ", replies));
            }
            default -> throw new IllegalStateException(m.command());
        }
    }

    /** 332 + 333, or 331 when asked and there is none. */
    static void topicReply(IrcSession s, Room room, boolean asked) {
        Optional<RoomSettings.Topic> t = room.settings().topic();
        if (t.isPresent()) {
            s.numeric(Numeric.RPL_TOPIC, "#" + room.name(), t.get().text());
            s.numeric(Numeric.RPL_TOPICWHOTIME, "#" + room.name(), t.get().setBy(), Long.toString(t.get().setAt().getEpochSecond()));
        } else if (asked) {
            s.numeric(Numeric.RPL_NOTOPIC, "#" + room.name(), "No topic is set");
        }
    }

    /** 353 lines filled up to 512 bytes from the room's roster (see {@link IrcNames}), then 366. */
    static void names(IrcSession s, Room room) {
        String ch = "#" + room.name();
        s.out.send(IrcNames.lines(s.serverName, s.nick(), ch, room.roster(), s.has(Capability.MULTI_PREFIX)));
        s.numeric(Numeric.RPL_ENDOFNAMES, ch, "End of /NAMES list");
    }

    private static void who(IrcSession s, ChatCore core, String mask) {
        if (mask.startsWith("#")) {
            core.room(mask.substring(1)).ifPresent(r -> r.members().forEach((c, st) -> whoReply(s, mask, c, st.prefix())));
        } else {
            core.client(mask).ifPresent(c -> whoReply(s, "*", c, ""));
        }
        s.numeric(Numeric.RPL_ENDOFWHO, mask, "End of WHO list");
    }

    private static void whoReply(IrcSession s, String channel, Client c, String prefix) {
        Identity i = c.identity();
        String flags = (c.away().isPresent() ? "G" : "H") + (c.isOperator() ? "*" : "") + prefix;
        s.numeric(Numeric.RPL_WHOREPLY, channel, i.user(), i.host(), s.serverName, i.nick(), flags, "0 " + i.realName());
    }

    private static void whois(IrcSession s, ChatCore core, String nick) {
        Optional<Client> found = core.client(nick);
        if (found.isEmpty()) {
            Optional<Account> account = core.account(nick);
            if (account.isPresent()) {
                s.numeric(Numeric.RPL_WHOISSPECIAL, account.get().name(), "is offline (registered account), last seen "
                        + account.get().lastSeen().map(Instant::toString).orElse("never"));
            } else {
                s.numeric(Numeric.ERR_NOSUCHNICK, nick, "No such nick/channel");
            }
            s.numeric(Numeric.RPL_ENDOFWHOIS, nick, "End of /WHOIS list");
            return;
        }
        Client c = found.get();
        Identity i = c.identity();
        s.numeric(Numeric.RPL_WHOISUSER, i.nick(), i.user(), i.host(), "*", i.realName());
        List<String> rooms = new ArrayList<>();
        for (Room r : c.rooms()) {
            Room.Status st = r.members().get(c);
            rooms.add((st == null ? "" : st.prefix()) + "#" + r.name());
        }
        if (!rooms.isEmpty()) {
            s.numeric(Numeric.RPL_WHOISCHANNELS, i.nick(), String.join(" ", rooms));
        }
        s.numeric(Numeric.RPL_WHOISSERVER, i.nick(), s.serverName, "protokit chat-server");
        c.away().ifPresent(a -> s.numeric(Numeric.RPL_AWAY, i.nick(), a));
        if (c.isOperator()) {
            s.numeric(Numeric.RPL_WHOISOPERATOR, i.nick(), "is an IRC operator");
        }
        i.account().ifPresent(a -> s.numeric(Numeric.RPL_WHOISACCOUNT, i.nick(), a, "is logged in as"));
        long idle = Math.max(0, Duration.between(c.lastSpoke(), Instant.now()).toSeconds());
        s.numeric(Numeric.RPL_WHOISIDLE, i.nick(), Long.toString(idle), Long.toString(c.connected().getEpochSecond()),
                "seconds idle, signon time");
        s.numeric(Numeric.RPL_ENDOFWHOIS, i.nick(), "End of /WHOIS list");
    }

    /** OPER NAME PASSWORD: the client must be logged in as NAME, an operator account, and give its password. */
    static void oper(IrcSession s, Client c, IrcMessage m) throws InterruptedException {
        String name = need(m, 0);
        String password = need(m, 1);
        var peer = s.session.peer().getAddress();
        boolean own = c.account().map(a -> a.equalsIgnoreCase(name)).orElse(false);
        if (!own || s.ctx.core().account(name).map(a -> !a.operator()).orElse(true)) {
            throw new IrcException(Numeric.ERR_NOOPERHOST, List.of(), "No O-lines for your host");
        }
        char[] secret = password.toCharArray();
        try {
            Optional<ScramVerifier> v = s.ctx.store().scram(name);
            if (s.ctx.logins().isLockedOut(peer, name) || v.isEmpty() || !v.get().matches(secret)) {
                Thread.sleep(s.ctx.logins().failed(peer, name));
                throw new IrcException(Numeric.ERR_PASSWDMISMATCH, List.of(), "Password incorrect");
            }
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
        s.ctx.logins().succeeded(peer, name);
        try {
            c.becomeOperator();
        } catch (ChatException e) {
            throw IrcErrors.toIrc(e, null, null);
        }
        s.numeric(Numeric.RPL_YOUREOPER, "You are now an IRC operator");
        s.send(IrcMessage.from(s.nick(), "MODE", List.of(s.nick(), "+o")));
    }
}
