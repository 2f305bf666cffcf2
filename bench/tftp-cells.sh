#!/usr/bin/env bash
# Interleaved TFTP cells: our server (one or more variants) against tftpd-hpa and atftpd, with the
# atftp client on loopback, REPS repetitions, medians and ratios. For tuning on a noisy machine:
# every repetition runs each cell against every server back to back, so all of them see the
# same moment of the machine, and the medians show what one run of bench/tftp.sh cannot.
#
#   bench/tftp-cells.sh                                   # 512/1 1468/1 1468/64, 5 reps, 100 MiB
#   CELLS="512/1 8192/1" REPS=9 SIZE_MIB=20 bench/tftp-cells.sh
#   VARIANTS=$'ours||\nplatform||--transfer-threads platform\npgc|-XX:+UseParallelGC|' bench/tftp-cells.sh
#
# VARIANTS: one line per server of ours, "name|JVM options|server options[|jar]" (jar default:
# tftp-server/target/tftp-server-*-all.jar). NO_PEERS=1 skips tftpd-hpa and atftpd.
# Needs atftp, tftpd-hpa and the unpacked atftpd that bench/tftp.sh or interop/tftp.sh install.
# Output: stdout and bench/out/tftp-cells/result.txt. Ratios: first variant / peer. The last
# line is "N passed, N failed": a cell is a failure when a server of ours never completed it.
set -uo pipefail
# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init tftp-cells bench
HERE=$PK_ROOT
SIZE_MIB=${SIZE_MIB:-100}; REPS=${REPS:-5}; CELLS=${CELLS:-"512/1 1468/1 1468/64"}
CELL_TIMEOUT=${CELL_TIMEOUT:-60}
pk_jar tftp-server
JAR=$JAR_tftp_server
ATFTPD=$HERE/interop/out/tftp/atftpd/usr/sbin/atftpd
VARIANTS=${VARIANTS:-$'ours||\nvirtual||--transfer-threads virtual'}
mkdir -p "$OUT/srv" && chmod 777 "$OUT/srv"
FILE=$OUT/srv/bench.bin
if [ ! -f "$FILE" ] || [ "$(stat -c %s "$FILE")" -ne $((SIZE_MIB * 1048576)) ]; then
  head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$FILE"
fi
chmod 644 "$FILE"
BYTES=$(stat -c %s "$FILE")
declare -A PORT; NAMES=()
while IFS='|' read -r name opts args jar; do
  [ -z "$name" ] && continue
  # shellcheck disable=SC2086 # option lists are word-split on purpose
  pk_daemon "$name" "PORT[$name]" "$JAVA" $opts -jar "${jar:-$JAR}" --bind 127.0.0.1 --port 0 --root "$OUT/srv" \
    --timeout 1s --retries 10 $args || { pk_summary; exit 1; }
  NAMES+=("$name")
done <<<"$VARIANTS"
if [ -z "${NO_PEERS:-}" ]; then
  read -r PORT[tftpd-hpa] PORT[atftpd] <<<"$(pk_free_port udp 2)"
  pk_spawn tftpd-hpa /usr/sbin/in.tftpd -L -s "$OUT/srv" -a "127.0.0.1:${PORT[tftpd-hpa]}"
  pk_spawn atftpd "$ATFTPD" --daemon --no-fork --user root --group root --port "${PORT[atftpd]}" \
    --bind-address 127.0.0.1 --maxthread 1000 --logfile /dev/null "$OUT/srv"
  NAMES+=(tftpd-hpa atftpd)
  for n in tftpd-hpa atftpd; do pk_wait_udp "${PORT[$n]}" || { pk_fail "$n starts"; pk_summary; exit 1; }; done
fi

get() { # get PORT BLK WS -> MB/s or "-"
  local t0 t1 o=(--option "blksize $2")
  [ "$3" -gt 1 ] && o+=(--option "windowsize $3")
  t0=$(date +%s.%N)
  timeout "$CELL_TIMEOUT" atftp "${o[@]}" -g -r bench.bin -l /dev/null 127.0.0.1 "$1" >/dev/null 2>&1 || { echo -; return; }
  t1=$(date +%s.%N)
  awk -v b="$BYTES" -v a="$t0" -v c="$t1" 'BEGIN { printf "%.1f", b / (c - a) / 1e6 }'
}
median() { tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -g |
  awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

for n in "${NAMES[@]}"; do get "${PORT[$n]}" 1468 1 >/dev/null; done # warm-up (JIT, page cache)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A R
for r in $(seq 1 "$REPS"); do
  for c in $CELLS; do
    b=${c%/*} w=${c#*/}
    for n in "${NAMES[@]}"; do
      [ "$n" = tftpd-hpa ] && [ "$w" -gt 1 ] && continue # no windowsize in tftpd-hpa
      R[$n,$c]+="$(get "${PORT[$n]}" "$b" "$w") "
    done
  done
done
first=${NAMES[0]}
{
  echo "# atftp from each server on loopback, ${SIZE_MIB} MiB, median of $REPS interleaved runs, MB/s; $(date -u +%FT%TZ); load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-8s' cell; for n in "${NAMES[@]}"; do printf '%11s' "$n"; done
  [ -z "${NO_PEERS:-}" ] && printf '%14s %14s' "$first/hpa" "$first/atftpd"; echo
  for c in $CELLS; do
    printf '%-8s' "$c"; declare -A M=()
    for n in "${NAMES[@]}"; do M[$n]=$(echo "${R[$n,$c]:-}" | median); printf '%11s' "${M[$n]}"; done
    [ -z "${NO_PEERS:-}" ] && printf '%14s %14s' "$(ratio "${M[$first]}" "${M[tftpd-hpa]}")" "$(ratio "${M[$first]}" "${M[atftpd]}")"
    echo
  done
  echo "# every run (MB/s, '-' = failed or past ${CELL_TIMEOUT}s):"
  for c in $CELLS; do for n in "${NAMES[@]}"; do [ -n "${R[$n,$c]:-}" ] && echo "#   $c $n: ${R[$n,$c]}"; done; done
} | tee "$OUT/result.txt"
for c in $CELLS; do
  for n in "${NAMES[@]}"; do
    case "$n" in tftpd-hpa | atftpd) continue ;; esac
    if echo "${R[$n,$c]:-}" | grep -qE '[0-9]'; then pk_ok "$c $n measured"; else pk_fail "$c $n" "no run completed"; fi
  done
done
pk_summary
