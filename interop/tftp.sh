#!/usr/bin/env bash
# Interop: protokit's TFTP server and client against Debian's standard TFTP tools.
#
#   interop/tftp.sh            (as root on Debian 12; CI runs it)
#
# Installs what it needs (idempotent): tftp-hpa, atftp, tftpd-hpa, busybox, curl, nftables,
# iproute2, dnsmasq-base, and atftpd unpacked beside the work files (it conflicts with
# tftpd-hpa, so it is never installed). Our server is tested with curl, tftp-hpa, atftp and
# busybox tftp, get and put; our client against in.tftpd (tftpd-hpa), atftpd and dnsmasq (in a
# namespace: it listens on port 69 only); then, in a network namespace whose loopback drops 5%
# of UDP packets (nftables numgen), atftp and our client against our server;
# then 20% loss in a second namespace (both clients, lock-step and windowed, and busybox tftp),
# the error text a short request gets, and raw RFC probes (interop/tftp_probe.py). Every file
# is compared by SHA-256. One PASS/FAIL line per case, then "N passed, N failed"; the exit
# status is non-zero if any case failed.
# Only loopback is used: our servers pick their ports (--port 0), the peers get free ports; the
# tftpd-hpa service apt may start is paused and the namespace removed, even when the run is
# killed.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init tftp
HERE=$PK_ROOT

install_tools() {
  pk_apt tftp-hpa atftp tftpd-hpa curl nftables iproute2 libwrap0 libpcre2-8-0 busybox dnsmasq-base
  # apt may have started tftpd-hpa on port 69; nothing here depends on it.
  pk_pause_service tftpd-hpa
  ATFTPD=$OUT/atftpd/usr/sbin/atftpd
  if [ ! -x "$ATFTPD" ]; then
    mkdir -p "$OUT/atftpd"
    (cd "$OUT/atftpd" && { apt-get download -qq atftpd >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get download -qq atftpd >/dev/null; }; } \
      && dpkg-deb -x atftpd_*.deb .) || { pk_log "cannot fetch atftpd"; exit 1; }
  fi
}

build() {
  pk_jar tftp-server tftp-client
  SERVER_JAR=$JAR_tftp_server
  CLIENT_JAR=$JAR_tftp_client
}

# start_ours NAME VAR DIR [NETNS]: our server, read-write, on 127.0.0.1; VAR = its port.
start_ours() {
  local name=$1 var=$2 dir=$3 ns=${4:-}
  pk_daemon "$name" "$var" ${ns:+ip netns exec "$ns"} "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port 0 \
    --root "$dir" --allow-write --allow-create --timeout 1s --retries 10
}


