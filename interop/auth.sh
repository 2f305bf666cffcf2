#!/usr/bin/env bash
# Interop: an independent Python (stdlib only) implementation of the protokit-auth/1 client,
# written from docs/auth-handshake.md, against our auth-server.
#
#   interop/auth.sh        # builds auth-handshake if its jar is missing or stale
#
# Starts bin/auth-server on a free loopback port (--port 0) with a fresh key file (two keys),
# then checks: Python client with each key (handshake, server proof, HKDF keys, one echoed
# line); Python client with a wrong secret and with an unknown key id (generic failure, nothing
# echoed); our Java client both ways; that the server log never contains a secret; and a clean
# SIGTERM stop. Ends with the "N passed, N failed" line; non-zero exit if any case failed.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init auth
command -v python3 >/dev/null || { pk_log "interop/auth.sh: needs python3"; exit 1; }
pk_jar auth-handshake
WORK=$OUT/work && rm -rf "$WORK" && mkdir -p "$WORK"

CLIENT="$PK_ROOT/bin/auth-client"
"$CLIENT" keygen --id k1 --out "$WORK/server.keys" >/dev/null || exit 1
"$CLIENT" keygen --id k2 --out "$WORK/server.keys" --append >/dev/null || exit 1
"$CLIENT" keygen --id k1 --out "$WORK/wrong.keys" >/dev/null || exit 1     # same id, other secret
"$CLIENT" keygen --id ghost --out "$WORK/ghost.keys" >/dev/null || exit 1  # id the server lacks

pk_daemon auth-server PORT "$PK_ROOT/bin/auth-server" --bind 127.0.0.1 --port 0 --keys "$WORK/server.keys" \
  || { pk_summary; exit 1; }
SERVER_PID=$PK_PID
SERVER_LOG=$OUT/logs/auth-server.log
echo "auth-server listening on 127.0.0.1 port $PORT"

PY="$PK_ROOT/interop/auth_handshake.py"
pk_expect "python client, key k1: mutual handshake, echo" \
  python3 "$PY" --port "$PORT" --key "$WORK/server.keys" --message "hello from python 3"
pk_expect "python client, key k2 (rotation)" \
  python3 "$PY" --port "$PORT" --key "$WORK/server.keys" --key-id k2 --message "second key"
pk_expect "python client, wrong secret: generic failure, nothing echoed" \
  python3 "$PY" --port "$PORT" --key "$WORK/wrong.keys" --expect-failure
pk_expect "python client, unknown key id: same generic failure" \
  python3 "$PY" --port "$PORT" --key "$WORK/ghost.keys" --expect-failure
pk_expect "java client, key k1" \
  bash -c '[ "$("$0" --host 127.0.0.1 --port "$1" --key "$2" --message "java too")" = "JAVA TOO" ]' \
  "$CLIENT" "$PORT" "$WORK/server.keys"
pk_expect "java client, wrong secret exits non-zero" \
  bash -c '! "$0" --host 127.0.0.1 --port "$1" --key "$2" --message "x"' "$CLIENT" "$PORT" "$WORK/wrong.keys"

kill "$SERVER_PID"
wait "$SERVER_PID"
STATUS=$?
pk_expect "auth-server stops cleanly on SIGTERM (exit 0)" test "$STATUS" -eq 0
pk_expect "server log: one line per session with outcome" \
  bash -c '[ "$(grep -c "session end .*outcome=ok key=k" "$0")" -ge 3 ] && grep -q "outcome=auth-failed key=ghost reason=unknown_key_id" "$0"' \
  "$SERVER_LOG"
secrets_in_log() { # prints every secret of the key files that shows up in the log
  local f
  for f in "$WORK"/*.keys; do
    awk '!/^#/ && NF == 2 {print $2}' "$f"
  done | grep -F -f - "$SERVER_LOG"
}
if secrets_in_log >/dev/null; then pk_fail "server log holds no secret"; else pk_ok "server log holds no secret"; fi
pk_summary
