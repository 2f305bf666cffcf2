#!/usr/bin/env bash
# Interop: the native protocol protokit-chat/1 implemented a second time, in Python's standard
# library (interop/chat_native.py, from docs/chat.md), against our chat-server; our bin/chat on
# the same server; and offline mail notifications received by an independent SMTP server
# (Python's aiosmtpd) whose mails are checked with Python's email package.
#
#   interop/chat-native.sh        # builds chat-server if needed; prints "N passed, N failed"
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init chat-native
pk_clean_out
[ "$(id -u)" -eq 0 ] && pk_apt python3-aiosmtpd
command -v python3 >/dev/null || { pk_log "chat-native: needs python3"; exit 1; }
pk_jar chat-server
SMTP_PY=   # the Debian package lands in the system python, which need not be the python3 on PATH
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import aiosmtpd' 2>/dev/null; then SMTP_PY=$py; break; fi
done

WORK=$OUT/work
mkdir -p "$WORK"
chat_server() { "$JAVA" -jar "$JAR_chat_server" "$@"; }

STATE="$WORK/state"; mkdir -m 700 "$STATE"
for a in alice bob; do chat_server account add "$a" --state-dir "$STATE" --no-password >/dev/null || { pk_fail "account add $a"; pk_summary; exit 1; }; done
chat_server account add carol --email carol@example.org --state-dir "$STATE" --no-password >/dev/null || { pk_fail "account add carol"; pk_summary; exit 1; }
KEYS="$STATE/keys"

MAIL_OK=0
if [ -n "$SMTP_PY" ]; then
  SMTP_PORT=$(pk_free_port tcp)
  pk_spawn smtp "$SMTP_PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/maildir"
  MAIL_OK=1
  MAIL_FLAGS=(--smtp-host 127.0.0.1 --smtp-port "$SMTP_PORT" --smtp-tls none --mail-from chat@example.org --mail-digest-interval 3s)
else
  pk_log "chat-native: SKIP mail checks: python3-aiosmtpd is not installed (run as root to install it)"; MAIL_FLAGS=()
fi

PK_LISTENER=chat-native pk_daemon server PORT "$JAVA" -jar "$JAR_chat_server" --bind 127.0.0.1 --port 0 \
  --irc-port 0 --irc-tls-port 0 --state-dir "$STATE" --server-name interop.test "${MAIL_FLAGS[@]}" \
  || { pk_summary; exit 1; }
SERVER_PID=$PK_PID
pk_log "chat-native: native listener on 127.0.0.1 port $PORT"

PY=(python3 "$PK_ROOT/interop/chat_native.py" --port "$PORT")
CHAT=("$PK_ROOT/bin/chat" --server "127.0.0.1:$PORT")
pk_expect "python: log in, join, send 5 (acked with ids), page history back 2 at a time" \
  "${PY[@]}" --key "$KEYS/alice.key" join-say-page --room general --count 5
pk_expect "python: malformed messages get the right error codes, connection stays up" \
  "${PY[@]}" --key "$KEYS/alice.key" malformed
"${PY[@]}" --key "$KEYS/bob.key" expect --room general "from java $$" >"$WORK/expect" 2>&1 &
EXPECT=$!
for _ in $(seq 1 300); do grep -q '^joined' "$WORK/expect" 2>/dev/null && break; kill -0 "$EXPECT" 2>/dev/null || break; sleep 0.1; done
"${CHAT[@]}" --key "$KEYS/alice.key" send --room general "from java $$" >"$WORK/send" 2>&1
wait "$EXPECT"
pk_expect "java bin/chat send -> python client receives it" grep -q "alice: from java $$" "$WORK/expect"
pk_expect "python sends -> java bin/chat tail shows it" bash -c '
  "$1" --server "127.0.0.1:$2" --key "$3" tail --room general >"$4" 2>&1 & t=$!
  sleep 2; python3 "$5" --port "$2" --key "$6" say --room general "from python '$$'" >/dev/null
  for _ in $(seq 1 100); do grep -q "<bob> from python '$$'" "$4" && { kill $t; exit 0; }; sleep 0.1; done
  kill $t; cat "$4"; exit 1' -- "$PK_ROOT/bin/chat" "$PORT" "$KEYS/alice.key" "$WORK/tail" "$PK_ROOT/interop/chat_native.py" "$KEYS/bob.key"
