#!/usr/bin/env python3
"""IRC checks against chat-server with Python's standard library only (interop/chat.sh runs them).

    chat_irc.py scram HOST PORT USER PASSWORD         SASL SCRAM-SHA-256 (RFC 7677), verifies the server signature
    chat_irc.py plain-tls HOST PORT USER PASSWORD     SASL PLAIN over TLS
    chat_irc.py say HOST PORT NICK CHANNEL TEXT       joins and sends one message
    chat_irc.py wait HOST PORT NICK CHANNEL TEXT SECS joins, sends READY, waits for a PRIVMSG containing TEXT
    chat_irc.py history HOST PORT USER PASSWORD CHANNEL   sends 5 lines, pages them back with CHATHISTORY
    chat_irc.py abuse HOST PORT                       overlong line (417), LF alone, bare CR, NUL, flood (Excess Flood)
    chat_irc.py stall HOST PORT N                     N clients that never read must not stall a channel
    chat_irc.py remote-plain HOST PORT USER PASSWORD  from a non-loopback address: no PLAIN, PASS refused

Each prints PASS/FAIL lines and exits 1 if any check failed.
"""
import base64, hashlib, hmac, os, socket, ssl, sys, time

FAILED = 0


def report(ok, name, why=""):
    global FAILED
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else " (" + why + ")"), flush=True)
    if not ok:
        FAILED += 1


class Irc:
    def __init__(self, host, port, tls=False, timeout=30):
        s = socket.create_connection((host, int(port)), timeout=timeout)
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(s)
        self.s, self.buf, self.lines = s, b"", []

    def send(self, line):
        self.s.sendall(line.encode() + b"\r\n")

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\r\n", 1)
        text = raw.decode("utf-8", "replace")
        self.lines.append(text)
        return text

    def until(self, pred, what):
        while True:
            l = self.line()
            if l is None:
                raise AssertionError("closed waiting for %s; last: %s" % (what, self.lines[-5:]))
            if pred(l):
                return l

    def cmd(self, l):
        parts = l.split(" ")
        i = 1 if parts[0].startswith("@") else 0
        i += 1 if parts[i].startswith(":") else 0
        return parts[i] if i < len(parts) else ""

    def expect(self, *cmds):
        return self.until(lambda l: self.cmd(l) in cmds, "|".join(cmds))

    def register(self, nick, caps=()):
        if caps:
            self.send("CAP LS 302")
            self.send("CAP REQ :" + " ".join(caps))
        self.send("NICK " + nick)
        self.send("USER %s 0 * :%s" % (nick, nick))
        if caps:
            self.send("CAP END")
        self.expect("001")


def text(line):
    """The trailing parameter of a PRIVMSG line, tags and source removed."""
    rest = line.split(" PRIVMSG ", 1)[1]
    return rest.split(" ", 1)[1][1:] if " :" in rest else rest.split(" ", 1)[1]


def b64(b):
    return base64.b64encode(b).decode()


def sasl_start(irc, mech):
    irc.send("CAP LS 302")
    irc.send("CAP REQ :sasl server-time message-tags batch draft/chathistory")
    irc.expect("CAP")
    ls = [l for l in irc.lines if " LS " in l]
    irc.until(lambda l: " ACK " in l, "CAP ACK")
    irc.send("AUTHENTICATE " + mech)
    irc.expect("AUTHENTICATE")


def scram(host, port, user, password):
    irc = Irc(host, port)
    sasl_start(irc, "SCRAM-SHA-256")
    cnonce = b64(os.urandom(18))
    first_bare = "n=%s,r=%s" % (user, cnonce)
    irc.send("AUTHENTICATE " + b64(("n,," + first_bare).encode()))
    server_first = base64.b64decode(irc.expect("AUTHENTICATE").split(" ")[-1]).decode()
    attrs = dict(a.split("=", 1) for a in server_first.split(","))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
    final_wo = "c=biws,r=" + attrs["r"]
    auth = ",".join([first_bare, server_first, final_wo]).encode()
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    sig = hmac.new(hashlib.sha256(client_key).digest(), auth, "sha256").digest()
    proof = bytes(a ^ b for a, b in zip(client_key, sig))
    irc.send("AUTHENTICATE " + b64((final_wo + ",p=" + b64(proof)).encode()))
    v = base64.b64decode(irc.expect("AUTHENTICATE", "904").split(" ")[-1]).decode()
    want = hmac.new(hmac.new(salted, b"Server Key", "sha256").digest(), auth, "sha256").digest()
    report(hmac.compare_digest(v, "v=" + b64(want)), "SCRAM-SHA-256: the server's signature verifies (mutual)")
    irc.send("AUTHENTICATE +")
    report(" 903 " in irc.expect("903", "904"), "SCRAM-SHA-256 login as " + user)


