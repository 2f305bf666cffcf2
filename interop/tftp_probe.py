#!/usr/bin/python3
"""Raw RFC probes against a TFTP server: what a tftpy-style or hostile client sends.

    tftp_probe.py PORT ROOT    (server on 127.0.0.1:PORT serving ROOT, read-write, create,
                                --max-per-address 2; the files are made here, see FILES)

Each probe sends hand-built packets from its own loopback address (127.0.0.N, so the
per-address limit of one does not touch another) and checks the answer RFC 1350, 2347,
2348, 2349 or 7440 gives, byte by byte. One line per probe, "PASS name" or "FAIL name (why)";
the exit status is 1 if any failed. Standard library only.
"""
import os
import socket
import struct
import sys
import time

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6
PORT = int(sys.argv[1])
ROOT = sys.argv[2]
SERVER = ("127.0.0.1", PORT)
TEXT = b"one\ntwo\rthree\r\nfour\r\r\nfive\x00\r"  # LF, bare CR, CR LF, CR CR LF, NUL, final CR
# RFC 764 as RFC 1350 asks: LF -> CR LF, CR -> CR NUL (a local CR LF is a CR and an LF).
TEXT_WIRE = b"one\r\ntwo\r\x00three\r\x00\r\nfour\r\x00\r\x00\r\nfive\x00\r\x00"
FILES = {
    "small.bin": os.urandom(1300),
    "six.bin": os.urandom(600 * 1024),
    "text.txt": TEXT,
    "readonly.bin": b"do not replace me\n",
}
failed = 0
_next_host = [10]


def result(name, ok, why=""):
    global failed
    failed += 0 if ok else 1
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not why else " (" + why + ")"), flush=True)


def request(op, name, mode=b"octet", options=(), nul=True):
    body = name + b"\0" + mode + b"\0" + b"".join(k + b"\0" + v + b"\0" for k, v in options)
    return struct.pack("!H", op) + (body if nul else body[:-1])


def ack(block):
    return struct.pack("!HH", ACK, block & 0xFFFF)


def error(code, text):
    return struct.pack("!HH", ERROR, code) + text + b"\0"


def parse(packet):
    """(opcode, detail): DATA/ACK (block, payload), ERROR (code, text), OACK {name: value}."""
    op = struct.unpack("!H", packet[:2])[0]
    if op in (DATA, ACK):
        return op, (struct.unpack("!H", packet[2:4])[0], packet[4:])
    if op == ERROR:
        return op, (struct.unpack("!H", packet[2:4])[0], packet[4:].rstrip(b"\0"))
    if op == OACK:
        parts = packet[2:].split(b"\0")[:-1]
        return op, {parts[i].lower(): parts[i + 1] for i in range(0, len(parts) - 1, 2)}
    return op, packet[2:]


class Client:
    """One socket on its own loopback address; remembers the server's TID."""

    def __init__(self, host=None):
        if host is None:
            _next_host[0] += 1
            host = "127.0.0.%d" % _next_host[0]
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.tid = None

    def send(self, packet, to=None):
        self.sock.sendto(packet, to or self.tid or SERVER)

    def recv(self, timeout=2.0):
        """(opcode, detail) of the next packet from the server's host, or None on a timeout."""
        self.sock.settimeout(timeout)
        try:
            packet, src = self.sock.recvfrom(70000)
        except socket.timeout:
            return None
        if self.tid is None and src != SERVER:
            self.tid = src
        return parse(packet)

    def abandon(self):
        if self.tid:
            self.send(error(0, b"probe done"))
        self.sock.close()


def first_reply(options, name=b"small.bin", mode=b"octet", op=RRQ):
    c = Client()
    c.send(request(op, name, mode, options))
    return c, c.recv()


