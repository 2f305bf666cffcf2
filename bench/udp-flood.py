#!/usr/bin/python3
"""Floods a UDP daemon with forged requests from many loopback sources and samples its RSS.

    udp-flood.py tftp|tftp-hold|stun|rdv-hold PORT PID [SECONDS=20] [SOURCES=250] [FILE=big.img]

tftp: RRQs for FILE asking blksize 65464 and windowsize 16, never acknowledged (what a forged
source sends: the OACKs go to someone else). tftp-hold: one such RRQ per source whose OACK is
answered with ACK 0 once (so the server fills its 1 MiB window) and never again: the most
memory real clients can make a transfer hold, for sizing; SECONDS should stay under the
server's stall limit (about 8 s with --timeout 1s --retries 5). rdv-hold: each source socket
REGISTERs a session of its own once and echoes its probe, so the rendezvous-server holds one
registration per source (16 sources per address, its default per-address limit). stun: STUN Binding requests with fresh transaction
IDs. Each source is its own 127.77.x.y address and sends as fast as the socket lets it; answers
are read and thrown away so our receive buffers never fill. Prints the daemon's VmRSS before,
the highest sample (every 0.5 s), after a 10 s quiet period, and the datagrams sent.
"""
import os
import selectors
import socket
import struct
import sys
import time

kind, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20
sources = int(sys.argv[5]) if len(sys.argv) > 5 else 250
name = (sys.argv[6] if len(sys.argv) > 6 else "big.img").encode()


def rss_mib():
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


RDV = b"\xd5\x52\x01"
session = [int.from_bytes(os.urandom(3), "big") << 8]


def payload():
    if kind == "rdv-hold":
        session[0] += 1
        return RDV + b"\x01" + struct.pack("!QIQB", 0, session[0] & 0xFFFFFFFF, 1, 0)
    if kind.startswith("tftp"):
        return struct.pack("!H", 1) + name + b"\0octet\0blksize\x0065464\0windowsize\x0016\0"
    return struct.pack("!HHI", 0x0001, 0, 0x2112A442) + os.urandom(12)


socks = []
for i in range(sources):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    n = i // 16 if kind == "rdv-hold" else i
    s.bind(("127.77.%d.%d" % (1 + n // 250, 1 + n % 250), 0))
    s.setblocking(False)
    socks.append(s)
target = ("127.0.0.1", port)
poll = selectors.DefaultSelector()
for s in socks:
    poll.register(s, selectors.EVENT_READ)
before = rss_mib()
peak, sent, t0, next_sample = before, 0, time.time(), 0
answered, sessions = set(), {}
while time.time() - t0 < seconds:
    # A hold sends each source's one request, 100 per round (a burst overflows the server's socket).
    for s in socks if not kind.endswith("-hold") else socks[sent:sent + 100]:
        try:
            s.sendto(payload(), target)
            sessions[s] = session[0] & 0xFFFFFFFF
            sent += 1
        except BlockingIOError:
            pass
    for key, _ in poll.select(0.002 if kind.endswith("-hold") else 0):
        s = key.fileobj
        try:
            while True:
                packet, src = s.recvfrom(70000)
                if kind == "tftp-hold" and packet[:2] == b"\0\x06" and s not in answered:
                    s.sendto(b"\0\x04\0\0", src)
                    answered.add(s)
                elif kind == "rdv-hold" and packet[3:4] == b"\x02" and s not in answered:
                    s.sendto(RDV + b"\x03" + struct.pack("!QIQ", 0, sessions[s], 1) + packet[16:32], src)
                    answered.add(s)
        except BlockingIOError:
            pass
    if time.time() >= next_sample:
        peak = max(peak, rss_mib())
        next_sample = time.time() + 0.5
for _ in range(20):
    time.sleep(0.5)
    peak = max(peak, rss_mib())
if kind.endswith("-hold"):
    print("%s: %d of %d sources answered" % (kind, len(answered), sources))
print("%s flood: %d datagrams from %d sources in %.0f s; RSS before %.0f MiB, peak %.0f MiB, 10 s after %.0f MiB"
      % (kind, sent, sources, seconds, before, peak, rss_mib()))
