package dev.protokit.chat.irc;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The IRC numeric replies this server sends (RFC 1459, RFC 2812, the modern IRC client protocol
 * document, IRCv3 SASL), each with its three-digit wire code. Looked up by code through a table
 * built once, refusing duplicates at class load.
 */
public enum Numeric {
    RPL_WELCOME(1), RPL_YOURHOST(2), RPL_CREATED(3), RPL_MYINFO(4), RPL_ISUPPORT(5),
    RPL_UMODEIS(221), RPL_LUSERCLIENT(251), RPL_LUSEROP(252), RPL_LUSERCHANNELS(254), RPL_LUSERME(255),
    RPL_AWAY(301), RPL_USERHOST(302), RPL_ISON(303), RPL_UNAWAY(305), RPL_NOWAWAY(306),
    RPL_WHOISUSER(311), RPL_WHOISSERVER(312), RPL_WHOISOPERATOR(313), RPL_WHOWASUSER(314), RPL_ENDOFWHO(315),
    RPL_WHOISSPECIAL(320),
    RPL_WHOISIDLE(317), RPL_ENDOFWHOIS(318), RPL_WHOISCHANNELS(319),
    RPL_LISTSTART(321), RPL_LIST(322), RPL_LISTEND(323), RPL_CHANNELMODEIS(324), RPL_CREATIONTIME(329),
    RPL_WHOISACCOUNT(330), RPL_NOTOPIC(331), RPL_TOPIC(332), RPL_TOPICWHOTIME(333), RPL_INVITING(341),
    RPL_VERSION(351), RPL_WHOREPLY(352), RPL_NAMREPLY(353), RPL_ENDOFNAMES(366), RPL_BANLIST(367), RPL_ENDOFBANLIST(368),
    RPL_ENDOFWHOWAS(369), RPL_MOTD(372), RPL_MOTDSTART(375), RPL_ENDOFMOTD(376), RPL_YOUREOPER(381),
    RPL_TIME(391),
    ERR_NOSUCHNICK(401), ERR_NOSUCHSERVER(402), ERR_NOSUCHCHANNEL(403), ERR_CANNOTSENDTOCHAN(404),
    ERR_TOOMANYCHANNELS(405), ERR_WASNOSUCHNICK(406), ERR_NOORIGIN(409), ERR_INVALIDCAPCMD(410),
    ERR_NORECIPIENT(411), ERR_NOTEXTTOSEND(412), ERR_INPUTTOOLONG(417), ERR_UNKNOWNCOMMAND(421),
    ERR_NOMOTD(422), ERR_NONICKNAMEGIVEN(431), ERR_ERRONEUSNICKNAME(432), ERR_NICKNAMEINUSE(433),
    ERR_USERNOTINCHANNEL(441), ERR_NOTONCHANNEL(442), ERR_USERONCHANNEL(443), ERR_NOTREGISTERED(451),
    ERR_NEEDMOREPARAMS(461), ERR_ALREADYREGISTERED(462), ERR_PASSWDMISMATCH(464), ERR_CHANNELISFULL(471),
    ERR_UNKNOWNMODE(472), ERR_INVITEONLYCHAN(473), ERR_BANNEDFROMCHAN(474), ERR_BADCHANNELKEY(475),
    ERR_BADCHANMASK(476), ERR_NOPRIVILEGES(481), ERR_CHANOPRIVSNEEDED(482), ERR_NOOPERHOST(491),
    ERR_UMODEUNKNOWNFLAG(501), ERR_USERSDONTMATCH(502), ERR_INVALIDMODEPARAM(696),
    RPL_LOGGEDIN(900), RPL_LOGGEDOUT(901), ERR_NICKLOCKED(902), RPL_SASLSUCCESS(903), ERR_SASLFAIL(904),
    ERR_SASLTOOLONG(905), ERR_SASLABORTED(906), ERR_SASLALREADY(907), RPL_SASLMECHS(908);

    private static final Map<Integer, Numeric> BY_CODE = new HashMap<>();

    static {
        for (Numeric n : values()) {
            if (BY_CODE.put(n.code, n) != null) {
                throw new ExceptionInInitializerError("duplicate numeric " + n.code);
            }
        }
    }

    private final int code;
    /** Formatted once: every reply line asks for it. */
    private final String wire;

    Numeric(int code) {
        this.code = code;
        this.wire = String.format("%03d", code);
    }

    /** The numeric's value, 1..999. */
    public int code() {
        return code;
    }

    /** The command word on the wire: three digits, {@code 001}. */
    public String wire() {
        return wire;
    }

    /** The numeric with this code, if this server knows it. */
    public static Optional<Numeric> of(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
