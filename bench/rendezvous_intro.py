#!/usr/bin/python3
"""Rendezvous introductions per second against a rendezvous-server (bench/rendezvous.sh).

    bench/rendezvous_intro.py HOST PORT PAIRS

Run the server with --max-registrations-per-address above 64 (all pairs come from one address).
For each pair: two UDP sockets REGISTER under a fresh session number, echo their probes, and
wait for both INTRODUCE messages (the wire layout is docs/rendezvous.md's). Pairs run one after
the other, 32 in flight; prints "introductions_per_s p50_ms p99_ms".
"""
import os
import socket
import struct
import sys
import time

MAGIC = b"\xd5\x52\x01"


def register(tx, session, peer):
    return MAGIC + b"\x01" + struct.pack("!QIQB", tx, session, peer, 0)


def main():
    host, port, pairs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    base = int.from_bytes(os.urandom(3), "big") << 8
    latencies = []
    start = time.monotonic()
    batch = 32
    for first in range(0, pairs, batch):
        group = []
        for i in range(first, min(pairs, first + batch)):
            socks = []
            for role in (1, 2):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(5)
                s.connect((host, port))
                socks.append(s)
            group.append((base + i, socks, time.monotonic()))
            for role, s in enumerate(socks):
                s.send(register(i, base + i, role + 1))
        for session, socks, t0 in group:
            for role, s in enumerate(socks):
                reply = s.recv(512)
                assert reply[3] == 0x02, reply[:4]
                probe = reply[16:32]
                s.send(MAGIC + b"\x03" + struct.pack("!QIQ", 0, session, role + 1) + probe)
            for s in socks:
                while True:
                    m = s.recv(512)
                    if m[3] == 0x05:
                        break
            latencies.append(time.monotonic() - t0)
            for role, s in enumerate(socks):
                s.send(MAGIC + b"\x06" + struct.pack("!QIQ", 0, session, role + 1))  # LEAVE
                s.close()
    elapsed = time.monotonic() - start
    latencies.sort()
    print("%.0f %.2f %.2f" % (pairs / elapsed, 1000 * latencies[len(latencies) // 2],
                              1000 * latencies[int(len(latencies) * 0.99)]))


if __name__ == "__main__":
    main()
