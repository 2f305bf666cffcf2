package dev.protokit.chat.server;

import static dev.protokit.chat.server.IrcRegistration.need;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.core.MessageKind;
import dev.protokit.chat.core.Room;
import dev.protokit.chat.irc.Capability;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import java.util.List;
import java.util.Optional;

/**
 * The commands of a registered IRC client that change something: JOIN, PART, TOPIC, KICK,
 * INVITE, PRIVMSG, NOTICE, AWAY, OPER, KILL; queries go to {@link IrcQueries} (about users and
 * rooms) and {@link IrcServerQueries} (about the server), MODE to
 * {@link IrcModes}, CHATHISTORY to {@link IrcHistory}. Unknown commands get 421.
 */
final class IrcCommands {
    private static final int MAX_TARGETS = 4;
    private static final int MAX_JOINS = 10;

    private IrcCommands() {}

    static void dispatch(IrcSession s, IrcMessage m) throws InterruptedException {
        Client c = s.client;
        switch (m.command()) {
            case "JOIN" -> join(s, c, m);
            case "PART" -> {
                for (String ch : need(m, 0).split(",")) {
                    guarded(ch, null, () -> c.part(room(ch), m.param(1).map(IrcCommands::text)));
                }
            }
            case "TOPIC" -> topic(s, c, m);
            case "KICK" -> {
                String ch = need(m, 0);
                String reason = m.param(2).map(IrcCommands::text).orElse(c.nick());
                for (String nick : need(m, 1).split(",")) {
                    guarded(ch, nick, () -> c.kick(room(ch), nick, reason));
                }
            }
            case "INVITE" -> {
                String nick = need(m, 0);
                String ch = need(m, 1);
                guarded(ch, nick, () -> c.invite(nick, room(ch)));
                s.numeric(Numeric.RPL_INVITING, nick, ch);
            }
            case "PRIVMSG" -> say(s, c, m, MessageKind.MESSAGE);
            case "NOTICE" -> {
                try {
                    say(s, c, m, MessageKind.NOTICE);
                } catch (IrcException | ChatException e) {
                    // RFC 2812 3.3.2: errors are never sent back in reply to a NOTICE.
                }
            }
            case "AWAY" -> {
                Optional<String> text = m.param(0).filter(t -> !t.isEmpty()).map(IrcCommands::text);
                c.setAway(text);
                if (text.isPresent()) {
                    s.numeric(Numeric.RPL_NOWAWAY, "You have been marked as being away");
                } else {
                    s.numeric(Numeric.RPL_UNAWAY, "You are no longer marked as being away");
                }
            }
            case "OPER" -> IrcQueries.oper(s, c, m);
            case "KILL" -> {
                String nick = need(m, 0);
                guarded(null, nick, () -> c.kill(nick, m.param(1).map(IrcCommands::text).orElse("no reason")));
            }
            case "MODE" -> IrcModes.mode(s, c, m);
            case "NAMES", "LIST", "WHO", "WHOIS", "WHOWAS", "ISON", "USERHOST" -> IrcQueries.dispatch(s, c, m);
            case "MOTD", "LUSERS", "VERSION", "TIME" -> IrcServerQueries.dispatch(s, m);
            case "CHATHISTORY" -> IrcHistory.handle(s, c, m);
            case WebFiles.COMMAND -> WebFiles.link(s, c, m);
            case WebFiles.UPLOAD -> WebFiles.uploadLink(s, c, m);
            default -> throw new IrcException(Numeric.ERR_UNKNOWNCOMMAND, List.of(m.command()), "Unknown command");
        }
    }