def read_all(c, first, block_size, window=1):
    """Follows a read from its first packet (an OACK or DATA 1); returns the payload and blocks seen."""
    out, blocks, expected, in_window, last = [], [], 1, 0, 0
    reply = first
    if reply and reply[0] == OACK:
        c.send(ack(0))
        reply = c.recv()
    while True:
        if reply is None:
            c.send(ack(last))
            reply = c.recv()
            if reply is None:
                raise AssertionError("no DATA %d" % expected)
            continue
        op, (block, payload) = reply
        if op != DATA:
            raise AssertionError("opcode %d while reading" % op)
        if block == expected & 0xFFFF:
            out.append(payload)
            blocks.append(block)
            last, expected, in_window = expected, expected + 1, in_window + 1
            if len(payload) < block_size:
                c.send(ack(last))
                return b"".join(out), blocks
            if in_window == window:
                c.send(ack(last))
                in_window = 0
        reply = c.recv(1.0)


def probe_mixed_case():
    c, r = first_reply([(b"BlkSize", b"1024")], mode=b"OCTET")
    ok = r and r[0] == OACK and r[1] == {b"blksize": b"1024"}
    data = read_all(c, r, 1024)[0] if ok else b""
    result("mixed case: OCTET and BlkSize 1024 are an OACK blksize 1024 and 1024-byte blocks",
           ok and data == FILES["small.bin"], repr(r))
    c.abandon()
    c, r = first_reply([], name=b"text.txt", mode=b"NetAscii")
    result("mixed case: mode NetAscii is netascii", r and r[0] == DATA and r[1][1] == TEXT_WIRE, repr(r))
    c.abandon()


def probe_duplicate_options():
    # RFC 2347 says nothing of duplicates: a refusal (ERROR 4 or 8) or one of the values is fine.
    c, r = first_reply([(b"blksize", b"1024"), (b"BLKSIZE", b"2048")])
    ok = r and (r[0] == ERROR and r[1][0] in (4, 8) or r[0] == OACK and r[1].get(b"blksize") in (b"1024", b"2048"))
    result("duplicate blksize: refused with ERROR 4/8 or one value granted", ok, repr(r))
    c.abandon()


def probe_unknown_options():
    c, r = first_reply([(b"blksize", b"1024"), (b"frobnicate", b"yes"), (b"multicast", b"")])
    result("unknown options are not echoed (RFC 2347): OACK holds blksize only",
           r and r[0] == OACK and r[1] == {b"blksize": b"1024"}, repr(r))
    c.abandon()
    c, r = first_reply([(b"frobnicate", b"yes")])
    result("only unknown options: no OACK, DATA 1 of 512 bytes (RFC 2347)",
           r and r[0] == DATA and r[1][0] == 1 and len(r[1][1]) == 512, repr(r))
    c.abandon()


def probe_out_of_range():
    cases = [
        ("blksize 7 (RFC 2348: 8..65464)", [(b"blksize", b"7")], None),
        ("windowsize 0 (RFC 7440: 1..65535)", [(b"windowsize", b"0")], None),
        ("windowsize 65536", [(b"windowsize", b"65536")], None),
        ("timeout 0 (RFC 2349: 1..255)", [(b"timeout", b"0")], None),
        ("timeout 256", [(b"timeout", b"256")], None),
    ]
    for label, options, _ in cases:
        c, r = first_reply(options)
        # Not acknowledged: with nothing else asked the answer is plain RFC 1350 (or ERROR 8).
        ok = r and (r[0] == DATA and r[1][0] == 1 and len(r[1][1]) == 512 or r[0] == ERROR and r[1][0] == 8)
        result("out of range " + label + ": not acknowledged", ok, repr(r))
        c.abandon()
    c, r = first_reply([(b"blksize", b"65465")])
    ok = r and r[0] == OACK and 8 <= int(r[1].get(b"blksize", b"0")) <= 65464
    result("blksize 65465: granted at most 65464", ok, repr(r))
    c.abandon()
    c, r = first_reply([(b"tsize", b"12345")])
    result("tsize 12345 on a read is answered with the file's size (RFC 2349)",
           r and r[0] == OACK and r[1].get(b"tsize") == b"1300", repr(r))
    c.abandon()


