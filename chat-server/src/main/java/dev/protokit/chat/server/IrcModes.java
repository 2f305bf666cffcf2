package dev.protokit.chat.server;

import static dev.protokit.chat.server.IrcRegistration.need;

import dev.protokit.chat.core.ChatEvent.ModeChange;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.core.Room;
import dev.protokit.chat.core.RoomMode;
import dev.protokit.chat.core.RoomSettings;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MODE: channel modes (query 324/329, ban list 367/368, changes {@code +o-v+k nick nick key}
 * with at most {@code MODES=4} parameters each) and user modes (221; {@code +i} is accepted,
 * {@code +o} only comes from OPER).
 */
final class IrcModes {
    private static final int MAX_PARAM_MODES = 4;

    private IrcModes() {}

    static void mode(IrcSession s, Client c, IrcMessage m) {
        String target = need(m, 0);
        if (!target.startsWith("#")) {
            userMode(s, c, target, m.param(1));
            return;
        }
        Room room = s.ctx.core().room(IrcCommands.room(target))
                .orElseThrow(() -> new IrcException(Numeric.ERR_NOSUCHCHANNEL, List.of(target), "No such channel"));
        if (m.params().size() < 2) {
            query(s, c, room, target);
            return;
        }
        String letters = m.params().get(1);
        if (letters.matches("[+-]?b")) {
            if (m.params().size() < 3) {
                for (String ban : room.settings().bans()) {
                    s.numeric(Numeric.RPL_BANLIST, target, ban);
                }
                s.numeric(Numeric.RPL_ENDOFBANLIST, target, "End of channel ban list");
                return;
            }
        }
        List<ModeChange> changes = parse(s, target, letters, m.params().subList(2, m.params().size()));
        if (changes.isEmpty()) {
            return;
        }
        try {
            c.mode(room.name(), changes);
        } catch (ChatException e) {
            String nick = changes.stream().filter(x -> x.mode().kind() == RoomMode.Kind.MEMBER)
                    .map(x -> x.argument().orElse("*")).findFirst().orElse(null);
            throw IrcErrors.toIrc(e, target, e.error() == dev.protokit.chat.core.ChatError.NO_SUCH_NICK
                    || e.error() == dev.protokit.chat.core.ChatError.TARGET_NOT_IN_ROOM ? nick : null);
        }
    }

    private static List<ModeChange> parse(IrcSession s, String target, String letters, List<String> args) {
        List<ModeChange> changes = new ArrayList<>();
        boolean add = true;
        int next = 0;
        for (char ch : letters.toCharArray()) {
            if (ch == '+' || ch == '-') {
                add = ch == '+';
                continue;
            }
            Optional<RoomMode> mode = RoomMode.ofLetter(ch);
            if (mode.isEmpty()) {
                s.numeric(Numeric.ERR_UNKNOWNMODE, String.valueOf(ch), "is unknown mode char to me");
                continue;
            }
            RoomMode r = mode.get();
            boolean takesArg = switch (r.kind()) {
                case FLAG -> false;
                case VALUE -> add || r == RoomMode.KEY;
                case LIST, MEMBER -> true;
            };
            Optional<String> arg = Optional.empty();
            if (takesArg) {
                if (next >= args.size()) {
                    if (r == RoomMode.KEY && !add) {
                        changes.add(new ModeChange(false, r, Optional.empty()));
                        continue;
                    }
                    s.numeric(Numeric.ERR_NEEDMOREPARAMS, "MODE", "Not enough parameters");
                    continue;
                }
                if (next >= MAX_PARAM_MODES) {
                    break;
                }
                arg = Optional.of(args.get(next++));
            }
            changes.add(new ModeChange(add, r, arg));
        }
        return changes;
    }

    private static void query(IrcSession s, Client c, Room room, String target) {
        RoomSettings st = room.settings();
        var letters = new StringBuilder("+");
        List<String> params = new ArrayList<>();
        st.flags().stream().map(RoomMode::letter).sorted().forEach(letters::append);
        boolean member = room.members().containsKey(c);
        if (st.key().isPresent()) {
            letters.append('k');
            params.add(member ? st.key().get() : "*");
        }
        if (st.limit().isPresent()) {
            letters.append('l');
            params.add(Integer.toString(st.limit().getAsInt()));
        }
        List<String> all = new ArrayList<>(List.of(target, letters.toString()));
        all.addAll(params);
        s.numeric(Numeric.RPL_CHANNELMODEIS, all.toArray(String[]::new));
        s.numeric(Numeric.RPL_CREATIONTIME, target, Long.toString(st.created().getEpochSecond()));
    }

    private static void userMode(IrcSession s, Client c, String target, Optional<String> change) {
        if (!Names.fold(target).equals(Names.fold(c.nick()))) {
            throw new IrcException(Numeric.ERR_USERSDONTMATCH, List.of(), "Cant change mode for other users");
        }
        if (change.isEmpty()) {
            s.numeric(Numeric.RPL_UMODEIS, "+i" + (c.isOperator() ? "o" : ""));
            return;
        }
        for (char ch : change.get().toCharArray()) {
            if ("+-io".indexOf(ch) < 0) {
                throw new IrcException(Numeric.ERR_UMODEUNKNOWNFLAG, List.of(), "Unknown MODE flag");
            }
        }
        // Every client is +i here (WHO shows room members only); +o only comes from OPER.
        s.numeric(Numeric.RPL_UMODEIS, "+i" + (c.isOperator() ? "o" : ""));
    }
}
