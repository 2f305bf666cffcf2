#!/usr/bin/python3
"""chat-server against Debian's python3-irc (jaraco's `irc` library), run by interop/chat.sh.

    chat_pyirc.py HOST PLAIN-PORT TLS-PORT CA-FILE ACCOUNT PASSWORD CHANNEL

Two of the library's bots (irc.bot.SingleServerIRCBot, which keeps its own channel state from
JOIN, NAMES, MODE, KICK, PART and QUIT): a guest over plain IRC and ACCOUNT over TLS
(irc.connection.Factory with an ssl wrapper that checks the server's certificate against
CA-FILE), logged in with PASS account:password. Every reply is checked through the library's
own parsing: its events (numerics by name), NickMask, the FeatureSet it loads from ISUPPORT,
irc.modes.parse_channel_modes and the bots' Channel objects. The library (8.5 in Debian 12)
knows nothing of IRCv3 message tags, so server-time is not checked here (chat_irc.py does).
Prints PASS/FAIL lines; exits 1 if any check failed.
"""
import functools, ssl, sys, time

import irc.bot
import irc.client
import irc.connection
import irc.modes

FAILED = 0


def report(ok, name, why=""):
    global FAILED
    print(("PASS " if ok else "FAIL ") + "python3-irc: " + name + ("" if ok else " (" + why + ")"), flush=True)
    if not ok:
        FAILED += 1


class Bot(irc.bot.SingleServerIRCBot):
    """A bot that records every event it gets, for the checks to wait on."""

    def __init__(self, host, port, nick, password=None, factory=None):
        params = {"connect_factory": factory} if factory else {}
        super().__init__([(host, int(port), password)], nick, nick + " real", reconnection_interval=0, **params)
        self.events = []
        self.seen = 0
        self.connection.add_global_handler("all_events", lambda c, e: self.events.append(e), -30)

    @property
    def c(self):
        return self.connection


BOTS = []


def pump(seconds):
    end = time.time() + seconds
    while time.time() < end:
        for b in BOTS:
            b.ircobj.process_once(0.01)


def wait(bot, pred, what, timeout=10):
    """The first event after the last one waited for that PRED accepts; None (and FAIL) on timeout."""
    end = time.time() + timeout
    while True:
        for i in range(bot.seen, len(bot.events)):
            if pred(bot.events[i]):
                bot.seen = i + 1
                return bot.events[i]
        if time.time() > end:
            report(False, what, "no such event in 10 s; last: %s" % [
                (e.type, e.target, e.arguments) for e in bot.events[-6:]])
            return None
        for b in BOTS:
            b.ircobj.process_once(0.02)


def ev(type_, **want):
    def pred(e):
        if e.type != type_:
            return False
        for k, v in want.items():
            got = e.source.nick if k == "nick" else getattr(e, k)
            if got != v:
                return False
        return True
    return pred


def check(name, ok, why=""):
    report(bool(ok), name, why)