def probe_malformed():
    c = Client()
    c.send(request(RRQ, b"small.bin", nul=False))
    r = c.recv()
    result("request missing its final NUL: ERROR 4", r and r[0] == ERROR and r[1][0] == 4, repr(r))
    c.sock.close()
    c = Client()
    c.send(request(RRQ, b"small.bin", options=[(b"blksize", b"1024")], nul=False))
    r = c.recv()
    result("request with options missing its final NUL: ERROR 4", r and r[0] == ERROR and r[1][0] == 4, repr(r))
    c.sock.close()
    c = Client()
    c.send(request(RRQ, b"small.bin", options=[(b"blksize", b"1024")]) + b"\0\0\0")
    r = c.recv()
    result("request padded with NULs after its last option: served, the padding ignored",
           r and r[0] == OACK and r[1] == {b"blksize": b"1024"}, repr(r))
    c.abandon()
    for op, label in ((RRQ, "RRQ"), (WRQ, "WRQ")):
        c = Client()
        c.send(request(op, b""))
        r = c.recv()
        result("%s with an empty file name: an ERROR, no transfer" % label,
               r and r[0] == ERROR and r[1][0] in (1, 2, 4), repr(r))
        c.sock.close()


def probe_netascii():
    for blksize in (512, 8):
        c, r = first_reply([(b"blksize", b"%d" % blksize)] if blksize != 512 else [], name=b"text.txt",
                           mode=b"netascii")
        data = read_all(c, r, blksize)[0]
        result("netascii read (blksize %d): LF -> CR LF, CR -> CR NUL, byte-exact" % blksize, data == TEXT_WIRE,
               repr(data))
        c.abandon()
    # Upload: CR LF -> LF, CR NUL -> CR, CR before anything else kept; a CR LF split by a block
    # boundary (blksize 8: offset 7 | 8) is joined.
    wire = b"abcdefg\r\nline\r\x00x\rZ\r\n"
    want = b"abcdefg\nline\rx\rZ\n"
    name = b"up-netascii.txt"
    c, r = first_reply([(b"blksize", b"8")], name=name, mode=b"netascii", op=WRQ)
    if r and r[0] == OACK:
        chunks = [wire[i:i + 8] for i in range(0, len(wire), 8)] + ([b""] if len(wire) % 8 == 0 else [])
        for i, chunk in enumerate(chunks, 1):
            c.send(struct.pack("!HH", DATA, i) + chunk)
            r = c.recv()
    got = open(os.path.join(ROOT, name.decode()), "rb").read() if os.path.exists(os.path.join(ROOT, name.decode())) else None
    result("netascii write (blksize 8, CR LF across a block boundary): byte-exact", got == want, repr(got))
    c.sock.close()


def probe_rollover():
    for window in (1, 16):
        t0 = time.time()
        c, r = first_reply([(b"blksize", b"8"), (b"windowsize", b"%d" % window)], name=b"six.bin")
        ok = r and r[0] == OACK and r[1].get(b"windowsize") == b"%d" % window
        data, blocks = read_all(c, r, 8, window) if ok else (b"", [])
        wrapped = len(blocks) > 65536 and blocks[65534:65537] == [65535, 0, 1]
        result("rollover: 600 KiB at blksize 8 window %d, block 65535 then 0 (%d blocks, %.1f s)"
               % (window, len(blocks), time.time() - t0), ok and wrapped and data == FILES["six.bin"],
               repr(r) if not ok else "blocks %r" % blocks[65533:65538])
        c.abandon()


def probe_error_mid_transfer():
    host = "127.0.0.%d" % (_next_host[0] + 1)
    _next_host[0] += 1
    a, b = Client(host), Client(host)
    for c in (a, b):
        c.send(request(RRQ, b"six.bin"))
        c.recv()
    d = Client(host)
    d.send(request(RRQ, b"small.bin"))
    r = d.recv()
    result("--max-per-address 2: a third transfer from the address is refused", r and r[0] == ERROR, repr(r))
    d.sock.close()
    a.send(ack(1))
    a.recv()
    for c in (a, b):
        c.send(error(0, b"user cancelled"))
    time.sleep(0.05)
    e = Client(host)
    e.send(request(RRQ, b"small.bin"))
    r = e.recv()
    result("ERROR from the client frees its place at once: a new transfer starts (50 ms later)",
           r and r[0] == DATA and r[1][0] == 1, repr(r))
    late = a.recv(1.5)
    result("ERROR from the client mid-transfer: the server sends nothing more", late is None, repr(late))
    for c in (a, b):
        c.sock.close()
    e.abandon()


