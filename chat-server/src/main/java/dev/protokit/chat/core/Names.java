package dev.protokit.chat.core;

import java.util.regex.Pattern;

/**
 * Validation and case folding of nicks, account names and room names, with one casemapping for
 * every listener: {@code ascii} (IRCv3 / modern IRC docs: only {@code A-Z} fold to {@code a-z}).
 * IRC advertises it as {@code CASEMAPPING=ascii}. Rooms are stored without the IRC {@code #}:
 * {@code #general} on IRC is room {@code general} natively.
 */
public final class Names {
    /** The ISUPPORT token value for the casemapping used here. */
    public static final String CASEMAPPING = "ascii";
    /** Longest nick, in characters (ISUPPORT NICKLEN). */
    public static final int NICK_LENGTH = 30;
    /** Longest room name without the {@code #} (ISUPPORT CHANNELLEN is one more). */
    public static final int ROOM_LENGTH = 49;
    /** Longest account name: a valid nick and a valid key id of common's key files. */
    public static final int ACCOUNT_LENGTH = 30;

    // modern IRC: a nick must not start with a digit or '-', and never holds space, comma, '*',
    // '?', '!', '@', '.', ':' or '#' (they mean something in prefixes and targets).
    private static final Pattern NICK = Pattern.compile("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,29}");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,29}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,48}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Names() {}

    /** Folds {@code name} for comparison: ASCII letters to lower case, nothing else. */
    public static String fold(String name) {
        char[] c = name.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }

    /** Whether {@code nick} is a valid nick. */
    public static boolean isValidNick(String nick) {
        return NICK.matcher(nick).matches();
    }

    /** Whether {@code name} is a valid account name (also a valid nick and key id). */
    public static boolean isValidAccount(String name) {
        return ACCOUNT.matcher(name).matches();
    }

    /** Whether {@code room} (without {@code #}) is a valid room name. */
    public static boolean isValidRoom(String room) {
        return ROOM.matcher(room).matches();
    }

    /** {@code nick} if valid, else a {@link ChatError#BAD_NAME} refusal. */
    public static String requireNick(String nick) {
        if (!isValidNick(nick)) {
            throw new ChatException(ChatError.BAD_NAME, "nick '" + printable(nick) + "'");
        }
        return nick;
    }

    /** {@code room} if valid, else a {@link ChatError#BAD_NAME} refusal. */
    public static String requireRoom(String room) {
        if (!isValidRoom(room)) {
            throw new ChatException(ChatError.BAD_NAME, "room '" + printable(room) + "'");
        }
        return room;
    }

    /** {@code name} if a valid account name, else a {@link ChatError#BAD_NAME} refusal. */
    public static String requireAccount(String name) {
        if (!isValidAccount(name)) {
            throw new ChatException(ChatError.BAD_NAME, "account '" + printable(name) + "'");
        }
        return name;
    }

    /** At most 64 characters of {@code text} with control characters shown as {@code ?}, for messages and logs. */
    public static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) : text;
        return CONTROL.matcher(cut).replaceAll("?");
    }

    /** {@code text} without its control characters (an IRC real name, a quit reason). */
    public static String withoutControls(String text) {
        return CONTROL.matcher(text).replaceAll("");
    }
}
