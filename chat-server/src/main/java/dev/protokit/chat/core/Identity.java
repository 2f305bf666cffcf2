package dev.protokit.chat.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a connected client is, as other clients see it: nick, user name, host, real name and the
 * account it logged in as (none for a guest). IRC prefixes are {@code nick!user@host}; the
 * native protocol shows the nick and the account.
 */
public record Identity(String nick, String user, String host, String realName, Optional<String> account) {
    // compiled once: String.matches compiled both for every identity (each registration, each nick change)
    private static final Pattern USER = Pattern.compile("[^\\s@!:\\p{Cntrl}]{1,32}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_/-]{1,64}");

    public Identity {
        Names.requireNick(Objects.requireNonNull(nick, "nick"));
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(realName, "realName");
        Objects.requireNonNull(account, "account");
        if (!USER.matcher(user).matches() || !HOST.matcher(host).matches()
                || realName.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || realName.length() > 128) {
            throw new ChatException(ChatError.INVALID_REQUEST, "identity user '" + Names.printable(user)
                    + "' host '" + Names.printable(host) + "'");
        }
    }

    /** {@code nick!user@host}, the IRC prefix and the subject of ban masks. */
    public String mask() {
        return nick + "!" + user + "@" + host;
    }

    /** This identity under another nick. */
    public Identity withNick(String newNick) {
        return new Identity(newNick, user, host, realName, account);
    }

    /** The folded nick. */
    public String nickKey() {
        return Names.fold(nick);
    }
}
