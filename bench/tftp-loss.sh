#!/usr/bin/env bash
# The loss mode of the TFTP benchmark (issue #9): transfers through random packet loss, ours
# against atftpd and tftpd-hpa, with our client and atftp, in a network namespace whose
# loopback drops LOSS% of UDP packets (nftables numgen, both directions: every packet crosses
# lo's input hook once). One run per cell; a cell that does not finish within CELL_TIMEOUT
# seconds, or delivers a wrong SHA-256, is reported as failed.
#
#   bench/tftp-loss.sh                                  # as root; 1 MiB, blksize 1468, 10%/20%, window 1/16
#   SIZE_MIB=10 LOSSES="20" WINDOWS="16" bench/tftp-loss.sh
#
# Pairings (client->server): ours->ours, atftp->ours, ours->atftpd, atftp->atftpd, and
# atftp->tftpd-hpa at window 1 (tftpd-hpa has no windowsize). The namespace (pk-tftp-loss-PID)
# and everything in it are removed by a trap, even when the script is killed.
# Needs atftp and tftpd-hpa (apt) and the unpacked atftpd of interop/tftp.sh.
# Output: stdout and bench/out/tftp-loss/result.txt.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=$HERE/bench/out/tftp-loss
SIZE_MIB=${SIZE_MIB:-1}; LOSSES=${LOSSES:-"10 20"}; WINDOWS=${WINDOWS:-"1 16"}; BLKSIZE=${BLKSIZE:-1468}
CELL_TIMEOUT=${CELL_TIMEOUT:-120}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
SERVER_JAR=$(ls "$HERE"/tftp-server/target/tftp-server-*-all.jar 2>/dev/null | head -n1)
CLIENT_JAR=$(ls "$HERE"/tftp-client/target/tftp-client-*-all.jar 2>/dev/null | head -n1)
ATFTPD=$HERE/interop/out/tftp/atftpd/usr/sbin/atftpd
NS=pk-tftp-loss-$$
[ "$(id -u)" = 0 ] || { echo "bench/tftp-loss.sh needs root (ip netns, nft)" >&2; exit 1; }
for need in "$SERVER_JAR" "$CLIENT_JAR" "$ATFTPD" /usr/sbin/in.tftpd "$(command -v atftp)"; do
  [ -n "$need" ] && [ -x "$need" -o -f "$need" ] || { echo "missing $need (build; run interop/tftp.sh once)" >&2; exit 1; }
done

cleanup() {
  ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
  sleep 0.2
  ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
IN="ip netns exec $NS"

rm -rf "$OUT/srv" "$OUT/got" && mkdir -p "$OUT/srv" "$OUT/got" "$OUT/logs" && chmod 777 "$OUT/srv"
head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$OUT/srv/loss.bin" && chmod 644 "$OUT/srv/loss.bin"
WANT=$(sha256sum <"$OUT/srv/loss.bin" | cut -d' ' -f1)
ip netns add "$NS" && ip -n "$NS" link set lo up || { echo "cannot create netns $NS" >&2; exit 1; }

set_loss() { # set_loss PERCENT: replaces the namespace's drop rule
  $IN nft delete table inet pk_tftp_loss 2>/dev/null
  $IN nft -f - <<NFT
table inet pk_tftp_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto udp numgen random mod 100 < $1 counter drop
  }
}
NFT
}

free_port() { $IN python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Servers, started once (loss changes under them): ours on --port 0 (read from its listening line).
$IN "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port 0 --root "$OUT/srv" --max-windowsize 64 \
  >"$OUT/logs/ours.log" 2>&1 &
for _ in $(seq 1 200); do OURS=$(sed -n 's/.*listening on udp .* port \([0-9]*\).*/\1/p' "$OUT/logs/ours.log" | head -n1); [ -n "$OURS" ] && break; sleep 0.1; done
[ -n "${OURS:-}" ] || { echo "our server did not start" >&2; cat "$OUT/logs/ours.log" >&2; exit 1; }
AT=$(free_port)
$IN "$ATFTPD" --daemon --no-fork --user root --group root --port "$AT" --bind-address 127.0.0.1 \
  --logfile "$OUT/logs/atftpd.log" "$OUT/srv" >/dev/null 2>&1 &
HPA=$(free_port)
$IN /usr/sbin/in.tftpd -L -s "$OUT/srv" -a "127.0.0.1:$HPA" >"$OUT/logs/in.tftpd.log" 2>&1 &
sleep 1

# cell CLIENT SERVER PORT WINDOW -> "seconds" or "failed"
cell() {
  local client=$1 server=$2 port=$3 window=$4 got="$OUT/got/$1-$2-$4.bin" t0 t1 opts=()
  rm -f "$got"
  t0=$(date +%s.%N)
  if [ "$client" = ours ]; then
    [ "$window" -gt 1 ] && opts=(--windowsize "$window")
    timeout "$CELL_TIMEOUT" $IN "$JAVA" -jar "$CLIENT_JAR" get -q --blksize "$BLKSIZE" "${opts[@]}" \
      "127.0.0.1:$port" loss.bin "$got" >>"$OUT/logs/cells.log" 2>&1
  else
    [ "$window" -gt 1 ] && opts=(--option "windowsize $window")
    timeout "$CELL_TIMEOUT" $IN atftp --tftp-timeout 1 --option "blksize $BLKSIZE" "${opts[@]}" \
      -g -r loss.bin -l "$got" 127.0.0.1 "$port" >>"$OUT/logs/cells.log" 2>&1
  fi
  t1=$(date +%s.%N)
  if [ -f "$got" ] && [ "$(sha256sum <"$got" | cut -d' ' -f1)" = "$WANT" ]; then
    printf '%.1f s' "$(echo "$t1 - $t0" | bc)"
  else
    printf 'failed'
  fi
}

{
  echo "TFTP under loss: $SIZE_MIB MiB, blksize $BLKSIZE, one run per cell, ${CELL_TIMEOUT}s limit ($(date -u +%FT%TZ))"
  echo
  echo "| loss | window | ours->ours | atftp->ours | ours->atftpd | atftp->atftpd | atftp->tftpd-hpa |"
  echo "|---|---|---|---|---|---|---|"
  for loss in $LOSSES; do
    set_loss "$loss"
    for w in $WINDOWS; do
      hpa="-"
      [ "$w" = 1 ] && hpa=$(cell atftp hpa "$HPA" 1)
      echo "| $loss% | $w | $(cell ours ours "$OURS" "$w") | $(cell atftp ours "$OURS" "$w") | $(cell ours atftpd "$AT" "$w") | $(cell atftp atftpd "$AT" "$w") | $hpa |"
    done
  done
  echo
  echo "dropped by the namespace (last loss setting): $($IN nft list ruleset | sed -n 's/.*counter packets \([0-9]*\).*/\1/p') packets"
} | tee "$OUT/result.txt"
