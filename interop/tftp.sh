#!/usr/bin/env bash
# Interop: protokit's TFTP server and client against Debian's standard TFTP tools.
#
#   interop/tftp.sh            (as root on Debian 12; CI runs it)
#
# Installs what it needs (idempotent): tftp-hpa, atftp, tftpd-hpa, curl, nftables, iproute2, and
# atftpd unpacked beside the work files (it conflicts with tftpd-hpa, so it is never installed).
# Our server is tested with curl, tftp-hpa and atftp, get and put; our client against in.tftpd
# (tftpd-hpa) and atftpd; then, in a network namespace whose loopback drops 5% of UDP packets
# (nftables numgen), atftp and our client against our server. Every file is compared by
# SHA-256. One PASS/FAIL line per case; the exit status is non-zero if any case failed.
# Only loopback and high ports are used; the tftpd-hpa service apt may start is stopped.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=${INTEROP_OUT:-$HERE/interop/out/tftp}
NS=pk-tftp-$$
BASE_PORT=$((20000 + ($$ % 20000)))
PIDS=()
PASSED=0
FAILED=0
T0=$(date +%s)

log() { printf '%s\n' "$*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$1"; }
bad() { FAILED=$((FAILED + 1)); printf 'FAIL %s%s\n' "$1" "${2:+ ($2)}"; }

# check NAME EXPECTED-FILE ACTUAL-FILE: PASS when both exist with the same SHA-256.
check() {
  local name=$1 want=$2 got=$3 a b
  if [ ! -f "$got" ]; then bad "$name" "no file $got"; return; fi
  a=$(sha256sum <"$want" | cut -d' ' -f1)
  b=$(sha256sum <"$got" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then ok "$name"; else bad "$name" "sha256 $b != $a"; fi
}

# run NAME COMMAND...: runs a transfer command with a time limit, output to the case log.
run() {
  local name=$1; shift
  timeout 60 "$@" >"$OUT/logs/$name.log" 2>&1
}

install_tools() {
  local need=()
  command -v tftp >/dev/null || need+=(tftp-hpa)
  command -v atftp >/dev/null || need+=(atftp)
  [ -x /usr/sbin/in.tftpd ] || need+=(tftpd-hpa)
  command -v curl >/dev/null || need+=(curl)
  command -v nft >/dev/null || need+=(nftables)
  command -v ip >/dev/null || need+=(iproute2)
  dpkg -s libwrap0 libpcre2-8-0 >/dev/null 2>&1 || need+=(libwrap0 libpcre2-8-0)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || { log "apt-get install failed"; exit 1; }
  fi
  # apt may have started tftpd-hpa on port 69; nothing here depends on it.
  if command -v systemctl >/dev/null && systemctl is-active --quiet tftpd-hpa 2>/dev/null; then
    systemctl disable --now tftpd-hpa >/dev/null 2>&1
  fi
  service tftpd-hpa stop >/dev/null 2>&1 || true
  ATFTPD=$OUT/atftpd/usr/sbin/atftpd
  if [ ! -x "$ATFTPD" ]; then
    mkdir -p "$OUT/atftpd"
    (cd "$OUT/atftpd" && { apt-get download -qq atftpd >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get download -qq atftpd >/dev/null; }; } \
      && dpkg-deb -x atftpd_*.deb .) || { log "cannot fetch atftpd"; exit 1; }
  fi
}

build() {
  SERVER_JAR=$(ls "$HERE"/tftp-server/target/tftp-server-*-all.jar 2>/dev/null | head -n1)
  CLIENT_JAR=$(ls "$HERE"/tftp-client/target/tftp-client-*-all.jar 2>/dev/null | head -n1)
  if [ -z "$SERVER_JAR" ] || [ -z "$CLIENT_JAR" ]; then
    log "building tftp-server and tftp-client"
    [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
    (cd "$HERE" && ./mvnw -B -q -pl tftp-server -am package -DskipTests) >"$OUT/logs/build.log" 2>&1 \
      || { log "build failed, see $OUT/logs/build.log"; exit 1; }
    SERVER_JAR=$(ls "$HERE"/tftp-server/target/tftp-server-*-all.jar | head -n1)
    CLIENT_JAR=$(ls "$HERE"/tftp-client/target/tftp-client-*-all.jar | head -n1)
  fi
  JAVA=java
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] && { JAVA=$j/bin/java; break; }
  done
}

