#!/usr/bin/python3
"""STUN Binding against a server with the STUN messages of Debian's python3-aioice (aioice.stun).

    interop/stun_aioice.py HOST PORT [USERNAME PASSWORD]

Sends a Binding request built by aioice (with FINGERPRINT; with MESSAGE-INTEGRITY when
credentials are given), parses the answer with aioice.stun.parse_message (which checks the
FINGERPRINT and, given the key, the MESSAGE-INTEGRITY) and prints the XOR-MAPPED-ADDRESS.
Exits 0 when the mapped address is the client socket's own address, 1 otherwise.
"""
import socket
import sys

from aioice import stun


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    key = sys.argv[4].encode() if len(sys.argv) > 4 else None
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(5)
    sock.bind(("127.0.0.1", 0))
    request = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST)
    request.attributes["SOFTWARE"] = "aioice interop"
    if key:
        request.attributes["USERNAME"] = sys.argv[3]
        request.add_message_integrity(key)  # MESSAGE-INTEGRITY, then FINGERPRINT
    else:
        request.attributes["FINGERPRINT"] = stun.message_fingerprint(bytes(request))
    sock.sendto(bytes(request), (host, port))
    data, _ = sock.recvfrom(2048)
    response = stun.parse_message(data, integrity_key=key)  # raises ValueError on a bad FINGERPRINT or MAC
    mapped = response.attributes["XOR-MAPPED-ADDRESS"]
    print(f"class={response.message_class.name} mapped={mapped[0]}:{mapped[1]} "
          f"integrity={'MESSAGE-INTEGRITY' in response.attributes} length={len(data)}")
    ok = (response.message_class == stun.Class.RESPONSE and response.transaction_id == request.transaction_id
          and tuple(mapped) == sock.getsockname())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
