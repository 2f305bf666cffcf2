#!/usr/bin/env bash
# Interop: the native protocol protokit-chat/1 implemented a second time, in Python's standard
# library (interop/chat_native.py, from docs/chat.md), against our chat-server; our bin/chat on
# the same server; and offline mail notifications received by an independent SMTP server
# (Python's aiosmtpd) whose mails are checked with Python's email package.
#
#   interop/chat-native.sh        # builds chat-server if needed; prints "N passed, N failed"
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=../bin/_launch
. "$HERE/bin/_launch"
JAVA=$(_protokit_find_java) || { echo "interop/chat-native.sh: needs Java 25 or newer" >&2; exit 1; }
export JAVA_HOME=${JAVA_HOME_OVERRIDE:-$(dirname "$(dirname "$JAVA")")}
if ! ls "$HERE"/chat-server/target/chat-server-*-all.jar >/dev/null 2>&1; then
  echo "building chat-server ..."
  (cd "$HERE" && ./mvnw -B -q -pl chat-server -am package -DskipTests) || exit 1
fi
command -v python3 >/dev/null || { echo "interop/chat-native.sh: needs python3" >&2; exit 1; }
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null; }
fi
SMTP_PY=   # the Debian package lands in the system python, which need not be the python3 on PATH
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import aiosmtpd' 2>/dev/null; then SMTP_PY=$py; break; fi
done

WORK=$(mktemp -d)
# The daemon: bin/chat-server when it exists, else the same launcher line (exec, so $! is java).
CHAT_SERVER="$HERE/bin/chat-server"
if [ ! -x "$CHAT_SERVER" ]; then
  CHAT_SERVER="$WORK/chat-server"
  printf '#!/usr/bin/env bash\n. "%s/bin/_launch"\nlaunch chat-server dev.protokit.chat.server.ChatServerMain "$@"\n' "$HERE" >"$CHAT_SERVER"
  chmod +x "$CHAT_SERVER"
fi
chat_server() { "$CHAT_SERVER" "$@"; }
SERVER_PID= SMTP_PID=
cleanup() {
  for pid in $SERVER_PID $SMTP_PID; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0 FAILED=0
check() { # NAME COMMAND... : runs the command, prints PASS/FAIL
  local name=$1; shift
  if "$@" >"$WORK/out" 2>&1; then
    echo "PASS  $name"; PASSED=$((PASSED + 1))
  else
    echo "FAIL  $name"; sed 's/^/      /' "$WORK/out"; FAILED=$((FAILED + 1))
  fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

STATE="$WORK/state"; mkdir -m 700 "$STATE"
for a in alice bob; do chat_server account add "$a" --state-dir "$STATE" --no-password >/dev/null || exit 1; done
chat_server account add carol --email carol@example.org --state-dir "$STATE" --no-password >/dev/null || exit 1
KEYS="$STATE/keys"

MAIL_OK=0
if [ -n "$SMTP_PY" ]; then
  SMTP_PORT=$(free_port)
  "$SMTP_PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/maildir" >"$WORK/smtp.log" 2>&1 &
  SMTP_PID=$!; MAIL_OK=1
  MAIL_FLAGS=(--smtp-host 127.0.0.1 --smtp-port "$SMTP_PORT" --smtp-tls none --mail-from chat@example.org --mail-digest-interval 3s)
else
  echo "SKIP  mail checks: python3-aiosmtpd is not installed (run as root to install it)"; MAIL_FLAGS=()
fi

"$CHAT_SERVER" --bind 127.0.0.1 --port 0 --irc-port 0 --irc-tls-port 0 --state-dir "$STATE" --server-name interop.test \
  "${MAIL_FLAGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/^.*chat-native .*listening on tcp .* port \([0-9][0-9]*\).*$/\1/p' "$WORK/server.log" | head -n1)
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "FAIL  chat-server did not start"; sed 's/^/      /' "$WORK/server.log"; echo "0 passed, 1 failed"; exit 1
fi
echo "chat-server native listener on 127.0.0.1 port $PORT"

PY=(python3 "$HERE/interop/chat_native.py" --port "$PORT")
CHAT=("$HERE/bin/chat" --server "127.0.0.1:$PORT")
check "python: log in, join, send 5 (acked with ids), page history back 2 at a time" \
  "${PY[@]}" --key "$KEYS/alice.key" join-say-page --room general --count 5
check "python: malformed messages get the right error codes, connection stays up" \
  "${PY[@]}" --key "$KEYS/alice.key" malformed
"${PY[@]}" --key "$KEYS/bob.key" expect --room general "from java $$" >"$WORK/expect" 2>&1 &
EXPECT=$!
sleep 1
"${CHAT[@]}" --key "$KEYS/alice.key" send --room general "from java $$" >"$WORK/send" 2>&1
wait "$EXPECT"
check "java bin/chat send -> python client receives it" grep -q "alice: from java $$" "$WORK/expect"
check "python sends -> java bin/chat tail shows it" bash -c '
  "$1" --server "127.0.0.1:$2" --key "$3" tail --room general >"$4" 2>&1 & t=$!
  sleep 2; python3 "$5" --port "$2" --key "$6" say --room general "from python '$$'" >/dev/null
  for _ in $(seq 1 100); do grep -q "<bob> from python '$$'" "$4" && { kill $t; exit 0; }; sleep 0.1; done
  kill $t; cat "$4"; exit 1' -- "$HERE/bin/chat" "$PORT" "$KEYS/alice.key" "$WORK/tail" "$HERE/interop/chat_native.py" "$KEYS/bob.key"
check "python direct message to an offline account arrives at its next login" bash -c '
  python3 "$1" --port "$2" --key "$3" dm --to bob "kept for you '$$'" >/dev/null &&
  python3 "$1" --port "$2" --key "$4" expect --dm "kept for you '$$'"' -- "$HERE/interop/chat_native.py" "$PORT" "$KEYS/alice.key" "$KEYS/bob.key"

if [ "$MAIL_OK" = 1 ]; then
  "${PY[@]}" --key "$KEYS/alice.key" dm --to carol 'offline <b>note</b> & more' >/dev/null
  "${PY[@]}" --key "$KEYS/alice.key" say --room general 'carol: please look' >/dev/null
  check "aiosmtpd receives one digest: multipart/alternative, UTF-8 text and escaped HTML, stop line" python3 - "$WORK/maildir" <<'PYEOF'
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

kill "$SERVER_PID"; wait "$SERVER_PID"; rc=$?; SERVER_PID=
check "SIGTERM stops the server cleanly (exit 0)" test "$rc" = 0
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
