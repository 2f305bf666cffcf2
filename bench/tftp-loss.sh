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
# atftp->tftpd-hpa at window 1 (tftpd-hpa has no windowsize). The namespace (pk-tftp-loss-...)
# and everything in it are removed by interop/lib.sh's trap, even when the script is killed.
# Needs atftp and tftpd-hpa (apt) and the unpacked atftpd of interop/tftp.sh.
# Output: stdout and bench/out/tftp-loss/result.txt.
set -uo pipefail
# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init tftp-loss bench
pk_need_root "ip netns, nft"
SIZE_MIB=${SIZE_MIB:-1}; LOSSES=${LOSSES:-"10 20"}; WINDOWS=${WINDOWS:-"1 16"}; BLKSIZE=${BLKSIZE:-1468}
CELL_TIMEOUT=${CELL_TIMEOUT:-120}
pk_jar tftp-server tftp-client
SERVER_JAR=$JAR_tftp_server
CLIENT_JAR=$JAR_tftp_client
ATFTPD=$PK_ROOT/interop/out/tftp/atftpd/usr/sbin/atftpd
for need in "$ATFTPD" /usr/sbin/in.tftpd "$(command -v atftp)"; do
  [ -n "$need" ] && [ -x "$need" ] || { pk_log "missing $need (run interop/tftp.sh once)"; exit 1; }
done
pk_netns tftp-loss || { pk_log "cannot create a network namespace"; exit 1; }
NS=$PK_NETNS
IN="ip netns exec $NS"
# in.tftpd looks its address up with AI_ADDRCONFIG, which counts no loopback address: without
# another configured interface it exits 66. A veth pair inside the namespace (gone with it) is one.
ip -n "$NS" link add pkv0 type veth peer name pkv1 && ip -n "$NS" addr add 10.254.0.1/24 dev pkv0 \
  && ip -n "$NS" link set pkv0 up && ip -n "$NS" link set pkv1 up || { pk_log "cannot add a veth pair to $NS"; exit 1; }

rm -rf "$OUT/srv" "$OUT/got" && mkdir -p "$OUT/srv" "$OUT/got" && chmod 777 "$OUT/srv"
head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$OUT/srv/loss.bin" && chmod 644 "$OUT/srv/loss.bin"
WANT=$(pk_sha "$OUT/srv/loss.bin")

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

# Servers, started once (the loss changes under them): ours on --port 0, the peers on free ports.
pk_daemon ours OURS $IN "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port 0 --root "$OUT/srv" --max-windowsize 64 \
  || exit 1
AT=$(free_port)
pk_spawn atftpd $IN "$ATFTPD" --daemon --no-fork --user root --group root --port "$AT" --bind-address 127.0.0.1 \
  --logfile "$OUT/logs/atftpd-transfers.log" "$OUT/srv"
HPA=$(free_port)
pk_spawn in.tftpd $IN /usr/sbin/in.tftpd -L -s "$OUT/srv" -a "127.0.0.1:$HPA"
pk_wait_udp "$AT" "$NS" && pk_wait_udp "$HPA" "$NS" || { pk_log "a peer server did not start"; exit 1; }

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
  if [ -f "$got" ] && [ "$(pk_sha "$got")" = "$WANT" ]; then
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
# Our pairings must complete: they are what this repository promises under loss.
grep '^| [0-9]' "$OUT/result.txt" | awk -F'|' '{print $4 "|" $5 "|" $6}' | grep -q failed \
  && pk_fail "every pairing with ours completed" "see $OUT/result.txt" || pk_ok "every pairing with ours completed"
pk_summary