# wait_udp PORT [NETNS]: waits until something listens on UDP PORT.
wait_udp() {
  local port=$1 ns=${2:-} i
  for i in $(seq 1 100); do
    if ${ns:+ip netns exec "$ns"} ss -Huln "sport = :$port" | grep -q .; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_ours NAME PORT DIR [NETNS]: our server, read-write, on 127.0.0.1:PORT.
start_ours() {
  local name=$1 port=$2 dir=$3 ns=${4:-}
  ${ns:+ip netns exec "$ns"} "$JAVA" -jar "$SERVER_JAR" --bind 127.0.0.1 --port "$port" --root "$dir" \
    --allow-write --allow-create --timeout 1s --retries 10 >"$OUT/logs/$name.log" 2>&1 &
  PIDS+=($!)
  wait_udp "$port" "$ns" || { bad "$name start" "not listening on $port"; return 1; }
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
  local port=$((BASE_PORT + 1)) dir got f
  dir=$(fresh_dir ours)
  got=$OUT/got/ours && rm -rf "$got" && mkdir -p "$got"
  start_ours server-ours "$port" "$dir" || return
  for f in empty.bin exact512.bin one-mib.bin three-mb.bin; do
    # curl 7.88 fails any empty download, from tftpd-hpa too ("getpeername() failed"): skip that one.
    if [ "$f" != empty.bin ]; then
      run "curl-get-$f" curl -sS --tftp-blksize 1468 -o "$got/curl-$f" "tftp://127.0.0.1:$port/$f"
      check "our server <- curl get $f (blksize 1468)" "$SRC/$f" "$got/curl-$f"
    fi
    (cd "$got" && run "hpa-get-$f" tftp -m binary 127.0.0.1 "$port" -c get "$f" "hpa-$f")
    check "our server <- tftp-hpa get $f" "$SRC/$f" "$got/hpa-$f"
    run "atftp-get-$f" atftp --option "blksize 1468" --option "windowsize 16" -g -r "$f" -l "$got/atftp-$f" 127.0.0.1 "$port"
    check "our server <- atftp get $f (blksize 1468 windowsize 16)" "$SRC/$f" "$got/atftp-$f"
  done
  for f in exact512.bin three-mb.bin; do
    run "curl-put-$f" curl -sS --tftp-blksize 8192 -T "$SRC/$f" "tftp://127.0.0.1:$port/curl-up-$f"
    check "our server <- curl put $f (blksize 8192)" "$SRC/$f" "$dir/curl-up-$f"
    (cd "$SRC" && run "hpa-put-$f" tftp -m binary 127.0.0.1 "$port" -c put "$f" "hpa-up-$f")
    check "our server <- tftp-hpa put $f" "$SRC/$f" "$dir/hpa-up-$f"
    run "atftp-put-$f" atftp --option "blksize 1468" --option "windowsize 16" -p -l "$SRC/$f" -r "atftp-up-$f" 127.0.0.1 "$port"
    check "our server <- atftp put $f (blksize 1468 windowsize 16)" "$SRC/$f" "$dir/atftp-up-$f"
  done
}

# inetd/systemd style: the socket is bound by someone else and handed over as standard input;
# the request is sent at once, so it waits in the socket until the JVM has started.
inetd_mode() {
  local port=$((BASE_PORT + 5)) dir got f=one-mib.bin
  dir=$(fresh_dir inetd)
  got=$OUT/got/inetd && rm -rf "$got" && mkdir -p "$got"
  python3 -c '
import os, socket, sys
port, java, jar, root = sys.argv[1:5]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(port)))
os.dup2(s.fileno(), 0)
os.execv(java, [java, "-jar", jar, "--inetd", "--root", root])
' "$port" "$JAVA" "$SERVER_JAR" "$dir" >"$OUT/logs/server-inetd.log" 2>&1 </dev/null &
  PIDS+=($!)
  wait_udp "$port" || { bad "inetd start" "socket not bound"; return; }
  (cd "$got" && run inetd-hpa-get tftp -m binary 127.0.0.1 "$port" -c get "$f" "hpa-$f")
  check "our server --inetd (socket on stdin, first request waiting) <- tftp-hpa get $f" "$SRC/$f" "$got/hpa-$f"
  run inetd-atftp-get atftp --option "blksize 1468" -g -r "$f" -l "$got/atftp-$f" 127.0.0.1 "$port"
  check "our server --inetd <- atftp get $f (blksize 1468)" "$SRC/$f" "$got/atftp-$f"
}

