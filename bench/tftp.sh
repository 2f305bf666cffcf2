#!/usr/bin/env bash
# Benchmark: protokit's TFTP server and client against tftpd-hpa, atftpd and atftp, on loopback.
#
#   bench/tftp.sh                 # 100 MiB file, every cell (about 10 minutes)
#   SIZE_MIB=20 bench/tftp.sh     # quicker, smaller file
#
# Not run in CI. Needs root only to install tools (as interop/tftp.sh does). Same client, same
# file, same run for every server: atftp (it speaks blksize and windowsize) downloads a
# SIZE_MIB file from ours, tftpd-hpa (no windowsize: window 1 only) and atftpd, at blksize
# 512/1468/8192/65464 and windowsize 1/16/64, each cell timed once (wall clock, to /dev/null,
# one SHA-256 check per server). Then our client against atftp, both downloading from atftpd
# (wall time includes our JVM start-up). Then 500 concurrent downloads from our server, and the
# heap one transfer costs. Tables go to stdout and bench/out/tftp/; the last line is
# "N passed, N failed" (SHA-256 checks and the concurrent downloads).
set -uo pipefail
# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init tftp bench
HERE=$PK_ROOT
SIZE_MIB=${SIZE_MIB:-100}
CONCURRENT=${CONCURRENT:-500}
CELL_TIMEOUT=${CELL_TIMEOUT:-30}
mkdir -p "$OUT/srv"
chmod 777 "$OUT/srv"

# Tools as interop/tftp.sh installs them (tftp-hpa, atftp, tftpd-hpa; atftpd unpacked).
pk_apt tftp-hpa atftp tftpd-hpa
pk_pause_service tftpd-hpa
ATFTPD=$HERE/interop/out/tftp/atftpd/usr/sbin/atftpd
if [ ! -x "$ATFTPD" ]; then
  mkdir -p "$HERE/interop/out/tftp/atftpd"
  (cd "$HERE/interop/out/tftp/atftpd" && apt-get download -qq atftpd && dpkg-deb -x atftpd_*.deb .) >/dev/null
fi
pk_jar tftp-server tftp-client
SERVER_JAR=$JAR_tftp_server
CLIENT_JAR=$JAR_tftp_client
JCMD=$(dirname "$JAVA")/jcmd

FILE=$OUT/srv/bench.bin
if [ ! -f "$FILE" ] || [ "$(stat -c %s "$FILE")" -ne $((SIZE_MIB * 1048576)) ]; then
  head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$FILE"
