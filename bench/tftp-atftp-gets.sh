#!/usr/bin/env bash
# How often atftp's get from our server fails under random loss (issue #9's open defect: about
# one in 20-50 aborted at 20% loss with "timeout: retrying"). N gets of a 1 MiB file, blksize
# 1468, at window 1 and at window 16, in a network namespace whose loopback drops LOSS% of UDP
# packets (nftables numgen, both directions). A get fails when atftp exits non-zero, runs past
# GET_TIMEOUT seconds or delivers a wrong SHA-256. A before/after is this script run on two
# commits; PROTOKIT_HOME=DIR takes DIR/lib/tftp-server.jar instead of building.
#
#   bench/tftp-atftp-gets.sh                    # as root; N=50 LOSS=20 WINDOWS="1 16" PARALLEL=5
#   N=100 PARALLEL=10 bench/tftp-atftp-gets.sh
#   CAPTURE=1 ...                               # also tcpdump the namespace's loopback (headers)
#
# Gets run PARALLEL at a time (each waits mostly on atftp's 1 s timer); a failed get's atftp
# output stays in the logs directory, and the server's log lines say how each ended. The namespace
# (pk-tftp-atftp-gets-libPID) and everything in it are removed by interop/lib.sh's trap, even
# when the script is killed (SIGKILL: by the next run of any of these scripts).
# Output: one "window W: N ok, N failed" line per window, failed gets' logs in
# bench/out/tftp-atftp-gets/logs, the summary in bench/out/tftp-atftp-gets/result.txt.
set -uo pipefail
# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init tftp-atftp-gets bench
pk_need_root "ip netns, nft"
N=${N:-50}; LOSS=${LOSS:-20}; WINDOWS=${WINDOWS:-"1 16"}; PARALLEL=${PARALLEL:-5}; GET_TIMEOUT=${GET_TIMEOUT:-150}
command -v atftp >/dev/null || { pk_log "needs atftp (apt-get install -y atftp)"; exit 1; }
pk_jar tftp-server
pk_netns tftp-atftp-gets || { pk_log "cannot create a network namespace"; exit 1; }
IN="ip netns exec $PK_NETNS"
$IN nft -f - <<NFT || { pk_log "nft failed"; exit 1; }
table inet pk_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto udp numgen random mod 100 < $LOSS counter drop
  }
}
NFT
pk_clean_out
mkdir -p "$OUT/srv" "$OUT/got"
if [ -n "${CAPTURE:-}" ]; then
  # Seen on loopback's way out, so a packet the loss rule drops on its way in is in it too.
  pk_spawn tcpdump $IN tcpdump -i lo -n -s 64 -U -w "$OUT/capture.pcap" udp
  sleep 1
fi
head -c 1048576 /dev/urandom >"$OUT/srv/one-mib.bin" && chmod 644 "$OUT/srv/one-mib.bin"
WANT=$(pk_sha "$OUT/srv/one-mib.bin")
# The interop's settings (interop/tftp.sh start_ours), but for the per-address limit: every get
# comes from 127.0.0.1, and a get whose final ACK was lost keeps its place on the server for
# its retries (up to ~100 s) after atftp has left, so at PARALLEL=30 a third of the gets were
# refused "server busy" with the default 32.
pk_daemon server PORT $IN "$JAVA" -jar "$JAR_tftp_server" --bind 127.0.0.1 --port 0 --root "$OUT/srv" \
  --timeout 1s --retries 10 --max-per-address 512 || exit 1

# one_get WINDOW I: prints "ok" or "failed"; a failed get keeps its atftp log.
one_get() {
  local w=$1 i=$2 got=$OUT/got/$1-$2.bin log=$OUT/logs/get-$1-$2.log opts=(--option "blksize 1468")
  [ "$w" -gt 1 ] && opts+=(--option "windowsize $w")
  if timeout "$GET_TIMEOUT" $IN atftp --tftp-timeout 1 "${opts[@]}" -g -r one-mib.bin -l "$got" 127.0.0.1 "$PORT" \
      >"$log" 2>&1 && [ "$(pk_sha "$got")" = "$WANT" ]; then
    echo ok; rm -f "$log"
  else
    echo failed
  fi
  rm -f "$got"
}

{
  echo "atftp gets from our server ($(basename "$JAR_tftp_server")): 1 MiB, blksize 1468, $LOSS% loss," \
    "$N gets a window, $PARALLEL at a time, ${GET_TIMEOUT}s limit ($(date -u +%FT%TZ))"
  for w in $WINDOWS; do
    t0=$(date +%s)
    results=$(for i in $(seq 1 "$N"); do
      [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ] && wait -n
      one_get "$w" "$i" &
    done; wait)
    ok=$(grep -c '^ok$' <<<"$results"); failed=$(grep -c '^failed$' <<<"$results")
    echo "window $w: $ok ok, $failed failed in $(($(date +%s) - t0)) s"
  done
  echo "dropped by the namespace: $($IN nft list ruleset | sed -n 's/.*counter packets \([0-9]*\).*/\1/p') packets"
} | tee "$OUT/result.txt"
grep -q ' 0 failed' "$OUT/result.txt" && ! grep -q 'window .* [1-9][0-9]* failed' "$OUT/result.txt" \
  && pk_ok "every atftp get completed" || pk_fail "every atftp get completed" "see $OUT/result.txt"
pk_summary