client_vs_servers() {
  local hpa_port=$((BASE_PORT + 2)) at_port=$((BASE_PORT + 3)) hpa_dir at_dir got f
  hpa_dir=$(fresh_dir hpa)
  at_dir=$(fresh_dir atftpd)
  got=$OUT/got/client && rm -rf "$got" && mkdir -p "$got"
  /usr/sbin/in.tftpd -L -c -p -s "$hpa_dir" -a "127.0.0.1:$hpa_port" >"$OUT/logs/in.tftpd.log" 2>&1 &
  PIDS+=($!)
  "$ATFTPD" --daemon --no-fork --user root --group root --port "$at_port" --bind-address 127.0.0.1 \
    --logfile "$OUT/logs/atftpd.log" "$at_dir" >/dev/null 2>&1 &
  PIDS+=($!)
  wait_udp "$hpa_port" || bad "in.tftpd start" "not listening on $hpa_port"
  wait_udp "$at_port" || bad "atftpd start" "not listening on $at_port"
  for f in empty.bin exact512.bin one-mib.bin three-mb.bin; do
    run "client-hpa-get-$f" "$JAVA" -jar "$CLIENT_JAR" get -q "127.0.0.1:$hpa_port" "$f" "$got/hpa-$f"
    check "our client -> tftpd-hpa get $f" "$SRC/$f" "$got/hpa-$f"
    run "client-hpa-get-opt-$f" "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --tsize "127.0.0.1:$hpa_port" "$f" "$got/hpa-opt-$f"
    check "our client -> tftpd-hpa get $f (blksize 1468 tsize)" "$SRC/$f" "$got/hpa-opt-$f"
    run "client-atftpd-get-$f" "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --windowsize 16 "127.0.0.1:$at_port" "$f" "$got/at-$f"
    check "our client -> atftpd get $f (blksize 1468 windowsize 16)" "$SRC/$f" "$got/at-$f"
  done
  for f in exact512.bin three-mb.bin; do
    run "client-hpa-put-$f" "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 "127.0.0.1:$hpa_port" "up-$f" "$SRC/$f"
    check "our client -> tftpd-hpa put $f (blksize 1468)" "$SRC/$f" "$hpa_dir/up-$f"
    run "client-atftpd-put-$f" "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 --windowsize 16 "127.0.0.1:$at_port" "up-$f" "$SRC/$f"
    check "our client -> atftpd put $f (blksize 1468 windowsize 16)" "$SRC/$f" "$at_dir/up-$f"
  done
}

under_loss() {
  local port=$((BASE_PORT + 4)) dir got f=lossy.bin
  ip netns add "$NS" && ip -n "$NS" link set lo up || { bad "netns $NS" "cannot create"; return; }
  ip netns exec "$NS" nft -f - <<'EOF' || { bad "nftables loss rule" "nft failed"; return; }
table inet pk_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto udp numgen random mod 100 < 5 counter drop
  }
}
EOF
  dir=$(fresh_dir lossy)
  got=$OUT/got/lossy && rm -rf "$got" && mkdir -p "$got"
  start_ours server-lossy "$port" "$dir" "$NS" || return
  local in="ip netns exec $NS"
  run lossy-atftp-get $in atftp --tftp-timeout 1 --option "blksize 1468" --option "windowsize 16" \
    -g -r "$f" -l "$got/atftp-$f" 127.0.0.1 "$port"
  check "5% loss: atftp get from our server" "$SRC/$f" "$got/atftp-$f"
  run lossy-atftp-put $in atftp --tftp-timeout 1 --option "blksize 1468" -p -l "$SRC/$f" -r "atftp-up-$f" 127.0.0.1 "$port"
  check "5% loss: atftp put to our server" "$SRC/$f" "$dir/atftp-up-$f"
  run lossy-client-get $in "$JAVA" -jar "$CLIENT_JAR" get -q --blksize 1468 --windowsize 16 \
    "127.0.0.1:$port" "$f" "$got/ours-$f"
  check "5% loss: our client get from our server" "$SRC/$f" "$got/ours-$f"
  run lossy-client-put $in "$JAVA" -jar "$CLIENT_JAR" put -q --blksize 1468 --windowsize 16 \
    "127.0.0.1:$port" "client-up-$f" "$SRC/$f"
  check "5% loss: our client put to our server" "$SRC/$f" "$dir/client-up-$f"
  local drops
  drops=$(ip netns exec "$NS" nft list ruleset 2>/dev/null | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
  if [ "${drops:-0}" -gt 0 ]; then ok "5% loss: the namespace dropped $drops packets"; else bad "5% loss: no packet was dropped"; fi
}

main() {
  if [ "$(id -u)" != 0 ]; then log "interop/tftp.sh needs root (apt-get, ip netns)"; exit 1; fi
  mkdir -p "$OUT/logs"
  install_tools
  build
  make_files
  ours_vs_tools
  inetd_mode
  client_vs_servers
  under_loss
  printf '%d passed, %d failed (%ss)\n' "$PASSED" "$FAILED" "$(($(date +%s) - T0))"
  [ "$FAILED" -eq 0 ]
}

main "$@"