fi
head -c 1048576 /dev/urandom >"$OUT/srv/small.bin"
chmod 644 "$OUT/srv"/*
BYTES=$(stat -c %s "$FILE")
WANT=$(sha256sum <"$FILE" | cut -d' ' -f1)

# Ours twice: the default (--transfer-threads auto: platform threads) and --transfer-threads virtual.
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
pk_daemon ours P_OURS "$JAVA" -XX:NativeMemoryTracking=summary ${BENCH_JAVA_OPTS:-} -jar "$SERVER_JAR" \
  --bind 127.0.0.1 --port 0 --root "$OUT/srv" --max-connections 2000 --max-per-address 2000 --timeout 1s --retries 10 \
  || { pk_summary; exit 1; }
OURS_PID=$PK_PID
pk_daemon ours-virtual P_PLAT "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port 0 --root "$OUT/srv" \
  --transfer-threads virtual --timeout 1s --retries 10 || { pk_summary; exit 1; }
read -r P_HPA P_ATFTPD <<<"$(pk_free_port udp 2)"
pk_spawn in.tftpd /usr/sbin/in.tftpd -L -s "$OUT/srv" -a "127.0.0.1:$P_HPA"
pk_spawn atftpd-stdout "$ATFTPD" --daemon --no-fork --user root --group root --port "$P_ATFTPD" \
  --bind-address 127.0.0.1 --maxthread 1000 --logfile "$OUT/logs/atftpd.log" "$OUT/srv"
for p in "$P_HPA" "$P_ATFTPD"; do pk_wait_udp "$p" || { pk_fail "peer on udp $p starts"; pk_summary; exit 1; }; done
VERIFIED=$OUT/verified.txt
: >"$VERIFIED"

now() { date +%s.%N; }
# rate SECONDS -> MB/s (10^6 bytes)
rate() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

# atftp_get PORT BLK WS DEST -> MB/s or "-"
atftp_get() {
  local port=$1 blk=$2 ws=$3 dest=$4 t0 t1 opts=(--option "blksize $blk")
  [ "$ws" -gt 1 ] && opts+=(--option "windowsize $ws")
  t0=$(now)
  timeout "$CELL_TIMEOUT" atftp "${opts[@]}" -g -r bench.bin -l "$dest" 127.0.0.1 "$port" >/dev/null 2>&1 || { echo "-"; return; }
  t1=$(now)
  rate "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}

# ours_get PORT BLK WS DEST -> MB/s or "-" (our client CLI, JVM start-up included)
ours_get() {
  local port=$1 blk=$2 ws=$3 dest=$4 t0 t1
  t0=$(now)
  timeout "$CELL_TIMEOUT" "$JAVA" -jar "$CLIENT_JAR" get -q --blksize "$blk" --windowsize "$ws" \
    "127.0.0.1:$port" bench.bin "$dest" >/dev/null 2>&1 || { echo "-"; return; }
  t1=$(now)
  rate "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}

# verify NAME FILE: prints the SHA-256 verdict; the tables run in a pipe (a subshell), so the
# verdicts also go to VERIFIED, counted as PASS/FAIL at the end.
verify() {
  local got size verdict; size=$(stat -c %s "$2" 2>/dev/null || echo 0)
  got=$(sha256sum <"$2" | cut -d' ' -f1)
  if [ "$got" = "$WANT" ]; then verdict="sha256 ok: $1"
  elif [ "$size" -ne "$BYTES" ]; then verdict="INCOMPLETE ($size of $BYTES bytes, client stalled?): $1"
  else verdict="SHA256 MISMATCH: $1"; fi
  echo "$verdict"; echo "$verdict" >>"$VERIFIED"
  rm -f "$2"
}

{
  echo "# servers, client atftp, ${SIZE_MIB} MiB, MB/s; ratio = ours / peer (ours-v: --transfer-threads virtual); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# '-' = not applicable (tftpd-hpa has no windowsize) or the client stalled past ${CELL_TIMEOUT}s"
  printf '%-7s %-4s %8s %8s %10s %7s %7s %8s %7s %7s\n' blksize ws ours ours-v tftpd-hpa ratio ratio-v atftpd ratio ratio-v
  for blk in 512 1468 8192 65464; do
    for ws in 1 16 64; do
      o=$(atftp_get "$P_OURS" "$blk" "$ws" "$OUT/dl.bin")
      op=$(atftp_get "$P_PLAT" "$blk" "$ws" "$OUT/dl.bin")
      h="-"
      [ "$ws" = 1 ] && h=$(atftp_get "$P_HPA" "$blk" 1 "$OUT/dl.bin")
      a=$(atftp_get "$P_ATFTPD" "$blk" "$ws" "$OUT/dl.bin")
      printf '%-7s %-4s %8s %8s %10s %7s %7s %8s %7s %7s\n' "$blk" "$ws" "$o" "$op" "$h" "$(ratio "$o" "$h")" \
        "$(ratio "$op" "$h")" "$a" "$(ratio "$o" "$a")" "$(ratio "$op" "$a")"
    done
  done
  atftp_get "$P_OURS" 1468 16 "$OUT/check.bin" >/dev/null; verify "ours via atftp" "$OUT/check.bin"
  atftp_get "$P_HPA" 1468 1 "$OUT/check.bin" >/dev/null; verify "tftpd-hpa via atftp" "$OUT/check.bin"
  atftp_get "$P_ATFTPD" 1468 16 "$OUT/check.bin" >/dev/null; verify "atftpd via atftp" "$OUT/check.bin"
  echo
  echo "# clients, server atftpd, ${SIZE_MIB} MiB, MB/s (ratio = ours / atftp)"
  printf '%-7s %-4s %10s %10s %8s\n' blksize ws ours atftp ratio
  for blk in 512 1468 8192 65464; do
    for ws in 1 16 64; do
      o=$(ours_get "$P_ATFTPD" "$blk" "$ws" "$OUT/dl.bin")
      a=$(atftp_get "$P_ATFTPD" "$blk" "$ws" "$OUT/dl.bin")
      printf '%-7s %-4s %10s %10s %8s\n' "$blk" "$ws" "$o" "$a" "$(ratio "$o" "$a")"
    done
  done
  ours_get "$P_ATFTPD" 1468 16 "$OUT/check.bin" >/dev/null; verify "our client from atftpd" "$OUT/check.bin"
} | tee "$OUT/throughput.txt"

# 500 concurrent downloads of a 1 MiB file from our server, each checked by SHA-256.
{
  echo
  echo "# $CONCURRENT concurrent atftp downloads of 1 MiB from our server (blksize 1468)"
  want_small=$(sha256sum <"$OUT/srv/small.bin" | cut -d' ' -f1)
  rm -rf "$OUT/conc" && mkdir -p "$OUT/conc"
  t0=$(now)
  for i in $(seq 1 "$CONCURRENT"); do
    timeout 120 atftp --option "blksize 1468" -g -r small.bin -l "$OUT/conc/$i" 127.0.0.1 "$P_OURS" >/dev/null 2>&1 &
  done
  wait_pids=$(jobs -p); for p in $wait_pids; do wait "$p"; done
  t1=$(now)
  good=0
  for i in $(seq 1 "$CONCURRENT"); do
    [ -f "$OUT/conc/$i" ] && [ "$(sha256sum <"$OUT/conc/$i" | cut -d' ' -f1)" = "$want_small" ] && good=$((good + 1))
  done
  echo "concurrent $good $CONCURRENT" >>"$VERIFIED"
  echo "completed with the right SHA-256: $good / $CONCURRENT in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
} | tee "$OUT/concurrent.txt"

# Heap per transfer: N requests that never ACK keep N transfers alive (blksize 1468, window 64,
# so each holds its first window); heap after a full GC with them alive minus the idle baseline.
{
  echo
  N=${HEAP_N:-400}
  nmt() { "$JCMD" "$OURS_PID" VM.native_memory summary 2>/dev/null | awk '/^-  *Other/ { getline; print; exit }' | sed -n 's/.*malloc=\([0-9]*\)KB.*/\1/p'; }
  "$JCMD" "$OURS_PID" GC.run >/dev/null 2>&1
  base_direct=$(nmt)
  base=$("$JCMD" "$OURS_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { print $(i + 1); exit } }')
  python3 - "$P_OURS" "$N" <<'EOF' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"\x00\x01bench.bin\x00octet\x00blksize\x001468\x00windowsize\x0064\x00", ("127.0.0.1", port))
    socks.append(s)
