#!/usr/bin/env bash
# Interop: protokit's rendezvous-server (STUN, RFC 5780, TURN) against coturn's client tools
# and the STUN messages of Debian's python3-aioice.
#
#   interop/stun-turn.sh            (as root on Debian 12; CI runs it)
#
# Installs coturn and python3-aioice when missing (root only). Starts our server on 127.0.0.1
# with --alternate-address 127.0.0.2 (both loopback: no traffic leaves the host) and a REST API
# secret, then: turnutils_stunclient (plain and -f RFC 5780), turnutils_natdiscovery (mapping
# and filtering classified), turnutils_uclient allocating with REST credentials and moving data
# through ChannelData and through Send/Data indications (every message echoed back, none lost),
# aioice.stun Binding with FINGERPRINT, and with MESSAGE-INTEGRITY under short-term credentials.
# One PASS/FAIL line per case, then "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=${INTEROP_OUT:-$HERE/interop/out/stun-turn}
PORT=$((30000 + ($$ % 15000) * 2))
PIDS=()
PASSED=0
FAILED=0
PY=/usr/bin/python3

ok() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$1"; }
bad() { FAILED=$((FAILED + 1)); printf 'FAIL %s%s\n' "$1" "${2:+ ($2)}"; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_tools() {
  local need=()
  command -v turnutils_uclient >/dev/null || need+=(coturn)
  $PY -c 'import aioice.stun' 2>/dev/null || need+=(python3-aioice)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP stun-turn: needs ${need[*]} (run as root to install)"; exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
  # The package may start its own turnserver on 3478; ours uses another port, but stop it anyway.
  systemctl stop coturn 2>/dev/null || true
}

install_tools
mkdir -p "$OUT/logs"
rm -f "$OUT"/logs/*.log
if ! ls "$HERE"/rendezvous/target/rendezvous-*-all.jar >/dev/null 2>&1; then
  (cd "$HERE" && ./mvnw -q -B -o -pl rendezvous -am package -DskipTests) || { bad build; exit 1; }
fi
secret=$OUT/turn.secret
printf 'interop-%s\n' "$$" > "$secret"; chmod 600 "$secret"
creds=$OUT/stun.credentials
printf 'interop:VOkJxbRl1RmTxUk/WvJxBt\n' > "$creds"; chmod 600 "$creds"

"$HERE/bin/rendezvous-server" --bind 127.0.0.1 --alternate-address 127.0.0.2 --port "$PORT" \
  --relay-secret-file "$secret" --stun-credentials-file "$creds" --state-dir "$OUT/state" \
  >"$OUT/logs/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do
  grep -q "listening on tcp" "$OUT/logs/server.log" 2>/dev/null && break
  sleep 0.2
done
grep -q "listening on tcp" "$OUT/logs/server.log" || { bad "server start" "$(tail -1 "$OUT/logs/server.log")"; exit 1; }

# expect NAME PATTERN COMMAND...: PASS when the command's output matches the extended regex.
expect() {
  local name=$1 pattern=$2; shift 2
  timeout 60 "$@" >"$OUT/logs/$name.log" 2>&1
  if grep -Eq "$pattern" "$OUT/logs/$name.log"; then ok "$name"; else bad "$name" "see $OUT/logs/$name.log"; fi
}

expect stunclient "UDP reflexive addr: 127\.0\.0\.1:[0-9]+" turnutils_stunclient -p "$PORT" 127.0.0.1
expect stunclient-rfc5780 "Other addr: : 127\.0\.0\.2:$((PORT + 1))" turnutils_stunclient -f -p "$PORT" 127.0.0.1
expect natdiscovery-mapping "Endpoint Independent Mapping" turnutils_natdiscovery -m -p "$PORT" 127.0.0.1
expect natdiscovery-filtering "Endpoint Independent Filtering" turnutils_natdiscovery -f -p "$PORT" 127.0.0.1

# turnutils_uclient -y: two clients allocate, bind channels (or use Send/Data with -s) and echo
# 50 messages each through the relay; -W signs with REST credentials from the shared secret.
uclient_check() {
  local name=$1; shift
  timeout 90 turnutils_uclient -p "$PORT" -W "$(cat "$secret")" -u interop -y -c -n 50 -m 2 -l 200 "$@" 127.0.0.1 \
    >"$OUT/logs/$name.log" 2>&1
  if grep -q "tot_send_msgs=100, tot_recv_msgs=100" "$OUT/logs/$name.log" \
      && grep -q "Total lost packets 0 " "$OUT/logs/$name.log"; then
    ok "$name"
  else
    bad "$name" "$(grep -E 'tot_recv_msgs|lost|ERROR|error' "$OUT/logs/$name.log" | tail -2 | tr '\n' ' ')"
  fi
}
uclient_check uclient-channels
uclient_check uclient-send-indications -s
expect uclient-wrong-secret "Cannot complete Allocation|error 401" \
  turnutils_uclient -p "$PORT" -W wrong -u interop -y -c -n 2 -m 1 127.0.0.1

expect aioice-binding "class=RESPONSE mapped=127\.0\.0\.1:[0-9]+ integrity=False" $PY "$HERE/interop/stun_aioice.py" 127.0.0.1 "$PORT"
expect aioice-short-term "class=RESPONSE mapped=127\.0\.0\.1:[0-9]+ integrity=True" \
  $PY "$HERE/interop/stun_aioice.py" 127.0.0.1 "$PORT" interop VOkJxbRl1RmTxUk/WvJxBt

printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
