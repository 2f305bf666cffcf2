#!/usr/bin/env bash
# chat-server's web front door in a real browser: Debian's headless Chromium driven by
# playwright-core (installed with `npm ci` from interop/chat-web/package-lock.json; no browser is
# downloaded). Two browser sessions (alice on a desktop-sized window, bob on a phone-sized one,
# both logging in with SASL PLAIN over wss by keyboard) and the native client (bin/chat send and
# tail, as carol) in one room exchange messages both ways; a file shared natively downloads in a browser; scroll-back through CHATHISTORY, also
# after a reload; unread counts, topic, a direct message; presence (away, back, offline with the
# last-seen time from WHOIS) and notifications while the tab is hidden; an upload from the browser
# with its progress, downloaded with the same sha256; the phone layout by keyboard alone; the server
# restarted under the browsers, which reconnect and get what they missed once. Screenshots of the main views go to
# interop/out/chat-web/screens (UPDATE_SCREENSHOTS=1 copies them to docs/img).
# Installs chromium when run as root. Ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init chat-web
pk_clean_out
[ "$(id -u)" -eq 0 ] && pk_apt chromium
for tool in chromium node npm; do
  command -v "$tool" >/dev/null || { pk_log "chat-web: $tool is missing (run as root to install chromium; Node.js 20 and npm come with the machine)"; exit 1; }
done
pk_jar chat-server
WEB=$PK_ROOT/interop/chat-web
PK_TIMEOUT=300 pk_run npm-ci npm ci --prefix "$WEB" --no-audit --no-fund || { pk_fail "npm ci installs playwright-core" "see logs/npm-ci.log"; pk_summary; exit 1; }

STATE=$OUT/state
CONTROL=$OUT/control
mkdir -p "$STATE" "$CONTROL" && chmod 700 "$STATE"
for who in alice bob carol; do
  echo "$who-web-pw" | "$JAVA" -jar "$JAR_chat_server" account add "$who" --password-stdin --state-dir "$STATE" \
    >"$OUT/logs/account-$who.log" 2>&1 || pk_fail "account add $who" "see logs/account-$who.log"
done

# start_server LOG WEB-PORT NATIVE-PORT: sets SERVER_PID, WEB_PORT and NATIVE_PORT from the listening lines.
start_server() {
  PK_LISTENER=chat-server-webs pk_daemon "$1" WEB_PORT "$JAVA" -jar "$JAR_chat_server" --bind 127.0.0.1 \
    --port "$3" --irc-port 0 --irc-tls-port 0 --web-port "$2" --state-dir "$STATE" --server-name chat.interop \
    --flood-burst 100 --flood-rate 50 || return 1
  SERVER_PID=$PK_PID
  pk_wait_port "$SERVER_PID" "$OUT/logs/$1.log" chat-native NATIVE_PORT
}
start_server chat 0 0 || { pk_summary; exit 1; }
pk_log "chat-web: https://127.0.0.1:$WEB_PORT/ (native $NATIVE_PORT)"

pk_spawn tail "$PK_ROOT/bin/chat" --server "127.0.0.1:$NATIVE_PORT" --key "$STATE/keys/carol.key" tail --room general

WEB_URL="https://127.0.0.1:$WEB_PORT/" NATIVE="127.0.0.1:$NATIVE_PORT" CHAT="$PK_ROOT/bin/chat" \
  KEY_CAROL="$STATE/keys/carol.key" OUT="$OUT" CONTROL="$CONTROL" PASS_ALICE=alice-web-pw PASS_BOB=bob-web-pw \
  PY_NATIVE="$PK_ROOT/interop/chat_native.py" \
  node "$WEB/chat-web.test.mjs" >"$OUT/logs/browser.log" 2>&1 &
NODE_PID=$!
PK_PIDS+=("$NODE_PID")
# The browser test asks for a restart through CONTROL; everything else is left to it (240 s at most).
for _ in $(seq 1 2400); do
  kill -0 "$NODE_PID" 2>/dev/null || break
  if [ -f "$CONTROL/restart" ]; then
    rm -f "$CONTROL/restart"
    kill "$SERVER_PID"; pk_reap "$SERVER_PID"
    if grep -q "history flushed" "$OUT/logs/chat.log"; then pk_ok "SIGTERM stops the server cleanly"; else pk_fail "SIGTERM stops the server cleanly"; fi
    start_server chat-again "$WEB_PORT" "$NATIVE_PORT" || pk_fail "the server starts again on the same ports"
    touch "$CONTROL/restarted"
  fi
  sleep 0.1
done
kill "$NODE_PID" 2>/dev/null
wait "$NODE_PID" 2>/dev/null
while read -r verdict rest; do
  case $verdict in PASS) pk_ok "$rest" ;; FAIL) pk_fail "$rest" ;; esac
done < "$OUT/logs/browser.log"
grep -q "passed, .* failed" "$OUT/logs/browser.log" || pk_fail "the browser test ran to its end" "see logs/browser.log"

for text in "hello from alice" "hi alice, bob here"; do
  if grep -q "$text" "$OUT/logs/tail.log"; then pk_ok "the native client (bin/chat tail) got '$text'"; else pk_fail "the native client (bin/chat tail) got '$text'"; fi
done
if [ "${UPDATE_SCREENSHOTS:-0}" = 1 ]; then
  mkdir -p "$PK_ROOT/docs/img"
  for f in "$OUT"/screens/*.png; do cp "$f" "$PK_ROOT/docs/img/chat-web-$(basename "$f")"; done
fi
pk_summary
