#!/usr/bin/env python3
"""A second, independent implementation of the protokit-auth/1 client, from docs/auth-handshake.md.

Python 3 standard library only (hmac, hashlib, socket, json, base64, secrets, struct).

  auth_handshake.py --port P --key FILE [--host H] [--key-id ID] [--message TEXT]
      authenticate (checking the server's proof too), send one line, check the reply is the
      line with a-z upper-cased, print it; exit 0, or 1 with a one-line reason.
  auth_handshake.py ... --expect-failure
      exit 0 only if the server answers with the generic failure and echoes nothing.
  auth_handshake.py ... --count N
      N sequential handshakes (connect, authenticate, close); print one JSON line with the
      rate and latency percentiles, for bench/auth.sh.
"""
import argparse
import base64
import hashlib
import hmac
import json
import secrets
import socket
import struct
import sys
import time

LABEL = b"protokit-auth/1"
MAX_FRAME = 1024
GENERIC_FAILURE = b'{"type":"failure","error":"authentication failed"}'


class AuthFailed(Exception):
    """The handshake did not complete; the message says why."""


def load_key(path, key_id):
    keys = []
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            fields = line.split()
            if len(fields) != 2:
                raise SystemExit(f"{path} line {number}: expected 'key-id base64-secret'")
            secret = base64.b64decode(fields[1], validate=True)
            if len(secret) != 32:
                raise SystemExit(f"{path} line {number}: secret is not 32 bytes")
            keys.append((fields[0].decode("ascii"), secret))
    if not keys:
        raise SystemExit(f"{path} holds no keys")
    if key_id is None:
        return keys[0]
    for kid, secret in keys:
        if kid == key_id:
            return kid, secret
    raise SystemExit(f"{path} has no key {key_id}")


def frame(body):
    return struct.pack(">I", len(body)) + body


def read_exactly(sock, n, what):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise AuthFailed(f"server closed the connection while sending {what}")
        data += chunk
    return data


def read_frame(sock, what):
    (length,) = struct.unpack(">I", read_exactly(sock, 4, what))
    if not 1 <= length <= MAX_FRAME:
        raise AuthFailed(f"{what} frame length {length:#010x} out of range")
    return read_exactly(sock, length, what)


def parse(body, expected):
    message = json.loads(body.decode("utf-8"))
    if message.get("type") == "failure":
        raise AuthFailed("server refused authentication")
    if message.get("type") != expected:
        raise AuthFailed(f"expected {expected}, got {message.get('type')!r}")
    return message


def b64_32(message, field):
    value = base64.b64decode(message[field], validate=True)
    if len(value) != 32:
        raise AuthFailed(f"{field} is not 32 bytes")
    return value


def mac(key, role, *frames):
    # MAC = HMAC-SHA256(K, "protokit-auth/1 <role>" 0x00 || T1 || T2 ...), each Ti a whole frame.
    return hmac.new(key, LABEL + b" " + role + b"\x00" + b"".join(frames), hashlib.sha256).digest()


def hkdf_sha256(salt, ikm, info, length=32):
    """RFC 5869: extract (section 2.2), then expand (section 2.3)."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


def handshake(sock, key_id, key):
    """Runs protokit-auth/1 as the client; returns (client->server key, server->client key)."""
    nc = secrets.token_bytes(32)
    hello = json.dumps({"type": "client-hello", "protocol": LABEL.decode(), "key_id": key_id,
                        "nonce": base64.b64encode(nc).decode()}, separators=(",", ":")).encode()
    t1 = frame(hello)
    sock.sendall(t1)
    challenge_body = read_frame(sock, "server-challenge")
    ns = b64_32(parse(challenge_body, "server-challenge"), "nonce")
    if ns == nc:
        raise AuthFailed("server-challenge echoes our nonce (reflection)")
    t2 = frame(challenge_body)
    proof = json.dumps({"type": "client-proof", "mac": base64.b64encode(mac(key, b"client", t1, t2)).decode()},
                       separators=(",", ":")).encode()
    t3 = frame(proof)
    sock.sendall(t3)
    server_body = read_frame(sock, "server-proof")
    server_mac = b64_32(parse(server_body, "server-proof"), "mac")
    if not hmac.compare_digest(server_mac, mac(key, b"server", t1, t2, t3)):
        raise AuthFailed("server-proof does not verify: the server does not hold the key")
    t4 = frame(server_body)
    transcript_hash = hashlib.sha256(t1 + t2 + t3 + t4).digest()
    c2s = hkdf_sha256(nc + ns, key, LABEL + b" client->server\x00" + transcript_hash)
    s2c = hkdf_sha256(nc + ns, key, LABEL + b" server->client\x00" + transcript_hash)
    return c2s, s2c


def read_line(sock, buffered=b""):
    while b"\r\n" not in buffered:
        chunk = sock.recv(4096)
        if not chunk:
            raise AuthFailed("server closed the connection before replying")
        buffered += chunk
    line, _, rest = buffered.partition(b"\r\n")
    return line, rest


def expect_failure(args, key_id, key):
    with socket.create_connection((args.host, args.port), timeout=10) as sock:
        try:
            handshake(sock, key_id, key)
        except AuthFailed as e:
            if "refused" not in str(e):
                print(f"auth_handshake.py: unexpected failure: {e}", file=sys.stderr)
                return 1
        else:
            print("auth_handshake.py: authentication succeeded but failure was expected", file=sys.stderr)
            return 1
        try:
            sock.sendall(b"echo me\r\n")
        except OSError:
            pass
        rest = b""
        try:
            while chunk := sock.recv(4096):
                rest += chunk
        except ConnectionResetError:
            pass
        if rest:
            print(f"auth_handshake.py: server sent {rest!r} after the failure", file=sys.stderr)
            return 1
    print("refused as expected: generic failure, nothing echoed")
    return 0


def bench(args, key_id, key):
    latencies = []
    start = time.perf_counter()
    for _ in range(args.count):
        t0 = time.perf_counter()
        with socket.create_connection((args.host, args.port), timeout=10) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            handshake(sock, key_id, key)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print(json.dumps({"handshakes": args.count, "seconds": round(elapsed, 3), "rate": round(args.count / elapsed, 1),
                      "p50_ms": round(pct(0.50), 3), "p99_ms": round(pct(0.99), 3)}))
    return 0


def main():
    parser = argparse.ArgumentParser(description="protokit-auth/1 client (Python stdlib)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True, help="key file: 'key-id base64-secret' lines")
    parser.add_argument("--key-id")
    parser.add_argument("--message", default="hello from python")
    parser.add_argument("--expect-failure", action="store_true")
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    key_id, key = load_key(args.key, args.key_id)
    try:
        if args.expect_failure:
            return expect_failure(args, key_id, key)
        if args.count:
            return bench(args, key_id, key)
        with socket.create_connection((args.host, args.port), timeout=10) as sock:
            c2s, s2c = handshake(sock, key_id, key)
            sock.sendall(args.message.encode("latin-1") + b"\r\n")
            reply, _ = read_line(sock)
        expected = args.message.encode("latin-1").translate(bytes.maketrans(
            b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        if reply != expected:
            print(f"auth_handshake.py: reply {reply!r}, expected {expected!r}", file=sys.stderr)
            return 1
        print(reply.decode("latin-1"))
        # Fingerprints only: the keys themselves are never printed.
        print(f"session keys c2s {hashlib.sha256(c2s).hexdigest()[:16]} s2c {hashlib.sha256(s2c).hexdigest()[:16]}",
              file=sys.stderr)
        return 0
    except (AuthFailed, OSError, ValueError, KeyError) as e:
        print(f"auth_handshake.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
