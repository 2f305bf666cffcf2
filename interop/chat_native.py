#!/usr/bin/env python3
"""A second, independent client of protokit-chat/1, written from docs/chat.md.

Python 3 standard library only; the protokit-auth/1 handshake is imported from auth_handshake.py.

  chat_native.py --port P --key FILE join-say-page --room R [--count N]
      log in, join R, send N messages (each acknowledged with a server id), then page the
      room's history back two at a time with "before" and check every id comes exactly once,
      oldest first; print one summary line, exit 0 or 1 with a one-line reason.
  chat_native.py --port P --key FILE say --room R TEXT      send one message, wait for its ack
  chat_native.py --port P --key FILE dm --to ACCOUNT TEXT   send one direct message
  chat_native.py --port P --key FILE expect --room R TEXT [--timeout S]
      join R (or with --dm, wait for a direct message) and wait until a message with TEXT
      arrives; print "FROM: TEXT".
  chat_native.py --port P --key FILE malformed
      send broken messages (unknown type, missing field, control character) and check each
      gets an "error" with the right code while the connection stays up (a ping still answers).
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import auth_handshake  # noqa: E402  (the protokit-auth/1 client next to this file)

MAX_HEADER = 1 << 20


class ProtocolError(Exception):
    """The server broke the protocol or answered unexpectedly."""


class Connection:
    """A logged-in protokit-chat/1 connection: frames are u32 BE length | JSON header | body."""

    def __init__(self, host, port, key_file, ca_file=None):
        key_id, key = auth_handshake.load_key(key_file, None)
        self.sock = socket.create_connection((host, port), timeout=15)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if ca_file:  # chat-server --native-tls: TLS first, then the same handshake and frames inside it
            context = ssl.create_default_context(cafile=ca_file)
            self.sock = context.wrap_socket(self.sock, server_hostname=host)
        auth_handshake.handshake(self.sock, key_id, key)
        self.buffer = b""
        self.refs = 0
        self.welcome = self.receive()
        if self.welcome.get("type") != "welcome":
            raise ProtocolError(f"expected welcome, got {self.welcome!r}")

    def send(self, message, body=b""):
        header = dict(message, bodyLength=len(body))
        data = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(data)) + data + body)

    def send_raw_header(self, data):
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ProtocolError("server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self):
        (length,) = struct.unpack(">I", self._read(4))
        if not 1 <= length <= MAX_HEADER:
            raise ProtocolError(f"header length {length:#010x} out of range")
        header = json.loads(self._read(length).decode("utf-8"))
        body = self._read(header.get("bodyLength", 0))
        if body:
            header["_body"] = body
        return header

    def request(self, message):
        """Sends message with a fresh ref; returns the ack, error or reply carrying that ref."""
        self.refs += 1
        ref = f"py{self.refs}"
        self.send(dict(message, ref=ref))
        return self.until(lambda m: m.get("ref") == ref)

    def until(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            message = self.receive()
            if predicate(message):
                return message
        raise ProtocolError("timed out waiting for the server")

    def join(self, room):
        self.send({"type": "join", "room": room})
        reply = self.until(lambda m: m.get("type") in ("room", "error"))
        if reply["type"] == "error":
            raise ProtocolError(f"join {room}: {reply['code']}: {reply['text']}")
        return reply


def acked(reply, what):
    if reply.get("type") != "ack" or not isinstance(reply.get("id"), int):
        raise ProtocolError(f"{what}: expected ack with an id, got {reply!r}")
    return reply["id"]


def join_say_page(c, args):
    room = c.join(args.room)
    if not any(m["account"] == c.welcome["account"] for m in room["members"]):
        raise ProtocolError("we are not in the member list after joining")
    stamp = str(time.time_ns())
    sent = [acked(c.request({"type": "say", "room": args.room, "text": f"python {stamp} #{i}"}), "say")
            for i in range(args.count)]
    if sent != sorted(sent) or len(set(sent)) != len(sent):
        raise ProtocolError(f"server ids not increasing: {sent}")
    seen, before, pages = [], sent[-1] + 1, 0
    while len(seen) < len(sent):
        c.send({"type": "history", "room": args.room, "before": before, "limit": 2})
        page = c.until(lambda m: m.get("type") in ("history-page", "error"))
        if page["type"] == "error":
            raise ProtocolError(f"history: {page['code']}: {page['text']}")
        ids = [m["id"] for m in page["messages"]]
        if not ids or ids != sorted(ids) or ids[-1] >= before:
            raise ProtocolError(f"history page not oldest-first below {before}: {ids}")
        seen = [m["id"] for m in page["messages"] if stamp in m["text"]] + seen
        before, pages = ids[0], pages + 1
        if not page["more"]:
            break
    if seen != sent:
        raise ProtocolError(f"history gave {seen}, sent {sent}")
    print(f"joined {args.room}, sent {len(sent)} messages (ids {sent[0]}..{sent[-1]}), "
          f"paged them back in {pages} pages of 2, each once, oldest first")


def say(c, args):
    c.join(args.room)
    print(f"ack id {acked(c.request({'type': 'say', 'room': args.room, 'text': args.text}), 'say')}")


def dm(c, args):
    print(f"ack id {acked(c.request({'type': 'dm', 'to': args.to, 'text': args.text}), 'dm')}")


def expect(c, args):
    if not args.dm:
        c.join(args.room)
        print(f"joined {args.room}", flush=True)  # the caller may send now
    wanted = "direct" if args.dm else "message"
    m = c.until(lambda m: m.get("type") == wanted and args.text in m.get("text", ""), args.timeout)
    print(f"{m['from']}: {m['text']}")


def attach(c, args):
    c.join(args.room)
    with open(args.file, "rb") as f:
        data = f.read()
    c.refs += 1
    ref = f"py{c.refs}"
    c.send({"type": "attach", "ref": ref, "room": args.room, "name": args.name, "media_type": args.media_type}, data)
    reply = c.until(lambda m: m.get("ref") == ref)
    print(f"ack id {acked(reply, 'attach')}")


def malformed(c, args):
    cases = [
        (b'{"type":"jion","room":"general"}', "unknown-type"),
        (b'{"type":"say","room":"general","ref":"m2"}', "malformed"),
        (b'{"type":"say","room":"general","text":"a\\u0007b"}', "malformed"),
        (b'{"type":"say","room":"no such room","text":"x"}', "bad-name"),
        (b'{"type":"history","room":"general","limit":5000}', "malformed"),
    ]
    for raw, code in cases:
        c.send_raw_header(raw)
        reply = c.until(lambda m: m.get("type") == "error")
        if reply["code"] != code:
            raise ProtocolError(f"{raw!r}: expected error {code}, got {reply!r}")
    pong = c.request({"type": "ping"})
    if pong.get("type") != "pong":
        raise ProtocolError(f"no pong after the bad messages: {pong!r}")
    print(f"{len(cases)} malformed messages each answered with the right error code; connection still up")


def main():
    parser = argparse.ArgumentParser(description="protokit-chat/1 client (Python stdlib)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--tls-ca-file", help="speak TLS (a server with --native-tls), trusting this PEM")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("join-say-page")
    p.add_argument("--room", required=True)
    p.add_argument("--count", type=int, default=5)
    p = sub.add_parser("say")
    p.add_argument("--room", required=True)
    p.add_argument("text")
    p = sub.add_parser("dm")
    p.add_argument("--to", required=True)
    p.add_argument("text")
    p = sub.add_parser("expect")
    p.add_argument("--room")
    p.add_argument("--dm", action="store_true")
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("text")
    p = sub.add_parser("attach")
    p.add_argument("--room", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--media-type", default="application/octet-stream")
    p.add_argument("file")
    sub.add_parser("malformed")
    args = parser.parse_args()
    commands = {"join-say-page": join_say_page, "say": say, "dm": dm, "expect": expect, "attach": attach,
                "malformed": malformed}
    try:
        c = Connection(args.host, args.port, args.key, args.tls_ca_file)
        try:
            commands[args.command](c, args)
        finally:
            c.sock.close()
        return 0
    except (ProtocolError, auth_handshake.AuthFailed, OSError, ValueError, KeyError) as e:
        print(f"chat_native.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