make_files() {
  SRC=$OUT/files
  mkdir -p "$SRC"
  : >"$SRC/empty.bin"
  head -c 512 /dev/urandom >"$SRC/exact512.bin"
  head -c 1048576 /dev/urandom >"$SRC/one-mib.bin"
  head -c 3000001 /dev/urandom >"$SRC/three-mb.bin"
  head -c 262144 /dev/urandom >"$SRC/lossy.bin"
  chmod 644 "$SRC"/*
}

fresh_dir() { # fresh_dir NAME -> a world-writable served directory holding the test files
  local d=$OUT/srv/$1
  rm -rf "$d" && mkdir -p "$d" && cp "$SRC"/* "$d"/ && chmod 777 "$d" && chmod 644 "$d"/*
  echo "$d"
}

ours_vs_tools() {
  local port dir got f
  dir=$(fresh_dir ours)
  got=$OUT/got/ours && rm -rf "$got" && mkdir -p "$got"
  start_ours server-ours port "$dir" || return
  for f in empty.bin exact512.bin one-mib.bin three-mb.bin; do
    # curl 7.88 fails any empty download, from tftpd-hpa too ("getpeername() failed"): skip that one.
    if [ "$f" != empty.bin ]; then
      pk_run "curl-get-$f" curl -sS --tftp-blksize 1468 -o "$got/curl-$f" "tftp://127.0.0.1:$port/$f"
      pk_check_sha "our server <- curl get $f (blksize 1468)" "$SRC/$f" "$got/curl-$f"
    fi
    (cd "$got" && pk_run "hpa-get-$f" tftp -m binary 127.0.0.1 "$port" -c get "$f" "hpa-$f")
    pk_check_sha "our server <- tftp-hpa get $f" "$SRC/$f" "$got/hpa-$f"
    pk_run "atftp-get-$f" atftp --option "blksize 1468" --option "windowsize 16" -g -r "$f" -l "$got/atftp-$f" 127.0.0.1 "$port"
    pk_check_sha "our server <- atftp get $f (blksize 1468 windowsize 16)" "$SRC/$f" "$got/atftp-$f"
  done
  for f in exact512.bin three-mb.bin; do
    pk_run "curl-put-$f" curl -sS --tftp-blksize 8192 -T "$SRC/$f" "tftp://127.0.0.1:$port/curl-up-$f"
    pk_check_sha "our server <- curl put $f (blksize 8192)" "$SRC/$f" "$dir/curl-up-$f"
    (cd "$SRC" && pk_run "hpa-put-$f" tftp -m binary 127.0.0.1 "$port" -c put "$f" "hpa-up-$f")
    pk_check_sha "our server <- tftp-hpa put $f" "$SRC/$f" "$dir/hpa-up-$f"
    pk_run "atftp-put-$f" atftp --option "blksize 1468" --option "windowsize 16" -p -l "$SRC/$f" -r "atftp-up-$f" 127.0.0.1 "$port"
    pk_check_sha "our server <- atftp put $f (blksize 1468 windowsize 16)" "$SRC/$f" "$dir/atftp-up-$f"
  done
}

# inetd/systemd style: the socket is bound by someone else and handed over as standard input;
# the request is sent at once, so it waits in the socket until the JVM has started.
inetd_mode() {
  local port dir got f=one-mib.bin
  dir=$(fresh_dir inetd)
  got=$OUT/got/inetd && rm -rf "$got" && mkdir -p "$got"
  # The kernel picks the port; the wrapper writes it down before handing the socket over.
  rm -f "$OUT/inetd.port"
  pk_spawn server-inetd python3 -c '
import os, socket, sys
portfile, java, jar, root = sys.argv[1:5]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(portfile + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
os.dup2(s.fileno(), 0)
os.execv(java, [java, "-jar", jar, "--inetd", "--root", root])
' "$OUT/inetd.port" "$JAVA" "$SERVER_JAR" "$dir"
  for _ in $(seq 1 100); do [ -s "$OUT/inetd.port" ] && break; sleep 0.1; done
  port=$(cat "$OUT/inetd.port" 2>/dev/null)
  [ -n "$port" ] || { pk_fail "inetd start" "socket not bound"; return; }
  (cd "$got" && pk_run inetd-hpa-get tftp -m binary 127.0.0.1 "$port" -c get "$f" "hpa-$f")
  pk_check_sha "our server --inetd (socket on stdin, first request waiting) <- tftp-hpa get $f" "$SRC/$f" "$got/hpa-$f"
  pk_run inetd-atftp-get atftp --option "blksize 1468" -g -r "$f" -l "$got/atftp-$f" 127.0.0.1 "$port"
  pk_check_sha "our server --inetd <- atftp get $f (blksize 1468)" "$SRC/$f" "$got/atftp-$f"
}

client_vs_servers() {
  local hpa_port at_port hpa_dir at_dir got f
  read -r hpa_port at_port <<<"$(pk_free_port udp 2)"
  hpa_dir=$(fresh_dir hpa)
  at_dir=$(fresh_dir atftpd)
  got=$OUT/got/client && rm -rf "$got" && mkdir -p "$got"
  pk_spawn in.tftpd /usr/sbin/in.tftpd -L -c -p -s "$hpa_dir" -a "127.0.0.1:$hpa_port"
  pk_spawn atftpd-stdout "$ATFTPD" --daemon --no-fork --user root --group root --port "$at_port" \
    --bind-address 127.0.0.1 --logfile "$OUT/logs/atftpd.log" "$at_dir"
  pk_wait_udp "$hpa_port" || pk_fail "in.tftpd start" "not listening on $hpa_port"
  pk_wait_udp "$at_port" || pk_fail "atftpd start" "not listening on $at_port"
  for f in empty.bin exact512.bin one-mib.bin three-mb.bin; do
    pk_run "client-hpa-get-$f" "$JAVA" -jar "$CLIENT_JAR" get -q "127.0.0.1:$hpa_port" "$f" "$got/hpa-$f"
    pk_check_sha "our client -> tftpd-hpa get $f" "$SRC/$f" "$got/hpa-$f"
    pk_run "client-hpa-get-opt-$f" "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --tsize "127.0.0.1:$hpa_port" "$f" "$got/hpa-opt-$f"
    pk_check_sha "our client -> tftpd-hpa get $f (blksize 1468 tsize)" "$SRC/$f" "$got/hpa-opt-$f"
    pk_run "client-atftpd-get-$f" "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --windowsize 16 "127.0.0.1:$at_port" "$f" "$got/at-$f"
    pk_check_sha "our client -> atftpd get $f (blksize 1468 windowsize 16)" "$SRC/$f" "$got/at-$f"
  done
  for f in exact512.bin three-mb.bin; do
    pk_run "client-hpa-put-$f" "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 "127.0.0.1:$hpa_port" "up-$f" "$SRC/$f"
    pk_check_sha "our client -> tftpd-hpa put $f (blksize 1468)" "$SRC/$f" "$hpa_dir/up-$f"
    pk_run "client-atftpd-put-$f" "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 --windowsize 16 "127.0.0.1:$at_port" "up-$f" "$SRC/$f"
    pk_check_sha "our client -> atftpd put $f (blksize 1468 windowsize 16)" "$SRC/$f" "$at_dir/up-$f"
  done
}

under_loss() {
  local port dir got f=lossy.bin NS
  pk_netns tftp || { pk_fail "netns" "cannot create"; return; }
  NS=$PK_NETNS
  ip netns exec "$NS" nft -f - <<'EOF' || { pk_fail "nftables loss rule" "nft failed"; return; }
table inet pk_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto udp numgen random mod 100 < 5 counter drop
  }
}
EOF
  dir=$(fresh_dir lossy)
  got=$OUT/got/lossy && rm -rf "$got" && mkdir -p "$got"
  start_ours server-lossy port "$dir" "$NS" || return
  local in="ip netns exec $NS"
  pk_run lossy-atftp-get $in atftp --tftp-timeout 1 --option "blksize 1468" --option "windowsize 16" \
    -g -r "$f" -l "$got/atftp-$f" 127.0.0.1 "$port"
  pk_check_sha "5% loss: atftp get from our server" "$SRC/$f" "$got/atftp-$f"
  pk_run lossy-atftp-put $in atftp --tftp-timeout 1 --option "blksize 1468" -p -l "$SRC/$f" -r "atftp-up-$f" 127.0.0.1 "$port"
  pk_check_sha "5% loss: atftp put to our server" "$SRC/$f" "$dir/atftp-up-$f"
  pk_run lossy-client-get $in "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --windowsize 16 \
    "127.0.0.1:$port" "$f" "$got/ours-$f"
  pk_check_sha "5% loss: our client get from our server" "$SRC/$f" "$got/ours-$f"
  pk_run lossy-client-put $in "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 --windowsize 16 \
    "127.0.0.1:$port" "client-up-$f" "$SRC/$f"
  pk_check_sha "5% loss: our client put to our server" "$SRC/$f" "$dir/client-up-$f"
  local drops
  drops=$(ip netns exec "$NS" nft list ruleset 2>/dev/null | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
  if [ "${drops:-0}" -gt 0 ]; then pk_ok "5% loss: the namespace dropped $drops packets"; else pk_fail "5% loss: no packet was dropped"; fi
}

# 20% loss (issue #9): our client and atftp, lock-step and windowed, against our server.
# Before: a windowed receiver stayed silent after a lost window ACK (ours->ours stalled), and
# the server's timer repeated its OACK, on which atftp aborts ("unexpected OACK"). Each case
# gets HEAVY_LOSS_TIMEOUT seconds (generous: a loaded 2-core box takes ~10-40 s for the
# slowest, atftp lock-step, whose fixed 1 s timer pays for every double loss).
under_heavy_loss() {
  local port dir got f=lossy.bin NS w opts
  pk_netns tftp-heavy || { pk_fail "netns" "cannot create"; return; }
  NS=$PK_NETNS
  ip netns exec "$NS" nft -f - <<'NFT' || { pk_fail "nftables 20% loss rule" "nft failed"; return; }
table inet pk_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto udp numgen random mod 100 < 20 counter drop
  }
}
NFT
  dir=$(fresh_dir heavy)
  got=$OUT/got/heavy && rm -rf "$got" && mkdir -p "$got"
  start_ours server-heavy port "$dir" "$NS" || return
  local in="ip netns exec $NS"
  local PK_TIMEOUT=${HEAVY_LOSS_TIMEOUT:-150}
  for w in 1 16; do
    pk_run "heavy-client-get-$w" $in "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --windowsize "$w" \
      "127.0.0.1:$port" "$f" "$got/ours-$w-$f"
    pk_check_sha "20% loss: our client get from our server (windowsize $w)" "$SRC/$f" "$got/ours-$w-$f"
    pk_run "heavy-client-put-$w" $in "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 --windowsize "$w" \
      "127.0.0.1:$port" "client-up-$w-$f" "$SRC/$f"
    pk_check_sha "20% loss: our client put to our server (windowsize $w)" "$SRC/$f" "$dir/client-up-$w-$f"
  done
  # atftp (with blksize, so its ACK 0 answers an OACK). After a lost ACK atftp sends one extra
  # ACK and then ACKs only on its own timer, which every repeat restarts: our back-off reaches
  # twice our 1 s timeout (none negotiated), so atftp's timer fires and it ACKs again. atftp
  # re-sends its last ACK every second and gives up after six: a duplicate ACK while we back
  # off sends our window at once (issue #9). OPEN: a rarer abort remains (1 of 100 1 MiB gets
  # after that fix, 3 of 100 before, bench/tftp-atftp-gets.sh): seven atftp timeouts in a row
  # with nothing received, mid-transfer, cause not found. Such a try is run once more and
  # reported OPEN; two failures in a row fail the case.
  local try name
  for w in 1 16; do
    opts=(--option "blksize 1468")
    [ "$w" -gt 1 ] && opts+=(--option "windowsize $w")
    name="20% loss: atftp get from our server (blksize 1468, windowsize $w)"
    for try in 1 2; do
      rm -f "$got/atftp-$w-$f"
      pk_run "heavy-atftp-get-$w-try$try" $in atftp --tftp-timeout 1 "${opts[@]}" -g -r "$f" -l "$got/atftp-$w-$f" 127.0.0.1 "$port"
      [ -f "$got/atftp-$w-$f" ] && [ "$(pk_sha "$SRC/$f")" = "$(pk_sha "$got/atftp-$w-$f")" ] && break
    done
    if [ "$try" = 2 ]; then
      echo "OPEN $name: the first try aborted (logs/heavy-atftp-get-$w-try1.log); the second is checked"
    fi
    pk_check_sha "$name" "$SRC/$f" "$got/atftp-$w-$f"
  done
  pk_run heavy-atftp-put $in atftp --tftp-timeout 1 --option "blksize 1468" -p -l "$SRC/$f" -r "atftp-up-$f" 127.0.0.1 "$port"
  pk_check_sha "20% loss: atftp put to our server (blksize 1468)" "$SRC/$f" "$dir/atftp-up-$f"
  # busybox tftp as well (12 of 12 by hand, 8-13 s each; without -b it takes 27-35 s).
  pk_run heavy-busybox-get $in busybox tftp -b 1468 -g -r "$f" -l "$got/busybox-$f" 127.0.0.1 "$port"
  pk_check_sha "20% loss: busybox tftp get from our server (-b 1468)" "$SRC/$f" "$got/busybox-$f"
}

# dnsmasq's TFTP server (read-only; blksize and tsize, no windowsize, no timeout; block numbers
# roll over to 0) against our client, in a namespace of its own: dnsmasq listens on port 69 and
# nothing else. Its files: the usual ones, a netascii text (LF and CR LF lines, a bare CR) and
# a file past 32 MiB fetched at blksize 512 (67,585 blocks: past 65535 once).
client_vs_dnsmasq() {
  local dir got f NS in log big=$OUT/files-big/big.bin
  pk_netns dnsmasq || { pk_fail "netns" "cannot create"; return; }
  NS=$PK_NETNS
  in="ip netns exec $NS"
  dir=$(fresh_dir dnsmasq)
  chmod 755 "$dir"
  mkdir -p "$(dirname "$big")"
  [ -s "$big" ] || head -c $((33 * 1048576 + 300)) /dev/urandom >"$big"
  ln -f "$big" "$dir/big.bin" 2>/dev/null || cp "$big" "$dir/big.bin"
  python3 -c 'import sys; sys.stdout.buffer.write(b"".join(b"dos line %d\r\n" % i if i % 7 == 0 else b"line %d of the text\n" % i for i in range(3000)) + b"bare\rcr\n")' >"$dir/text.txt"
  chmod 644 "$dir"/*
  got=$OUT/got/dnsmasq && rm -rf "$got" && mkdir -p "$got"
  pk_spawn dnsmasq $in dnsmasq --no-daemon --conf-file=/dev/null --pid-file= --port=0 --enable-tftp \
    --tftp-root="$dir" --listen-address=127.0.0.1 --bind-interfaces --log-facility=-
  pk_wait_udp 69 "$NS" || { pk_fail "dnsmasq start" "not listening on 69, see logs/dnsmasq.log"; return; }
  local cases=("empty.bin|" "exact512.bin|" "one-mib.bin|" "three-mb.bin|--blksize 1468 --tsize"
    "one-mib.bin|--blksize 1468 --windowsize 16" "exact512.bin|--blksize 65464 --windowsize 4 --timeout 2 --tsize")
  local c opts i=0
  for c in "${cases[@]}"; do
    f=${c%%|*} opts=${c#*|} i=$((i + 1))
    # shellcheck disable=SC2086 # opts is a list of flags
    pk_run "dnsmasq-get-$i" $in "$JAVA" -jar "$CLIENT_JAR" get -q $opts 127.0.0.1 "$f" "$got/$i-$f"
    pk_check_sha "our client -> dnsmasq get $f${opts:+ ($opts)}" "$SRC/$f" "$got/$i-$f"
  done
  pk_run dnsmasq-get-netascii $in "$JAVA" -jar "$CLIENT_JAR" get -q --mode netascii --blksize 100 127.0.0.1 text.txt "$got/text.txt"
  pk_check_sha "our client -> dnsmasq get netascii text (LF, CR LF, bare CR; blksize 100)" "$dir/text.txt" "$got/text.txt"
  pk_run dnsmasq-get-big $in "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 512 --tsize 127.0.0.1 big.bin "$got/big.bin"
  pk_check_sha "our client -> dnsmasq get 33 MiB at blksize 512 (block 65535 rolls over to 0)" "$big" "$got/big.bin"
  rm -f "$got/big.bin"
  log=$OUT/logs/dnsmasq-put.log
  if pk_run dnsmasq-put $in "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 127.0.0.1 up.bin "$SRC/exact512.bin"; then
    pk_fail "our client -> dnsmasq put is refused" "the put succeeded"
  elif grep -q "^tftp-client: Illegal TFTP operation (server error 4: unsupported request from 127.0.0.1)$" "$log" \
      && [ ! -e "$dir/up.bin" ]; then
    pk_ok "our client -> dnsmasq put: read-only server's ERROR 4 reported whole ($(cat "$log"))"
  else
    pk_fail "our client -> dnsmasq put error" "see logs/dnsmasq-put.log"
  fi
}

# busybox tftp, a client none of our tests use (issue #9's held-out clients): get with and
# without -b (it always asks tsize), put to a read-write server, and the read-only default's
# refusal shown whole. busybox's own tftpd is not in Debian's busybox builds, so our client
# cannot be tried against it here.
busybox_client() {
  local port ro dir got f b
  dir=$(fresh_dir busybox)
  got=$OUT/got/busybox && rm -rf "$got" && mkdir -p "$got"
  start_ours server-busybox port "$dir" || return
  for f in empty.bin exact512.bin one-mib.bin; do
    for b in "" 1468; do
      pk_run "busybox-get-$f-$b" busybox tftp ${b:+-b "$b"} -g -r "$f" -l "$got/bb-$b-$f" 127.0.0.1 "$port"
      pk_check_sha "our server <- busybox tftp get $f${b:+ (-b $b)}" "$SRC/$f" "$got/bb-$b-$f"
    done
  done
  for b in "" 1468; do
    pk_run "busybox-put-$b" busybox tftp ${b:+-b "$b"} -p -l "$SRC/three-mb.bin" -r "bb-up-$b.bin" 127.0.0.1 "$port"
    pk_check_sha "our server <- busybox tftp put three-mb.bin${b:+ (-b $b)}" "$SRC/three-mb.bin" "$dir/bb-up-$b.bin"
  done
  pk_daemon server-busybox-ro ro "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port 0 --root "$dir" || return
  pk_run busybox-put-ro busybox tftp -p -l "$SRC/exact512.bin" -r bb-ro.bin 127.0.0.1 "$ro"
  if grep -q "server error: (2) Access violation" "$OUT/logs/busybox-put-ro.log" && [ ! -e "$dir/bb-ro.bin" ]; then
    pk_ok "read-only server refuses busybox tftp put with error 2, its text whole"
  else
    pk_fail "read-only server refuses busybox tftp put" "see logs/busybox-put-ro.log"
  fi
}

# Raw RFC 1350/2347/2348/2349/7440 probes (interop/tftp_probe.py: hand-built packets, as a
# tftpy-style or hostile client sends them, each from its own 127.0.0.N). Its PASS/FAIL lines
# are counted here.
raw_probes() {
  local port dir line
  dir=$OUT/srv/probe
  rm -rf "$dir" && mkdir -p "$dir" && chmod 777 "$dir"
  pk_daemon server-probe port "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port 0 --root "$dir" \
    --allow-create --timeout 1s --retries 10 --max-per-address 2 || return
  PK_TIMEOUT=90 pk_run probe /usr/bin/python3 "$HERE/interop/tftp_probe.py" "$port" "$dir"
  while IFS= read -r line; do
    case "$line" in
      "PASS "*) pk_ok "probe: ${line#PASS }" ;;
      "FAIL "*) pk_fail "probe: ${line#FAIL }" ;;
    esac
  done <"$OUT/logs/probe.log"
  grep -q '^\(PASS\|FAIL\) ' "$OUT/logs/probe.log" || pk_fail "probe ran" "see logs/probe.log"
}

# Error texts fit the anti-amplification bound as whole words (issue #9: "Access violat").
short_errors() {
  local port dir out
  dir=$(fresh_dir errors)
  start_ours server-errors port "$dir" || return
  out=$(cd "$OUT" && timeout 20 tftp -m binary 127.0.0.1 "$port" -c get nofile 2>&1; rm -f "$OUT/nofile")
  case "$out" in
    *"Error code 1: File not found"*|*"Error code 1: Not found"*) pk_ok "tftp-hpa shows a whole error text for a short request ($out)";;
    *) pk_fail "tftp-hpa error text" "$out";;
  esac
}

main() {
  pk_need_root "apt-get, ip netns"
  install_tools
  build
  make_files
  ours_vs_tools
  inetd_mode
  client_vs_servers
  client_vs_dnsmasq
  under_loss
  under_heavy_loss
  busybox_client
  short_errors
  raw_probes
  pk_summary
}

main "$@"