    private static void join(IrcSession s, Client c, IrcMessage m) {
        String targets = need(m, 0);
        if (targets.equals("0")) {
            for (Room r : c.rooms()) {
                c.part(r.name(), Optional.of("Left all channels"));
            }
            return;
        }
        String[] channels = targets.split(",");
        String[] keys = m.param(1).map(k -> k.split(",")).orElse(new String[0]);
        for (int i = 0; i < channels.length && i < MAX_JOINS; i++) {
            String ch = channels[i];
            Optional<String> key = i < keys.length && !keys[i].isEmpty() ? Optional.of(keys[i]) : Optional.empty();
            try {
                Room room = c.join(room(ch), key);
                IrcQueries.topicReply(s, room, false);
                IrcQueries.names(s, room);
            } catch (ChatException e) {
                s.error(IrcErrors.toIrc(e, ch, null));
            } catch (IrcException e) {
                s.error(e);
            }
        }
    }

    private static void topic(IrcSession s, Client c, IrcMessage m) {
        String ch = need(m, 0);
        Room room = s.ctx.core().room(room(ch)).orElseThrow(
                () -> new IrcException(Numeric.ERR_NOSUCHCHANNEL, List.of(ch), "No such channel"));
        if (m.params().size() < 2) {
            IrcQueries.topicReply(s, room, true);
            return;
        }
        guarded(ch, null, () -> c.topic(room.name(), text(m.params().get(1))));
    }

    private static void say(IrcSession s, Client c, IrcMessage m, MessageKind kind) {
        if (m.params().isEmpty() || m.params().getFirst().isEmpty()) {
            throw new IrcException(Numeric.ERR_NORECIPIENT, List.of(), "No recipient given (" + m.command() + ")");
        }
        if (m.params().size() < 2 || m.params().get(1).isEmpty()) {
            throw new IrcException(Numeric.ERR_NOTEXTTOSEND, List.of(), "No text to send");
        }
        String text = m.params().get(1);
        MessageKind k = kind;
        if (kind == MessageKind.MESSAGE && text.startsWith("\u0001ACTION ") && text.endsWith("\u0001") && text.length() > 9) {
            k = MessageKind.ACTION;
            text = text.substring(8, text.length() - 1);
        }
        String[] targets = m.params().getFirst().split(",");
        if (targets.length > MAX_TARGETS) {
            throw new IrcException(Numeric.ERR_NORECIPIENT, List.of(), "Too many targets (at most " + MAX_TARGETS + ")");
        }
        for (String target : targets) {
            final MessageKind kk = k;
            final String t = text;
            ChatEvent.Said said;
            try {
                said = target.startsWith("#") ? c.sayToRoom(room(target), kk, t) : c.sayTo(target, kk, t);
            } catch (ChatException e) {
                if (kind == MessageKind.NOTICE) {
                    continue;
                }
                s.error(IrcErrors.toIrc(e, target.startsWith("#") ? target : null, target.startsWith("#") ? null : target));
                continue;
            }
            if (s.has(Capability.ECHO_MESSAGE)) {
                s.out.send(s.render(said));
            }
            if (!said.inRoom() && kind == MessageKind.MESSAGE) {
                s.ctx.core().client(target).flatMap(Client::away)
                        .ifPresent(away -> s.numeric(Numeric.RPL_AWAY, target, away));
            }
        }
    }

    /** The room name of an IRC channel: {@code #general} is room {@code general}. */
    static String room(String channel) {
        if (!channel.startsWith("#") || channel.length() < 2) {
            throw new IrcException(Numeric.ERR_NOSUCHCHANNEL, List.of(channel.length() > 50 ? channel.substring(0, 50) : channel),
                    "No such channel");
        }
        return channel.substring(1);
    }

    /** Text for topics, away and kick reasons, cut to what fits a line. */
    static String text(String t) {
        return t.length() > IrcWelcome.TEXT_LENGTH ? t.substring(0, IrcWelcome.TEXT_LENGTH) : t;
    }

    private static void guarded(String channel, String nick, Runnable action) {
        try {
            action.run();
        } catch (ChatException e) {
            throw IrcErrors.toIrc(e, channel, nick);
        }
    }
}
