#!/usr/bin/env bash
# Benchmark: mutual HMAC handshakes per second and p99 handshake latency against our
# auth-server on loopback. Each handshake is a fresh TCP connection plus the full protokit-auth/1
# exchange (4 frames, 3 HMACs and 2 HKDF expansions per side), then close.
#
#   bench/auth.sh                              # N=10000 over C=32 workers, Python N=2000
#   N=20000 C=64 PY_N=3000 bench/auth.sh
#
# Rows: our Java client (HandshakeBench) with 1 worker and with C workers, and the Python stdlib
# client (interop/auth_handshake.py --count) as the second implementation, all against the same
# server in the same run. Python is sequential, so the fair ratio is Java 1 worker vs Python;
# the C-worker row shows what the server sustains. Tables go to stdout and bench/out/auth/;
# the last line is "N passed, N failed" (a row that could not be measured is a failure).
set -uo pipefail

# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init auth bench
HERE=$PK_ROOT
N=${N:-10000}
C=${C:-32}
PY_N=${PY_N:-2000}
pk_jar auth-handshake
JAR=$JAR_auth_handshake
rm -f "$OUT/bench.keys"

"$HERE/bin/auth-client" keygen --id bench --out "$OUT/bench.keys" >/dev/null || exit 1
# One log line per session goes to the log file (the listening line is needed for the port).
pk_daemon server PORT "$HERE/bin/auth-server" --bind 127.0.0.1 --port 0 --keys "$OUT/bench.keys" \
  --max-connections 4096 --max-per-address 4096 || { cat "$OUT/logs/server.log"; exit 1; }

bench_java() { # WORKERS COUNT
  "$JAVA" -cp "$JAR" dev.protokit.auth.bench.HandshakeBench --port "$PORT" --key "$OUT/bench.keys" \
    --concurrency "$1" --connections "$2" --warmup 5000
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

echo "protokit-auth/1 handshakes on loopback, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
J1=$(bench_java 1 "$((N / 2))") || { pk_fail "java bench (1 worker)" "$J1"; pk_summary; exit 1; }
JC=$(bench_java "$C" "$N") || { pk_fail "java bench ($C workers)" "$JC"; pk_summary; exit 1; }
python3 "$HERE/interop/auth_handshake.py" --port "$PORT" --key "$OUT/bench.keys" --count 200 >/dev/null \
  || { pk_fail "python warm-up"; pk_summary; exit 1; }
PY=$(python3 "$HERE/interop/auth_handshake.py" --port "$PORT" --key "$OUT/bench.keys" --count "$PY_N") \
  || { pk_fail "python bench" "$PY"; pk_summary; exit 1; }

{
  printf '%-28s %8s %11s %9s %14s %9s %9s\n' client workers handshakes seconds handshakes/s p50_ms p99_ms
  row() { printf '%-28s %8s %11s %9s %14s %9s %9s\n' "$1" "$2" "$(field "$3" handshakes)" \
      "$(field "$3" seconds)" "$(field "$3" rate)" "$(field "$3" p50_ms)" "$(field "$3" p99_ms)"; }
  row "java HandshakeBench" 1 "$J1"
  row "java HandshakeBench" "$C" "$JC"
  row "python auth_handshake.py" 1 "$PY"
  python3 - "$J1" "$JC" "$PY" <<'PY'
import json, sys
j1, jc, py = (json.loads(a) for a in sys.argv[1:])
print(f"ratio java(1 worker) / python: {j1['rate'] / py['rate']:.2f}x   "
      f"java({jc['workers']} workers) / python: {jc['rate'] / py['rate']:.2f}x")
PY
} | tee "$OUT/result.txt"
pk_ok "bench/auth.sh: every row measured"
pk_summary