def probe_stray_ack():
    c, r = first_reply([], name=b"small.bin")
    stray = Client(c.sock.getsockname()[0])
    stray.send(ack(1), c.tid)
    s = stray.recv()
    result("ACK from another port: ERROR 5 to that port (RFC 1350 section 4)",
           s and s[0] == ERROR and s[1][0] == 5, repr(s))
    stray.sock.close()
    early = c.recv(0.3)
    undisturbed = early is None or early[0] == DATA and early[1][0] == 1
    data, _ = read_all(c, r, 512)
    result("ACK from another port does not disturb the transfer", undisturbed and data == FILES["small.bin"],
           repr(early))
    c.abandon()


def probe_ack0_without_oack():
    c, r = first_reply([], name=b"small.bin")
    c.send(ack(0))  # as if DATA 1 had been an OACK
    extra = c.recv(0.3)
    calm = extra is None or extra[0] == DATA and extra[1][0] == 1
    data, _ = read_all(c, r, 512)
    result("ACK 0 to a plain RRQ's DATA 1: ignored, no ERROR, the read goes on",
           calm and data == FILES["small.bin"], repr(extra))
    c.abandon()


def probe_write_side():
    c, r = first_reply([], name=b"up-plain.bin", op=WRQ)
    stray = Client(c.sock.getsockname()[0])
    stray.send(struct.pack("!HH", DATA, 1) + b"stray", c.tid)
    s = stray.recv()
    stray.sock.close()
    c.send(struct.pack("!HH", DATA, 1) + b"a" * 512)
    first = c.recv()
    c.send(struct.pack("!HH", DATA, 1) + b"a" * 512)  # our ACK 1 was "lost"
    again = c.recv()
    c.send(struct.pack("!HH", DATA, 2) + b"b" * 513)
    big = c.recv()
    result("WRQ: DATA from another port gets ERROR 5, a repeated DATA 1 its ACK again, "
           "a DATA over 512 bytes ERROR 4", r == (ACK, (0, b"")) and s and s[0] == ERROR and s[1][0] == 5
           and first == (ACK, (1, b"")) and again == (ACK, (1, b"")) and big and big[0] == ERROR and big[1][0] == 4,
           repr((r, s, first, again, big)))
    c.sock.close()
    c, r = first_reply([(b"blksize", b"1024")])
    c.send(error(8, b"no thanks"))
    late = c.recv(1.2)
    result("ERROR 8 in answer to the OACK ends the read: nothing more is sent (RFC 2347)",
           r and r[0] == OACK and late is None, repr((r, late)))
    c.sock.close()


def probe_readonly_wrq():
    path = os.path.join(ROOT, "readonly.bin")
    c, r = first_reply([], name=b"readonly.bin", op=WRQ)
    if r and r[0] == ACK:
        c.send(struct.pack("!HH", DATA, 1) + b"replaced")
        c.recv()
    result("WRQ for an existing file without write permission: ERROR 2, file kept",
           r and r[0] == ERROR and r[1][0] == 2 and open(path, "rb").read() == FILES["readonly.bin"], repr(r))
    c.sock.close()


def main():
    for name, content in FILES.items():
        with open(os.path.join(ROOT, name), "wb") as f:
            f.write(content)
        os.chmod(os.path.join(ROOT, name), 0o644)
    os.chmod(os.path.join(ROOT, "readonly.bin"), 0o444)
    for probe in (probe_mixed_case, probe_duplicate_options, probe_unknown_options, probe_out_of_range,
                  probe_malformed, probe_netascii, probe_stray_ack, probe_ack0_without_oack,
                  probe_error_mid_transfer, probe_write_side, probe_readonly_wrq, probe_rollover):
        try:
            probe()
        except Exception as e:  # one broken probe must not hide the others
            result(probe.__name__, False, "%s: %s" % (type(e).__name__, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