def plain_tls(host, port, user, password):
    irc = Irc(host, port, tls=True)
    sasl_start(irc, "PLAIN")
    irc.send("AUTHENTICATE " + b64(("\0%s\0%s" % (user, password)).encode()))
    report(" 903 " in irc.expect("903", "904"), "SASL PLAIN over TLS as " + user)
    irc.send("NICK " + user)
    irc.send("USER u 0 * :u")
    irc.send("CAP END")
    welcome = irc.expect("001")
    report(user + "!" + user + "@" in welcome, "registered with the account's nick", welcome)


def say(host, port, nick, channel, text):
    irc = Irc(host, port)
    irc.register(nick)
    irc.send("JOIN " + channel)
    irc.expect("366")
    irc.send("PRIVMSG %s :%s" % (channel, text))
    irc.send("PING :done")
    irc.expect("PONG")
    irc.send("QUIT :bye")


def wait(host, port, nick, channel, text, secs):
    irc = Irc(host, port, timeout=float(secs))
    irc.register(nick)
    irc.send("JOIN " + channel)
    irc.expect("366")
    print("READY", flush=True)
    try:
        got = irc.until(lambda l: irc.cmd(l) == "PRIVMSG" and text in l, "PRIVMSG " + text)
        report(True, "%s received '%s'" % (nick, text))
        print(got, flush=True)
    except (AssertionError, socket.timeout) as e:
        report(False, "%s received '%s'" % (nick, text), str(e))


def history(host, port, user, password, channel):
    irc = Irc(host, port)
    sasl_start(irc, "PLAIN")
    irc.send("AUTHENTICATE " + b64(("\0%s\0%s" % (user, password)).encode()))
    irc.expect("903")
    irc.send("NICK " + user)
    irc.send("USER u 0 * :u")
    irc.send("CAP END")
    irc.expect("001")
    irc.send("JOIN " + channel)
    irc.expect("366")
    for i in range(5):
        irc.send("PRIVMSG %s :history %d" % (channel, i))
    irc.send("CHATHISTORY LATEST %s * 2" % channel)
    irc.until(lambda l: irc.cmd(l) == "BATCH" and "chathistory" in l, "BATCH +")
    page = []
    while True:
        l = irc.line()
        if irc.cmd(l) == "BATCH":
            break
        page.append(l)
    texts = [text(l) for l in page if " PRIVMSG " in l]
    report(texts == ["history 3", "history 4"], "CHATHISTORY LATEST pages the newest messages", str(texts))
    msgid = [t for t in page[0].split(" ")[0][1:].split(";") if t.startswith("msgid=")][0][6:]
    irc.send("CHATHISTORY BEFORE %s msgid=%s 2" % (channel, msgid))
    irc.until(lambda l: irc.cmd(l) == "BATCH", "BATCH +")
    older = []
    while True:
        l = irc.line()
        if irc.cmd(l) == "BATCH":
            break
        older.append(text(l))
    report(older == ["history 1", "history 2"], "CHATHISTORY BEFORE msgid pages back", str(older))


def abuse(host, port):
    irc = Irc(host, port)
    irc.register("abuser")
    irc.send("PRIVMSG #x :" + "A" * 700)
    report(" 417 " in irc.expect("417"), "overlong line gets 417")
    irc.s.sendall(b"PING :lf-only\n")
    report("lf-only" in irc.expect("PONG"), "a lone LF ends a line, as in every ircd")
    irc.s.sendall(b"PING :cr\rPRIVMSG #x :smuggled\r\n")
    report(" 421 " in irc.expect("421"), "a lone CR is refused with its whole line")
    irc.s.sendall(b"PING :a\x00b\r\n")
    report(" 421 " in irc.expect("421"), "NUL in a line gets 421")
    irc.send("PING :alive")
    report("alive" in irc.expect("PONG"), "connection still up after malformed input")
    irc.s.sendall(b"".join(b"PING :%d\r\n" % i for i in range(500)))
    rest = []
    try:
        while True:
            l = irc.line()
            if l is None:
                break
            rest.append(l)
    except (ConnectionError, socket.timeout):
        pass
    report(any("Excess Flood" in l for l in rest), "a flood is cut with Excess Flood", str(rest[-2:]))


