#!/usr/bin/env bash
# Interop: protokit's rendezvous-server (STUN, RFC 5780, TURN) against coturn's client tools
# and the STUN messages of Debian's python3-aioice.
#
#   interop/stun-turn.sh            (as root on Debian 12; CI runs it)
#
# Installs coturn, stun-client, python3-aioice, nmap and the Go packages when missing (root only). Starts our server on 127.0.0.1
# with --alternate-address 127.0.0.2 (both loopback: no traffic leaves the host) and a REST API
# secret, then: turnutils_stunclient (plain and -f RFC 5780), turnutils_natdiscovery (mapping
# and filtering classified), Debian's RFC 3489 client `stun` (stun-client: no magic cookie,
# classic NAT type discovery through SOURCE-ADDRESS/CHANGED-ADDRESS), turnutils_uclient allocating with REST credentials and moving data
# through ChannelData and through Send/Data indications (every message echoed back, none lost),
# aioice.stun Binding with FINGERPRINT, and with MESSAGE-INTEGRITY under short-term credentials,
# nmap's stun-info (MAPPED-ADDRESS only).
# Then Go clients built offline from Debian's source packages (golang-github-pion-stun-dev,
# golang-github-ccding-go-stun-dev) into OUT/go: pion's stun-client, stun-nat-behaviour (RFC
# 5780 mapping and filtering) and stun-bench (UDP and TCP), ccding's go-stun (RFC 3489/5389 NAT
# type through OTHER-ADDRESS), and interop/stun_pion.go, pion's codec on what those tools never
# send: FINGERPRINT, short-term MESSAGE-INTEGRITY, a 420 (signed when the request was), STUN
# over TCP, and a TURN allocation with DONT-FRAGMENT refused, Send/Data and Refresh 0.
# One PASS/FAIL line per case, then "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init stun-turn
# The server takes --port 0 and picks a free primary port whose TCP twin and port + 1 (RFC
# 5780's alternate port) are free too; the port is read from its listening line (issue #9).
PY=/usr/bin/python3