def main():
    host, plain, tls, cafile, account, password, chan = sys.argv[1:8]
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = True  # the self-signed certificate names 127.0.0.1
    wrapper = functools.partial(ctx.wrap_socket, server_hostname=host)
    op = Bot(host, plain, "pyop")
    al = Bot(host, tls, account, account + ":" + password, irc.connection.Factory(wrapper=wrapper))
    BOTS.extend([op, al])
    op._connect()
    al._connect()

    # --- registration, ISUPPORT ---------------------------------------------------------
    w = wait(op, ev("welcome"), "guest registers over plain IRC")
    check("guest registers over plain IRC (001)", w and w.target == "pyop", w and str(w.arguments))
    w = wait(al, ev("welcome"), "account registers over TLS with PASS")
    check("%s registers over TLS (verified certificate) with PASS account:password" % account,
          w and w.target == account and isinstance(al.c.socket, ssl.SSLSocket), w and str(w.arguments))
    wait(op, lambda e: e.type in ("endofmotd", "nomotd"), "MOTD end")
    f = op.c.features
    want = {"prefix": {"@": "o", "+": "v"}, "chantypes": "#", "chanmodes": ["b", "k", "l", "imnt"],
            "nicklen": 30, "network": "protokit", "casemapping": "ascii", "chanlimit": {"#": 50},
            "maxlist": {"b": 100}, "topiclen": 390}
    bad = {k: getattr(f, k, None) for k, v in want.items() if getattr(f, k, None) != v}
    check("ISUPPORT parsed into the FeatureSet (PREFIX, CHANMODES, CHANLIMIT, MAXLIST ...)", not bad, str(bad))
    targmax = getattr(f, "targmax", {})
    check("ISUPPORT TARGMAX parsed (PRIVMSG:4, ISON: unlimited)",
          targmax.get("PRIVMSG") == 4 and "ISON" in targmax and targmax["ISON"] is None, str(targmax))
    check("the server's name from its prefix", op.c.get_server_name() == "irc.interop", op.c.get_server_name())

    # --- JOIN and NAMES -----------------------------------------------------------------
    op.c.join(chan)
    wait(op, ev("endofnames", target="pyop"), "pyop's NAMES")
    ch = op.channels.get(chan)
    check("the first joiner is channel operator (NAMES prefix through PREFIX)", ch and ch.is_oper("pyop"),
          ch and str(ch.opers()))
    al.c.join(chan)
    wait(al, ev("endofnames", target=account), "%s's NAMES" % account)
    ch = al.channels.get(chan)
    check("NAMES lists both, pyop as operator", ch and sorted(ch.users()) == sorted(["pyop", account])
          and list(ch.opers()) == ["pyop"], ch and str(list(ch.users())))
    j = wait(op, ev("join", nick=account), "pyop sees the JOIN")
    check("JOIN seen with the account as user (nick!account@host)",
          j and j.target == chan and j.source.user == account and j.source.host == "127.0.0.1", j and str(j.source))

    # --- PRIVMSG both ways, and a direct one ----------------------------------------------
    op.c.privmsg(chan, "hello from pyop")
    m = wait(al, ev("pubmsg", nick="pyop"), "channel message pyop -> %s" % account)
    check("channel message over plain IRC reaches the TLS client", m and m.target == chan
          and m.arguments == ["hello from pyop"], m and str(m.arguments))
    al.c.privmsg(chan, "hi")  # one word: the library must still find it after ' :'
    m = wait(op, ev("pubmsg", nick=account), "channel message %s -> pyop" % account)
    check("one-word channel message over TLS reaches the plain client", m and m.arguments == ["hi"],
          m and str(m.arguments))
    al.c.privmsg("pyop", "direct words")
    m = wait(op, ev("privmsg", nick=account), "direct message")
    check("direct message", m and m.target == "pyop" and m.arguments == ["direct words"], m and str(m.arguments))
    al.c.action(chan, "waves")
    m = wait(op, ev("action", target=chan), "CTCP ACTION")
    check("CTCP ACTION decoded", m and m.arguments == ["waves"], m and str(m.arguments))

    # --- TOPIC -------------------------------------------------------------------------
    op.c.topic(chan, "the python topic")
    t = wait(al, ev("topic", target=chan), "TOPIC change")
    check("TOPIC change seen", t and t.arguments == ["the python topic"] and t.source.nick == "pyop",
          t and str(t.arguments))
    al.c.topic(chan)
    t = wait(al, ev("currenttopic"), "332")
    check("TOPIC query: 332", t and t.arguments == [chan, "the python topic"], t and str(t.arguments))
    t = wait(al, ev("topicinfo"), "333")
    check("TOPIC query: 333 setter and time", t and t.arguments[:1] == [chan]
          and irc.client.NickMask(t.arguments[1]).nick == "pyop" and t.arguments[2].isdigit()
          and abs(int(t.arguments[2]) - time.time()) < 600, t and str(t.arguments))

    # --- MODE --------------------------------------------------------------------------
    op.c.mode(chan, "+v " + account)
    wait(al, ev("mode", target=chan), "MODE +v")
    ch = al.channels.get(chan)
    check("MODE +v tracked by the bot", ch and ch.is_voiced(account), ch and str(ch.voiced()))
    op.c.mode(chan, "+kl sekrit 10")
    m = wait(al, lambda e: e.type == "mode" and "k" in e.arguments[0], "MODE +kl")
    modes = irc.modes.parse_channel_modes(" ".join(m.arguments)) if m else []
    check("MODE +kl parsed", modes == [["+", "k", "sekrit"], ["+", "l", "10"]], str(modes))
    ch = al.channels.get(chan)
    check("the bot's channel has the key and limit", ch and ch.has_key() and ch.limit() == "10",
          ch and str(ch.modes))
    al.c.mode(chan, "")
    m = wait(al, ev("channelmodeis"), "324")
    modes = irc.modes.parse_channel_modes(" ".join(m.arguments[1:])) if m else []
    check("MODE query (324) parsed", m and m.arguments[0] == chan
          and {x[1] for x in modes} >= {"n", "t", "k", "l"}, m and str(m.arguments))
    op.c.mode(chan, "-kl sekrit")
    wait(op, lambda e: e.type == "mode" and e.arguments[0].startswith("-"), "MODE -kl")
    ch = op.channels.get(chan)
    check("MODE -kl clears key and limit", ch and not ch.has_key() and not ch.has_limit(), ch and str(ch.modes))

    # --- WHOIS -------------------------------------------------------------------------
    al.c.whois(["pyop"])
    u = wait(al, ev("whoisuser"), "311")
    check("WHOIS 311 (nick user host * realname)", u and u.arguments[0] == "pyop" and u.arguments[2] == "127.0.0.1"
          and u.arguments[4] == "pyop real", u and str(u.arguments))
    c = wait(al, ev("whoischannels"), "319")
    check("WHOIS 319 channels with prefix", c and c.arguments == ["pyop", "@" + chan], c and str(c.arguments))
    s = wait(al, ev("whoisserver"), "312")
    check("WHOIS 312 server", s and s.arguments[:2] == ["pyop", "irc.interop"], s and str(s.arguments))
    e = wait(al, ev("endofwhois"), "318")
    check("WHOIS ends with 318", e and e.arguments[0] == "pyop", e and str(e.arguments))
    op.c.whois([account])
    a = wait(op, lambda e: e.type == "330" or e.type == "endofwhois", "330")
    check("WHOIS of a logged-in user: 330 names the account", a and a.type == "330"
          and a.arguments[:2] == [account, account], a and str((a.type, a.arguments)))
    wait(op, ev("endofwhois"), "318 after 330")
    op.c.whois(["nobody-here"])
    n = wait(op, lambda e: e.type in ("nosuchnick", "endofwhois"), "401")
    check("WHOIS of an unknown nick: 401", n and n.type == "nosuchnick", n and n.type)

    # --- KICK, PART, NAMES ---------------------------------------------------------------
    op.c.kick(chan, account, "out you go")
    k = wait(al, ev("kick", target=chan), "KICK")
    check("KICK seen by the victim", k and k.arguments == [account, "out you go"] and k.source.nick == "pyop",
          k and str(k.arguments))
    check("the victim's bot left the channel", chan not in al.channels, str(list(al.channels.keys())))
    wait(op, ev("kick", target=chan), "KICK seen by the kicker")
    check("the kicker's bot dropped the victim", op.channels.get(chan) and not op.channels[chan].has_user(account),
          str(op.channels.get(chan) and list(op.channels[chan].users())))
    # (NAMES from outside a channel would crash the bot's own handler, which expects NAMES only
    # for channels it is in: a limitation of the library, RFC 2812 3.2.5 allows the query.)
    op.c.names([chan])
    n = wait(op, ev("namreply"), "NAMES after the KICK")
    check("NAMES after the KICK lists the operator only", n and n.arguments[1] == chan
          and n.arguments[2].split() == ["@pyop"], n and str(n.arguments))
    wait(op, ev("endofnames"), "366")
    al.c.join(chan)
    wait(op, ev("join", nick=account), "rejoin")
    # One word: the library sends the reason without ':' (PART #c see you), so a server rightly
    # takes "see" alone (RFC 2812 3.2.2, one parameter after the channels).
    al.c.part([chan], "seeya")
    p = wait(op, ev("part", nick=account), "PART with a reason")
    check("PART with a reason", p and p.target == chan and p.arguments == ["seeya"], p and str(p.arguments))

    # --- QUIT ----------------------------------------------------------------------------
    al.c.join(chan)
    wait(op, ev("join", nick=account), "rejoin before QUIT")
    al.c.quit("bye now")
    q = wait(op, ev("quit", nick=account), "QUIT")
    check("QUIT with its reason seen by the other client", q and q.arguments == ["Quit: bye now"]
          or q and q.arguments == ["bye now"], q and str(q.arguments))
    e = wait(al, lambda e: e.type in ("error", "disconnect"), "ERROR after QUIT")
    check("the quitting client gets ERROR then the close", e is not None, "")
    op.c.quit("done")
    wait(op, lambda e: e.type == "disconnect", "pyop disconnects")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
