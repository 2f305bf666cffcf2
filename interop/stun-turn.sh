#!/usr/bin/env bash
# Interop: protokit's rendezvous-server (STUN, RFC 5780, TURN) against coturn's client tools
# and the STUN messages of Debian's python3-aioice.
#
#   interop/stun-turn.sh            (as root on Debian 12; CI runs it)
#
# Installs coturn and python3-aioice when missing (root only). Starts our server on 127.0.0.1
# with --alternate-address 127.0.0.2 (both loopback: no traffic leaves the host) and a REST API
# secret, then: turnutils_stunclient (plain and -f RFC 5780), turnutils_natdiscovery (mapping
# and filtering classified), Debian's RFC 3489 client `stun` (stun-client: no magic cookie,
# classic NAT type discovery through SOURCE-ADDRESS/CHANGED-ADDRESS), turnutils_uclient allocating with REST credentials and moving data
# through ChannelData and through Send/Data indications (every message echoed back, none lost),
# aioice.stun Binding with FINGERPRINT, and with MESSAGE-INTEGRITY under short-term credentials.
# One PASS/FAIL line per case, then "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init stun-turn
# The server takes --port 0 and picks a free primary port whose TCP twin and port + 1 (RFC
# 5780's alternate port) are free too; the port is read from its listening line (issue #9).
PY=/usr/bin/python3

if ! command -v turnutils_uclient >/dev/null || ! command -v stun >/dev/null || ! $PY -c 'import aioice.stun' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP stun-turn: needs coturn, stun-client and python3-aioice (run as root to install)"
    pk_summary
    exit 0
  fi
  pk_apt coturn stun-client python3-aioice
fi
# The package may start its own turnserver on 3478; ours uses another port, but stop it anyway.
pk_pause_service coturn
pk_clean_out
pk_jar rendezvous
secret=$OUT/turn.secret
printf 'interop-%s\n' "$$" > "$secret"; chmod 600 "$secret"
creds=$OUT/stun.credentials
printf 'interop:VOkJxbRl1RmTxUk/WvJxBt\n' > "$creds"; chmod 600 "$creds"

PORT=
PK_LISTENER= pk_daemon server PORT "$JAVA" -cp "$JAR_rendezvous" dev.protokit.rendezvous.server.RendezvousServerMain \
  --bind 127.0.0.1 --alternate-address 127.0.0.2 --port 0 \
  --relay-secret-file "$secret" --stun-credentials-file "$creds" --state-dir "$OUT/state" || { pk_summary; exit 1; }
for _ in $(seq 1 150); do
  grep -q "listening on tcp" "$OUT/logs/server.log" 2>/dev/null && break
  sleep 0.2
done

# expect NAME PATTERN COMMAND...: PASS when the command's output matches the extended regex.
expect() {
  local name=$1 pattern=$2; shift 2
  pk_run "$name" "$@"
  if grep -Eq "$pattern" "$OUT/logs/$name.log"; then pk_ok "$name"; else pk_fail "$name" "see $OUT/logs/$name.log"; fi
}

expect stunclient "UDP reflexive addr: 127\.0\.0\.1:[0-9]+" turnutils_stunclient -p "$PORT" 127.0.0.1
# -f then sends CHANGE-REQUEST with RESPONSE-PORT, which our server refuses with an error
# response (RESPONSE-PORT would aim answers at a port the source never used), and the tool
# waits for a success for ever: 10 s, not the default 60, for the first answer it prints.
PK_TIMEOUT=10 expect stunclient-rfc5780 "Other addr: : 127\.0\.0\.2:$((PORT + 1))" turnutils_stunclient -f -p "$PORT" 127.0.0.1
expect natdiscovery-mapping "Endpoint Independent Mapping" turnutils_natdiscovery -m -p "$PORT" 127.0.0.1
expect natdiscovery-filtering "Endpoint Independent Filtering" turnutils_natdiscovery -f -p "$PORT" 127.0.0.1
# stun-client 0.97 (RFC 3489): tests I, II, III and I against CHANGED-ADDRESS; on loopback the
# mapped address is the local one, so "Open". Before RFC 8489 section 11 support our server
# dropped these cookie-less requests and the tool printed "Primary: Blocked or could not reach".
PK_TIMEOUT=20 expect stun-client-rfc3489 "Primary: Open" stun "127.0.0.1:$PORT"

# turnutils_uclient -y: two clients allocate, bind channels (or use Send/Data with -s) and echo
# 50 messages each through the relay; -W signs with REST credentials from the shared secret.
uclient_check() {
  local name=$1; shift
  PK_TIMEOUT=90 pk_run "$name" turnutils_uclient -p "$PORT" -W "$(cat "$secret")" -u interop -y -c -n 50 -m 2 -l 200 \
    "$@" 127.0.0.1
  if grep -q "tot_send_msgs=100, tot_recv_msgs=100" "$OUT/logs/$name.log" \
      && grep -q "Total lost packets 0 " "$OUT/logs/$name.log"; then
    pk_ok "$name"
  else
    pk_fail "$name" "$(grep -E 'tot_recv_msgs|lost|ERROR|error' "$OUT/logs/$name.log" | tail -2 | tr '\n' ' ')"
  fi
}
uclient_check uclient-channels
uclient_check uclient-send-indications -s
expect uclient-wrong-secret "Cannot complete Allocation|error 401" \
  turnutils_uclient -p "$PORT" -W wrong -u interop -y -c -n 2 -m 1 127.0.0.1

expect aioice-binding "class=RESPONSE mapped=127\.0\.0\.1:[0-9]+ integrity=False" $PY "$PK_ROOT/interop/stun_aioice.py" 127.0.0.1 "$PORT"
expect aioice-short-term "class=RESPONSE mapped=127\.0\.0\.1:[0-9]+ integrity=True" \
  $PY "$PK_ROOT/interop/stun_aioice.py" 127.0.0.1 "$PORT" interop VOkJxbRl1RmTxUk/WvJxBt

pk_summary