GOSRC=/usr/share/gocode/src/github.com
GO_PACKAGES=(golang-go golang-github-pion-stun-dev golang-github-ccding-go-stun-dev)
if ! command -v turnutils_uclient >/dev/null || ! command -v stun >/dev/null || ! $PY -c 'import aioice.stun' 2>/dev/null \
    || ! command -v nmap >/dev/null || ! command -v go >/dev/null || [ ! -d "$GOSRC/pion/stun" ] || [ ! -d "$GOSRC/ccding/go-stun" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP stun-turn: needs coturn, stun-client, python3-aioice, nmap and ${GO_PACKAGES[*]} (run as root to install)"
    pk_summary
    exit 0
  fi
  t0=$(date +%s)
  pk_apt coturn stun-client python3-aioice nmap "${GO_PACKAGES[@]}"
  pk_log "stun-turn: packages ready in $(($(date +%s) - t0)) s"
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

# Once an answer carries OTHER-ADDRESS, the tool (with or without -f) sends CHANGE-REQUEST with
# RESPONSE-PORT, which our server refuses with a 420 (RESPONSE-PORT would aim answers at a port
# the source never used), and waits for a success for ever: 5 s, not the default 60, for the
# first answer, which it prints at once (the plain case used to hold CI for the whole minute).
PK_TIMEOUT=5 expect stunclient "UDP reflexive addr: 127\.0\.0\.1:[0-9]+" turnutils_stunclient -p "$PORT" 127.0.0.1
PK_TIMEOUT=5 expect stunclient-rfc5780 "Other addr: : 127\.0\.0\.2:$((PORT + 1))" turnutils_stunclient -f -p "$PORT" 127.0.0.1
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

# nmap's stun-info reads MAPPED-ADDRESS alone. Its portrule wants port 3478 or the service
# "stun": a one-line nmap-services in --datadir names our port so. Against the RFC 5780 setup it
# printed nothing before MAPPED-ADDRESS was kept beside OTHER-ADDRESS and RESPONSE-ORIGIN.
mkdir -p "$OUT/nmap"
printf 'stun\t%s/udp\t0.9\n' "$PORT" >"$OUT/nmap/nmap-services"
PK_TIMEOUT=30 expect nmap-stun-info "External IP: 127\.0\.0\.1" nmap -sU -Pn -n -p "$PORT" --datadir "$OUT/nmap" \
  --max-retries 0 --max-rtt-timeout 200ms --script stun-info 127.0.0.1

# ---- Go clients ----------------------------------------------------------------------------
# GOPATH mode over Debian's sources: nothing is fetched (GOPROXY=off), the build cache and the
# binaries stay in OUT (emptied by pk_clean_out, so built once a run: about 2 s).
GOBIN_DIR=$OUT/go
go_build() {
  mkdir -p "$GOBIN_DIR"
  local env=(GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off GOCACHE="$OUT/go-cache")
  env "${env[@]}" go build -o "$GOBIN_DIR/" github.com/pion/stun/cmd/stun-client github.com/pion/stun/cmd/stun-nat-behaviour \
      github.com/pion/stun/cmd/stun-bench github.com/ccding/go-stun \
    && env "${env[@]}" go build -o "$GOBIN_DIR/stun_pion" "$PK_ROOT/interop/stun_pion.go"
}
t0=$(date +%s)
if go_build >"$OUT/logs/go-build.log" 2>&1; then
  pk_ok "go-build ($(($(date +%s) - t0)) s)"
  G=$GOBIN_DIR
  expect go-pion-stun-client "^127\.0\.0\.1:[0-9]+$" "$G/stun-client" "127.0.0.1:$PORT"
  # stun-nat-behaviour: RFC 5780 4.3 and 4.4 through OTHER-ADDRESS and CHANGE-REQUEST; the mapped
  # port must be the one it printed as its local address.
  natbehaviour_check() {
    local log=$OUT/logs/go-pion-nat-behaviour.log own mapped
    PK_TIMEOUT=30 pk_run go-pion-nat-behaviour "$G/stun-nat-behaviour" -server "127.0.0.1:$PORT"
    own=$(sed -n 's/.*Local address: 0\.0\.0\.0:\([0-9]*\).*/\1/p' "$log" | head -n1)
    mapped=$(sed -n 's/.*Received XOR-MAPPED-ADDRESS: 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n1)
    if grep -q "NAT mapping behavior: endpoint independent" "$log" \
        && grep -q "NAT filtering behavior: endpoint independent" "$log" && [ -n "$own" ] && [ "$own" = "$mapped" ]; then
      pk_ok go-pion-nat-behaviour
    else
      pk_fail go-pion-nat-behaviour "$(grep -E '=>|Timed out|Error' "$log" | tr '\n' ' ')"
    fi
  }
  natbehaviour_check
  # ccding/go-stun: tests I, II (change IP and port) and the rest of RFC 3489's flow with
  # FINGERPRINT and SOFTWARE on every request; OTHER-ADDRESS stands in for CHANGED-ADDRESS.
  PK_TIMEOUT=30 expect go-ccding-discover "NAT Type: Not behind a NAT" "$G/go-stun" -s "127.0.0.1:$PORT"
  expect go-pion-fingerprint "^success response mapped=127\.0\.0\.1:[0-9]+ self=true fingerprint=valid$" \
    "$G/stun_pion" fingerprint "127.0.0.1:$PORT"
  expect go-pion-short-term "^success response mapped=127\.0\.0\.1:[0-9]+ self=true integrity=valid fingerprint=valid$" \
    "$G/stun_pion" short-term "127.0.0.1:$PORT" interop VOkJxbRl1RmTxUk/WvJxBt
  expect go-pion-short-term-wrong "^error response code=401$" "$G/stun_pion" short-term "127.0.0.1:$PORT" interop wrong
  expect go-pion-unknown-attribute "^error response code=420 unknown=0x7ff0 fingerprint=valid$" \
    "$G/stun_pion" unknown "127.0.0.1:$PORT"
  # Signed: answered only after the authentication checks, signed (it was an unsigned 420 before).
  expect go-pion-unknown-attribute-signed "^error response code=420 unknown=0x7ff0 integrity=valid$" \
    "$G/stun_pion" unknown "127.0.0.1:$PORT" interop VOkJxbRl1RmTxUk/WvJxBt
  expect go-pion-tcp "^success response mapped=127\.0\.0\.1:[0-9]+ self=true$" "$G/stun_pion" tcp "127.0.0.1:$PORT"
  expect go-pion-turn "^challenge=401 dont-fragment=420 unknown=0x001a integrity=valid allocate=success response relayed=127\.0\.0\.1:[0-9]+ self=true peer-got=\"ping\" from-relay=true data=Data indication payload=\"pong\" refresh0=success response$" \
    "$G/stun_pion" turn "127.0.0.1:$PORT" "$(cat "$secret")"
  # stun-bench: a second of back-to-back Binding transactions through pion's Client, over UDP
  # and over TCP (RFC 8489 6.2.2 framing); every one answered (it prints "errors: N" otherwise).
  for net in udp tcp; do
    pk_run "go-pion-bench-$net" "$G/stun-bench" -addr 127.0.0.1 -port "$PORT" -net "$net" -w 2 -d 1s
    if grep -Eq "^rps: [1-9]" "$OUT/logs/go-pion-bench-$net.log" && ! grep -q "^errors:" "$OUT/logs/go-pion-bench-$net.log"; then
      pk_ok "go-pion-bench-$net"
    else
      pk_fail "go-pion-bench-$net" "$(grep -E '^(rps|errors)|rror' "$OUT/logs/go-pion-bench-$net.log" | head -3 | tr '\n' ' ')"
    fi
  done
else
  pk_fail go-build "see $OUT/logs/go-build.log"
fi

pk_summary