time.sleep(6)
EOF
  stall=$!
  sleep 3
  "$JCMD" "$OURS_PID" GC.run >/dev/null 2>&1
  live_direct=$(nmt)
  live=$("$JCMD" "$OURS_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { print $(i + 1); exit } }')
  "$JCMD" "$OURS_PID" GC.class_histogram 2>/dev/null | head -n 15 >"$OUT/histogram.txt"
  wait "$stall"
  echo "# heap per transfer (jcmd GC.run + GC.heap_info, $N stalled transfers, blksize 1468 windowsize 64)"
  echo "idle heap used: $base, with $N transfers: $live" |
    awk -v n="$N" '{ print } { b = $4; l = $8; gsub(/[^0-9]/, "", b); gsub(/[^0-9]/, "", l);
      printf "per transfer: %.1f KiB (class histogram top 15 in bench/out/tftp/histogram.txt)\n", (l - b) / n }'
  echo "direct buffers (NMT 'Other' malloc): idle ${base_direct:-?} KB, with $N transfers ${live_direct:-?} KB" |
    awk -v n="$N" -v b="${base_direct:-0}" -v l="${live_direct:-0}" '{ print } { printf "direct per transfer: %.1f KiB\n", (l - b) / n }'
} | tee "$OUT/heap.txt"

while read -r line; do
  case "$line" in
    "sha256 ok: "*) pk_ok "${line#sha256 ok: }: whole file, right SHA-256" ;;
    concurrent\ *) set -- $line
      if [ "$2" = "$3" ]; then pk_ok "$3 concurrent downloads complete"; else pk_fail "$3 concurrent downloads" "$2 complete"; fi ;;
    *) pk_fail "$line" ;;
  esac
done <"$VERIFIED"
pk_summary