def received(got):
    """The number of the last talker line the reader has seen, plus one (0 for none)."""
    for l in reversed(got[-50:]):
        if " PRIVMSG #stall :" in l:
            return int(text(l).split(" ", 1)[0]) + 1
    return 0


def remote_plain(host, port, user, password):
    """From a non-loopback address over plain TCP: no PLAIN offered, PASS refused, SCRAM works."""
    irc = Irc(host, port)
    irc.send("CAP LS 302")
    ls = irc.expect("CAP")
    report("sasl=SCRAM-SHA-256" in ls and "PLAIN" not in ls, "plain TCP from a remote address offers only SCRAM-SHA-256", ls)
    irc.send("CAP END")
    irc.send("PASS %s:%s" % (user, password))
    irc.send("NICK " + user)
    irc.send("USER u 0 * :u")
    refused = irc.expect("464", "001")
    report(" 464 " in refused and "TLS" in refused, "PASS in the clear from a remote address is refused (464)", refused)
    closed = irc.expect("ERROR", "001")
    report(closed.startswith("ERROR"), "and the link is closed", closed)


def stall(host, port, n):
    sleepers = []
    for i in range(int(n)):
        s = socket.create_connection((host, int(port)))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"NICK sleep%d\r\nUSER s 0 * :s\r\nJOIN #stall\r\n" % i)
        sleepers.append(s)
    reader, talker = Irc(host, port), Irc(host, port)
    reader.register("reader")
    talker.register("talker")
    reader.send("JOIN #stall")
    reader.expect("366")
    talker.send("JOIN #stall")
    talker.expect("366")
    time.sleep(1)
    import threading
    got = []
    done = threading.Event()

    def read():
        while not done.is_set():
            l = reader.line()
            if l is None:
                return
            got.append(l)
            if ":the end" in l:
                done.set()
    t = threading.Thread(target=read, daemon=True)
    t.start()
    start = time.time()
    sent = 0
    # Until every sleeper's kernel buffers and send queue are full (loopback buffers grow to MiBs).
    # The talker stays at most 24 lines (about 11 KB of 450-byte lines, under the 16 KiB send
    # queue, which fan-out wake-ups may let fill for up to 20 ms) ahead of the reader, so only a
    # client that never reads, not one slowed by a busy machine, is cut: batches of 16, each
    # sent once the reader has all but 8 of the lines before it.
    quits = 0
    while sent < 40000 and quits < int(n):
        for i in range(16):
            talker.send("PRIVMSG #stall :%d %s" % (sent, "x" * 400))
            sent += 1
        deadline = time.time() + 60
        while received(got) < sent - 8 and time.time() < deadline:
            time.sleep(0.01)
        quits = sum(1 for l in list(got) if "SendQ exceeded" in l)
    talker.send("PRIVMSG #stall :the end")
    done.wait(60)
    report(done.is_set(), "%d never-reading clients do not stall the channel (%.1fs)" % (int(n), time.time() - start))
    cut = sum(1 for l in got if "SendQ exceeded" in l)
    report(cut == int(n), "each never-reading client was cut with SendQ exceeded", "%d of %s" % (cut, n))
    for s in sleepers:
        s.close()


if __name__ == "__main__":
    case, args = sys.argv[1], sys.argv[2:]
    try:
        {"scram": scram, "plain-tls": plain_tls, "say": say, "wait": wait, "history": history,
         "abuse": abuse, "stall": stall, "remote-plain": remote_plain}[case](*args)
    except Exception as e:  # a broken exchange is a failed check, not a traceback
        report(False, case, repr(e))
    sys.exit(1 if FAILED else 0)
