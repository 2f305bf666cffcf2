#!/usr/bin/env bash
# Interop: an independent Python (stdlib only) implementation of the protokit-auth/1 client,
# written from docs/auth-handshake.md, against our auth-server.
#
#   interop/auth.sh        # builds auth-handshake if needed; exits non-zero on any failure
#
# Starts bin/auth-server on a free loopback port with a fresh key file (two keys), then checks:
# Python client with each key (handshake, server proof, HKDF keys, one echoed line); Python
# client with a wrong secret and with an unknown key id (generic failure, nothing echoed); our
# Java client both ways; that the server log never contains a secret; and a clean SIGTERM stop.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=../bin/_launch
. "$HERE/bin/_launch"
JAVA=$(_protokit_find_java) || { echo "interop/auth.sh: needs Java 21 or newer" >&2; exit 1; }
export JAVA_HOME=${JAVA_HOME_OVERRIDE:-$(dirname "$(dirname "$JAVA")")}

if ! ls "$HERE"/auth-handshake/target/auth-handshake-*-all.jar >/dev/null 2>&1; then
  echo "building auth-handshake ..."
  (cd "$HERE" && ./mvnw -B -q -pl auth-handshake -am install -DskipTests) || exit 1
fi
command -v python3 >/dev/null || { echo "interop/auth.sh: needs python3" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FAILED=0
check() { # NAME COMMAND... : runs the command, prints PASS/FAIL
  local name=$1; shift
  if "$@" >"$WORK/out" 2>&1; then
    echo "PASS  $name"
  else
    echo "FAIL  $name"; sed 's/^/      /' "$WORK/out"; FAILED=1
  fi
}

CLIENT="$HERE/bin/auth-client"
"$CLIENT" keygen --id k1 --out "$WORK/server.keys" >/dev/null || exit 1
"$CLIENT" keygen --id k2 --out "$WORK/server.keys" --append >/dev/null || exit 1
"$CLIENT" keygen --id k1 --out "$WORK/wrong.keys" >/dev/null || exit 1     # same id, other secret
"$CLIENT" keygen --id ghost --out "$WORK/ghost.keys" >/dev/null || exit 1  # id the server lacks

"$HERE/bin/auth-server" --bind 127.0.0.1 --port 0 --keys "$WORK/server.keys" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=
for _ in $(seq 1 150); do
  PORT=$(sed -n 's/.* listening on tcp .* port \([0-9][0-9]*\).*/\1/p' "$WORK/server.log" | head -n1)
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "FAIL  auth-server did not start"; sed 's/^/      /' "$WORK/server.log"; exit 1
fi
echo "auth-server listening on 127.0.0.1 port $PORT"

PY="$HERE/interop/auth_handshake.py"
check "python client, key k1: mutual handshake, echo" \
  python3 "$PY" --port "$PORT" --key "$WORK/server.keys" --message "hello from python 3"
check "python client, key k2 (rotation)" \
  python3 "$PY" --port "$PORT" --key "$WORK/server.keys" --key-id k2 --message "second key"
check "python client, wrong secret: generic failure, nothing echoed" \
  python3 "$PY" --port "$PORT" --key "$WORK/wrong.keys" --expect-failure
check "python client, unknown key id: same generic failure" \
  python3 "$PY" --port "$PORT" --key "$WORK/ghost.keys" --expect-failure
check "java client, key k1" \
  bash -c '[ "$("$0" --host 127.0.0.1 --port "$1" --key "$2" --message "java too")" = "JAVA TOO" ]' \
  "$CLIENT" "$PORT" "$WORK/server.keys"
check "java client, wrong secret exits non-zero" \
  bash -c '! "$0" --host 127.0.0.1 --port "$1" --key "$2" --message "x"' "$CLIENT" "$PORT" "$WORK/wrong.keys"

kill "$SERVER_PID"
wait "$SERVER_PID"
STATUS=$?
SERVER_PID=
check "auth-server stops cleanly on SIGTERM (exit 0)" test "$STATUS" -eq 0
check "server log: one line per session with outcome" \
  bash -c '[ "$(grep -c "session end .*outcome=ok key=k" "$0")" -ge 3 ] && grep -q "outcome=auth-failed key=ghost reason=unknown_key_id" "$0"' \
  "$WORK/server.log"
secrets_in_log() { # prints every secret of the key files that shows up in the log
  local f
  for f in "$WORK"/*.keys; do
    awk '!/^#/ && NF == 2 {print $2}' "$f"
  done | grep -F -f - "$WORK/server.log"
}
if secrets_in_log >/dev/null; then
  echo "FAIL  server log holds no secret"; FAILED=1
else
  echo "PASS  server log holds no secret"
fi

[ "$FAILED" -eq 0 ] && echo "interop/auth.sh: all checks passed" || echo "interop/auth.sh: FAILED"
exit "$FAILED"
