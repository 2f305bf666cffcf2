#!/usr/bin/env bash
# Benchmark: our rendezvous-server against coturn (turnserver) under the same load tools, one run.
#
#   bench/rendezvous.sh                  DURATION=5 REPS=3 THREADS=2 WINDOW=64 PAIRS=2000 bench/rendezvous.sh
#
# 1. STUN Binding throughput and latency: bench/stunload/stunload.c (built here with gcc) keeps
#    WINDOW plain 20-byte Binding requests outstanding per thread for DURATION seconds, against ours
#    (--no-relay --no-tcp) and `turnserver --stun-only`, interleaved REPS times; medians.
# 2. Rendezvous introductions per second (bench/rendezvous_intro.py, 32 pairs in flight).
# 3. Relay throughput per session: turnutils_uclient, 2 clients echoing through the relay with
#    REST credentials, against ours (--relay-rate raised out of the way) and coturn.
# Prints a ratio table; the full output lands in bench/out/rendezvous.txt. Loopback only.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=$HERE/bench/out
WORK=$(mktemp -d /tmp/pk-rdvs-bench.XXXXXX)
SECONDS_=${DURATION:-5}
REPS=${REPS:-3}
THREADS=${THREADS:-2}
WINDOW=${WINDOW:-64}
PAIRS=${PAIRS:-2000}
PY=/usr/bin/python3
PORT=$((36000 + ($$ % 2000) * 4))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT"
command -v turnserver >/dev/null || { echo "bench: needs coturn (apt-get install coturn)" >&2; exit 1; }
gcc -O2 -pthread -o "$WORK/stunload" "$HERE/bench/stunload/stunload.c" || exit 1
ls "$HERE"/rendezvous/target/rendezvous-*-all.jar >/dev/null 2>&1 \
  || (cd "$HERE" && ./mvnw -q -B -o -pl rendezvous -am package -DskipTests) || exit 1
printf 'bench-%s\n' "$$" > "$WORK/secret"; chmod 600 "$WORK/secret"

wait_for() { for _ in $(seq 1 150); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done; return 1; }

OURS=$PORT; COTURN=$((PORT + 2))
"$HERE/bin/rendezvous-server" --bind 127.0.0.1 --port "$OURS" --no-tcp --relay-secret-file "$WORK/secret" \
  --relay-rate 1000000000 --max-registrations-per-address 1000000 --state-dir "$WORK/state" >"$WORK/ours.log" 2>&1 &
PIDS+=($!)
turnserver -n --no-cli --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --listening-port "$COTURN" --no-tcp --no-tls \
  --no-dtls --use-auth-secret --static-auth-secret "$(cat "$WORK/secret")" --realm protokit --log-file stdout \
  --pidfile "$WORK/coturn.pid" --allow-loopback-peers --no-multicast-peers >"$WORK/coturn.log" 2>&1 &
PIDS+=($!)
turnserver --stun-only -n --no-cli --listening-ip 127.0.0.1 --listening-port $((COTURN + 1)) --no-tcp --no-tls \
  --no-dtls --log-file stdout --pidfile "$WORK/coturn-stun.pid" >"$WORK/coturn-stun.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/ours.log" "listening on udp" || { echo "bench: our server did not start" >&2; exit 1; }
sleep 1

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$WORK/ours.stun"; : >"$WORK/coturn.stun"
"$WORK/stunload" 127.0.0.1 "$OURS" 2 "$THREADS" "$WINDOW" >/dev/null   # warm-up (JIT)
for _ in $(seq 1 "$REPS"); do
  "$WORK/stunload" 127.0.0.1 "$OURS" "$SECONDS_" "$THREADS" "$WINDOW" >>"$WORK/ours.stun"
  "$WORK/stunload" 127.0.0.1 $((COTURN + 1)) "$SECONDS_" "$THREADS" "$WINDOW" >>"$WORK/coturn.stun"
done
field() { awk -v f="$2" '{print $f}' "$1" | median; }
o_rps=$(field "$WORK/ours.stun" 1); c_rps=$(field "$WORK/coturn.stun" 1)
o_p50=$(field "$WORK/ours.stun" 2); c_p50=$(field "$WORK/coturn.stun" 2)
o_p99=$(field "$WORK/ours.stun" 3); c_p99=$(field "$WORK/coturn.stun" 3)
o_len=$(field "$WORK/ours.stun" 4); c_len=$(field "$WORK/coturn.stun" 4)

intro=$($PY "$HERE/bench/rendezvous_intro.py" 127.0.0.1 "$OURS" "$PAIRS" | awk '{printf "%s (%s / %s)", $1, $2, $3}')

relay() { # PORT: bytes per second echoed through one relayed pair (2000 x 1000-byte messages)
  local log=$WORK/relay-$1.log t0 t1
  t0=$(date +%s.%N)
  timeout 120 turnutils_uclient -p "$1" -W "$(cat "$WORK/secret")" -u bench -y -c -n 2000 -m 1 -l 1000 -z 1 127.0.0.1 >"$log" 2>&1
  t1=$(date +%s.%N)
  local got; got=$(grep -o 'tot_recv_bytes ~ [0-9]*' "$log" | tail -1 | awk '{print $3}')
  local lost; lost=$(grep -o 'Total lost packets [0-9]*' "$log" | awk '{print $4}')
  echo "${got:-0} ${lost:-?} $(echo "$t1 - $t0" | bc)"
}
read -r o_bytes o_lost o_time <<<"$(relay "$OURS")"
read -r c_bytes c_lost c_time <<<"$(relay "$COTURN")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
{
  echo "# bench/rendezvous.sh $(date -u +%FT%TZ) DURATION=$SECONDS_ REPS=$REPS THREADS=$THREADS WINDOW=$WINDOW"
  echo "| case | ours | coturn | ours/coturn |"
  echo "|---|---|---|---|"
  echo "| STUN Binding answers/s (median of $REPS) | $o_rps | $c_rps | $(ratio "$o_rps" "$c_rps") |"
  echo "| Binding round trip p50 / p99 (us) | $o_p50 / $o_p99 | $c_p50 / $c_p99 | |"
  echo "| answer to a 20-byte request (bytes) | $o_len | $c_len | |"
  echo "| rendezvous introductions/s (p50 / p99 ms) | $intro | (no such service) | |"
  echo "| relay: 2000 x 1000 B echoed, one pair (bytes, lost, seconds) | $o_bytes, $o_lost, $o_time | $c_bytes, $c_lost, $c_time | $(ratio "$c_time" "$o_time") (time) |"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/rendezvous.txt"
