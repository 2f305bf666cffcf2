package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatError;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.Numeric;
import java.util.List;

/** The one mapping from core refusals to IRC error numerics and their parameters. */
final class IrcErrors {
    private IrcErrors() {}

    /**
     * The numeric for {@code e}; {@code channel} ({@code #room}) and {@code nick} are the request's
     * targets, used as the numeric's parameters.
     */
    static IrcException toIrc(ChatException e, String channel, String nick) {
        String ch = channel == null ? "*" : channel;
        String n = nick == null ? "*" : nick;
        return switch (e.error()) {
            case NO_SUCH_NICK -> new IrcException(Numeric.ERR_NOSUCHNICK, List.of(n), "No such nick/channel");
            case NO_SUCH_ROOM -> new IrcException(Numeric.ERR_NOSUCHCHANNEL, List.of(ch), "No such channel");
            case BAD_NAME -> nick != null
                    ? new IrcException(Numeric.ERR_ERRONEUSNICKNAME, List.of(n), "Erroneous nickname")
                    : new IrcException(Numeric.ERR_NOSUCHCHANNEL, List.of(ch), "Illegal channel name");
            case NICK_IN_USE -> new IrcException(Numeric.ERR_NICKNAMEINUSE, List.of(n), "Nickname is already in use");
            case NICK_REGISTERED -> new IrcException(Numeric.ERR_NICKNAMEINUSE, List.of(n),
                    "Nickname is registered to an account; log in with SASL to use it");
            case CANNOT_SEND, STORE_FAILURE -> new IrcException(Numeric.ERR_CANNOTSENDTOCHAN, List.of(channel != null ? ch : n),
                    "Cannot send to channel (" + e.reason() + ")");
            case NOT_IN_ROOM -> new IrcException(Numeric.ERR_NOTONCHANNEL, List.of(ch), "You're not on that channel");
            case TARGET_NOT_IN_ROOM -> new IrcException(Numeric.ERR_USERNOTINCHANNEL, List.of(n, ch), "They aren't on that channel");
            case ALREADY_IN_ROOM -> new IrcException(Numeric.ERR_USERONCHANNEL, List.of(n, ch), "is already on channel");
            case ROOM_FULL -> new IrcException(Numeric.ERR_CHANNELISFULL, List.of(ch), "Cannot join channel (+l)");
            case INVITE_ONLY -> new IrcException(Numeric.ERR_INVITEONLYCHAN, List.of(ch), "Cannot join channel (+i)");
            case BANNED -> new IrcException(Numeric.ERR_BANNEDFROMCHAN, List.of(ch), "Cannot join channel (+b)");
            case BAD_KEY -> new IrcException(Numeric.ERR_BADCHANNELKEY, List.of(ch), "Cannot join channel (+k)");
            case NOT_ROOM_OPERATOR -> new IrcException(Numeric.ERR_CHANOPRIVSNEEDED, List.of(ch), "You're not channel operator");
            case NOT_SERVER_OPERATOR, ACCOUNT_REQUIRED, GUESTS_REFUSED ->
                    new IrcException(Numeric.ERR_NOPRIVILEGES, List.of(), "Permission Denied- " + e.reason());
            case ROOM_CREATION_RESTRICTED -> new IrcException(Numeric.ERR_NOSUCHCHANNEL, List.of(ch),
                    "No such channel (only operators create channels)");
            case TOO_MANY_ROOMS -> new IrcException(Numeric.ERR_TOOMANYCHANNELS, List.of(ch), "You have joined too many channels");
            case INVALID_REQUEST -> new IrcException(Numeric.ERR_INVALIDMODEPARAM, List.of(ch, "*", "*"), e.reason());
        };
    }
}