pk_expect "python direct message to an offline account arrives at its next login" bash -c '
  python3 "$1" --port "$2" --key "$3" dm --to bob "kept for you '$$'" >/dev/null &&
  python3 "$1" --port "$2" --key "$4" expect --dm "kept for you '$$'"' -- "$PK_ROOT/interop/chat_native.py" "$PORT" "$KEYS/alice.key" "$KEYS/bob.key"

if [ "$MAIL_OK" = 1 ]; then
  "${PY[@]}" --key "$KEYS/alice.key" dm --to carol 'offline <b>note</b> & more' >/dev/null
  "${PY[@]}" --key "$KEYS/alice.key" say --room general 'carol: please look' >/dev/null
  pk_expect "aiosmtpd receives one digest: multipart/alternative, UTF-8 text and escaped HTML, stop line" python3 - "$WORK/maildir" <<'PYEOF'
import email, email.policy, mailbox, sys, time
import os
deadline = time.time() + 30
while time.time() < deadline and not os.path.isdir(os.path.join(sys.argv[1], "new")):
    time.sleep(0.2)
box = mailbox.Maildir(sys.argv[1], create=False)
while time.time() < deadline and len(box) < 1:
    time.sleep(0.2)
time.sleep(1.5)  # a second digest inside the interval would be a bug: give it the chance to show
mails = [email.message_from_bytes(box.get_bytes(k), policy=email.policy.default) for k in box.keys()]
assert len(mails) == 1, f"expected one digest, got {len(mails)}"
m = mails[0]
assert m["To"] == "carol@example.org" and m["From"] == "chat@example.org", (m["To"], m["From"])
assert m.get_content_type() == "multipart/alternative", m.get_content_type()
parts = list(m.iter_parts())
assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"], [p.get_content_type() for p in parts]
assert all(p.get_content_charset() == "utf-8" for p in parts)
text, html = parts[0].get_content(), parts[1].get_content()
assert "alice, direct message" in text and "offline <b>note</b> & more" in text, text
assert "#general (mentioned you)" in text and "carol: please look" in text, text
assert "offline &lt;b&gt;note&lt;/b&gt; &amp; more" in html and "<b>note" not in html, html
assert "To stop these mails" in text and "To stop these mails" in html
print("one digest with", m["Subject"])
PYEOF
fi

kill "$SERVER_PID"; wait "$SERVER_PID"; rc=$?
pk_expect "SIGTERM stops the server cleanly (exit 0)" test "$rc" = 0

# The same state again with --native-tls: TLS first, the protocol unchanged inside it.
PK_LISTENER=chat-native pk_daemon server PORT "$JAVA" -jar "$JAR_chat_server" --bind 127.0.0.1 --port 0 \
  --irc-port 0 --irc-tls-port 0 --state-dir "$STATE" --server-name interop.test --native-tls \
  || { pk_summary; exit 1; }
SERVER_PID=$PK_PID
CA=$STATE/irc-cert.pem
pk_expect "--native-tls: python (ssl, the server's irc-cert.pem) logs in, joins, sends, pages history" \
  python3 "$PK_ROOT/interop/chat_native.py" --host localhost --port "$PORT" --tls-ca-file "$CA" --key "$KEYS/alice.key" \
  join-say-page --room general --count 2
pk_expect "--native-tls: bin/chat --tls --ca-file sends, python over TLS receives it" bash -c '
  python3 "$1" --host localhost --port "$2" --tls-ca-file "$3" --key "$4" expect --room general "tls '$$'" >"$6" 2>&1 & e=$!
  for _ in $(seq 1 300); do grep -q "^joined" "$6" 2>/dev/null && break; sleep 0.1; done
  "$7" --server "localhost:$2" --key "$5" --tls --ca-file "$3" send --room general "tls '$$'" >/dev/null && wait $e' \
  -- "$PK_ROOT/interop/chat_native.py" "$PORT" "$CA" "$KEYS/bob.key" "$KEYS/alice.key" "$WORK/expect-tls" "$PK_ROOT/bin/chat"
pk_expect "--native-tls: a plain client is refused (exit 1), the server stays up" bash -c '
  ! python3 "$1" --port "$2" --key "$3" say --room general x 2>/dev/null &&
  python3 "$1" --host localhost --port "$2" --tls-ca-file "$4" --key "$3" say --room general "still up"' \
  -- "$PK_ROOT/interop/chat_native.py" "$PORT" "$KEYS/alice.key" "$CA"
kill "$SERVER_PID"; wait "$SERVER_PID"
pk_summary
