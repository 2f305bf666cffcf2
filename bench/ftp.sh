#!/usr/bin/env bash
# Benchmark: protokit's FTP server against vsftpd and pyftpdlib, same client, same run, loopback.
#
#   bench/ftp.sh [SIZE_MIB]      (as root on Debian 12; not run in CI; default SIZE_MIB=1024)
#   OURS_ARGS="--no-upload-fsync" bench/ftp.sh   (extra flags for our server, e.g. to price the fsync)
#   PARTS="throughput small_files" bench/ftp.sh  (only these rows, to repeat noisy ones; default: all)
#
# Rows (best of $ROUNDS runs each):
#   RETR / STOR of a SIZE_MIB file with curl, MiB/s of the transfer itself (from curl's pretransfer
#     time, after login, to the 226): ours, vsftpd, pyftpdlib; and the median time to that point
#     (connect + login: ours Argon2id, vsftpd PAM, pyftpdlib anonymous)
#   the same over explicit TLS (AUTH TLS, PROT P) with curl --ssl-reqd: ours, vsftpd
#   300 clients connecting and logging in at once (anonymous; a Python thread per client), seconds
#     until all are logged in: ours, pyftpdlib (and ours with Argon2id users-file logins, for scale)
#   resident memory (VmRSS) of the server process, idle and with 300 idle logged-in sessions
#   FTPS small files: 1,000 files of 4 KiB stored then retrieved over one explicit-TLS session
#     (Python ftplib, a TLS data connection per file), seconds: ours, vsftpd
#   SIGTERM while 8 clients stall downloads and 2 flood the control connection without reading:
#     seconds from the signal until our server has exited (bounded by --shutdown-grace 2s)
# Targets: >= 1.0x vsftpd on every throughput row, 300 logins faster than pyftpdlib, < 20 MiB extra
# RSS for 300 idle sessions. Prints a table and writes it to bench/out/ftp.txt (+ ftp.csv); the
# last line is "N passed, N failed" (a row ours could not complete is a failure).
set -uo pipefail
# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init ftp bench
HERE=$PK_ROOT
TABLES=$PK_ROOT/bench/out
WORK=$OUT/work
LOGS=$OUT/logs
SIZE_MIB=${1:-1024}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-300}
PY=/usr/bin/python3
PW=bench-secret
VS_USER=pkbench
ROWS=()
pk_undo "rm -rf '$WORK'"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

setup() {
  pk_need_root "starts vsftpd with a throwaway user"
  pk_apt curl vsftpd python3-pyftpdlib python3-openssl openssl
  pk_pause_service vsftpd
  pk_jar ftp-lite
  # The launcher's ahead-of-time cache for this jar (bin/_launch), trained now rather than in the
  # background while rows run; PROTOKIT_AOT=off bench/ftp.sh measures without it.
  if [ "${PROTOKIT_AOT:-}" != off ]; then
    pk_log "training the launcher's AOT cache for this jar (once)"
    PROTOKIT_AOT=foreground "$HERE/bin/ftp-lite-server" --version >/dev/null
  fi
  rm -rf "$WORK" && mkdir -p "$WORK"/{ours,vsftpd,py}
  pk_log "making a $SIZE_MIB MiB file"
  head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$WORK/big.bin"
  for d in ours vsftpd py; do ln "$WORK/big.bin" "$WORK/$d/big.bin"; done
  write_small_client
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
  write_load_client
}

start_servers() {
  printf '%s\n' "$PW" | "$HERE/bin/ftp-lite-server" user add alice --users "$WORK/users" --home . --write --password-stdin >/dev/null
  # alice's home is the root, so anonymous users get a home of their own (a shared one is refused).
  mkdir -p "$WORK/anon"
  # shellcheck disable=SC2086 # OURS_ARGS is a list of flags
  PK_LISTENER=ftp-lite pk_daemon ours OURS "$HERE/bin/ftp-lite-server" --bind 127.0.0.1 --port 0 --root "$WORK/ours" \
    --users "$WORK/users" --anonymous --anonymous-root "$WORK/anon" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" \
    --state-dir "$WORK/state"     --max-connections 2000 --max-per-address 2000 ${OURS_ARGS:-} || { pk_summary; exit 1; }
  OURS_PID=$PK_PID
  pk_add_user "$VS_USER" "$WORK/vsftpd" "$PW" && chown -R "$VS_USER" "$WORK/vsftpd"
  read -r VSFTPD PYFTPD <<<"$(pk_free_port tcp 2)"
  mkdir -p /var/run/vsftpd/empty
  cat >"$WORK/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$VSFTPD
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
chroot_local_user=YES
allow_writeable_chroot=YES
pam_service_name=vsftpd
userlist_enable=NO
seccomp_sandbox=NO
max_clients=2000
max_per_ip=2000
xferlog_enable=NO
ssl_enable=YES
require_ssl_reuse=NO
force_local_logins_ssl=NO
force_local_data_ssl=NO
rsa_cert_file=$WORK/cert.pem
rsa_private_key_file=$WORK/key.pem
EOF
  pk_spawn vsftpd /usr/sbin/vsftpd "$WORK/vsftpd.conf"
  pk_spawn pyftpdlib "$PY" -c "
import logging, sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
a = DummyAuthorizer(); a.add_anonymous(sys.argv[2], perm='elradfmw')
FTPHandler.authorizer = a
logging.basicConfig(level=logging.WARNING)
s = FTPServer(('127.0.0.1', int(sys.argv[1])), FTPHandler); s.max_cons = 2000; s.serve_forever()
" "$PYFTPD" "$WORK/py"
  PY_PID=$PK_PID
  for p in "$VSFTPD" "$PYFTPD"; do pk_wait_tcp "$p" || { pk_fail "server on $p starts" "see $OUT/logs"; pk_summary; exit 1; }; done
}

# best VAR COMMAND...: runs the curl command ROUNDS times; VAR = best transfer rate in MiB/s ("-" if
# all failed). The rate is the file's size over curl's time from "about to transfer" (after connect,
# greeting and login) to the end (226 received): what the row measures is the transfer, not the
# password hash (ours checks Argon2id, vsftpd PAM's SHA-512 crypt, pyftpdlib logs in anonymously),
# which the "login before the transfer" row shows on its own. LOGIN_MS = median of those set-up times.
best() {
  local var=$1 i r top=0 pre=(); shift
  for i in $(seq 1 "$ROUNDS"); do
    r=$("$@" 2>>"$LOGS/curl.log") || continue
    pre+=("${r#* }")
    r=$(awk -v s="${r%% *}" -v t="${r#* }" 'BEGIN { split(t, a, " "); if (a[2] > a[1]) printf "%.0f", s / (a[2] - a[1]); else print 0 }')
    top=$(awk -v a="$top" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
  done
  printf -v "$var" '%s' "$(awk -v b="$top" 'BEGIN { if (b == 0) print "-"; else printf "%.0f", b / 1048576 }')"
  LOGIN_MS=$(printf '%s\n' "${pre[@]}" | awk 'NF { print $1 * 1000 }' | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.0f", v[int((NR + 1) / 2)]; else print "-" }')
}

# curl -w: bytes, seconds until the transfer starts, seconds in all.
retr() { curl -sS "${@:2}" -o /dev/null -w '%{size_download} %{time_pretransfer} %{time_total}' "$1/big.bin"; }
stor() { curl -sS "${@:2}" -T "$WORK/big.bin" -w '%{size_upload} %{time_pretransfer} %{time_total}' "$1/up.bin"; }

throughput() {
  local o v p tls=(--ssl-reqd -k)
  local ou="ftp://alice:$PW@127.0.0.1:$OURS" vu="ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD" pu="ftp://127.0.0.1:$PYFTPD"
  pk_log "RETR/STOR ${SIZE_MIB} MiB, best of $ROUNDS"
  local lo lv lp
  best o retr "$ou"; lo=$LOGIN_MS; best v retr "$vu"; lv=$LOGIN_MS; best p retr "$pu"; lp=$LOGIN_MS
  ROWS+=("RETR ${SIZE_MIB} MiB (MiB/s)|$o|$v|$p")
  ROWS+=("login before the transfer (ms)|$lo|$lv|$lp anon")   # pyftpdlib: anonymous, not compared
  best o stor "$ou"; best v stor "$vu"; best p stor "$pu"; ROWS+=("STOR ${SIZE_MIB} MiB (MiB/s)|$o|$v|$p")
  rm -f "$WORK"/{ours,vsftpd,py}/up.bin
  best o retr "$ou" "${tls[@]}"; best v retr "$vu" "${tls[@]}"; ROWS+=("FTPS RETR ${SIZE_MIB} MiB (MiB/s)|$o|$v|n/a")
  best o stor "$ou" "${tls[@]}"; best v stor "$vu" "${tls[@]}"; ROWS+=("FTPS STOR ${SIZE_MIB} MiB (MiB/s)|$o|$v|n/a")
  rm -f "$WORK"/{ours,vsftpd,py}/up.bin
}

write_small_client() {
  cat >"$WORK/small.py" <<'EOF'
# small.py PORT USER PASSWORD N: explicit FTPS (AUTH TLS, PROT P), N files of 4 KiB stored, then
# retrieved, each over its own TLS data connection; prints "STOR_SECONDS RETR_SECONDS".
import ftplib, io, os, ssl, sys, time
port, user, pw, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
f = ftplib.FTP_TLS(context=ctx); f.connect("127.0.0.1", port, timeout=60); f.login(user, pw); f.prot_p()
try: f.mkd("small")
except ftplib.error_perm: pass
f.cwd("small"); data = os.urandom(4096)
t0 = time.monotonic()
for i in range(n): f.storbinary("STOR f%d" % i, io.BytesIO(data))
t1 = time.monotonic()
for i in range(n):
    got = bytearray(); f.retrbinary("RETR f%d" % i, got.extend); assert got == data
t2 = time.monotonic()
for i in range(n): f.delete("f%d" % i)
f.quit(); print("%.2f %.2f" % (t1 - t0, t2 - t1))
EOF
}

small_files() {
  local o v
  pk_log "FTPS 1000 x 4 KiB"
  o=$("$PY" "$WORK/small.py" "$OURS" alice "$PW" 1000 2>>"$LOGS/small.log") || o="- -"
  v=$("$PY" "$WORK/small.py" "$VSFTPD" "$VS_USER" "$PW" 1000 2>>"$LOGS/small.log") || v="- -"
  ROWS+=("FTPS STOR 1000 x 4 KiB (s)|${o% *}|${v% *}|n/a")
  ROWS+=("FTPS RETR 1000 x 4 KiB (s)|${o#* }|${v#* }|n/a")
}

# A second server of ours, SIGTERMed while clients stall: the time until it has exited.
sigterm_with_slow_readers() {
  local port pid t0 t1 stallers
  pk_log "SIGTERM with 10 stalled clients"
  mkdir -p "$WORK/term" && ln -f "$WORK/big.bin" "$WORK/term/big.bin"
  PK_LISTENER=ftp-lite pk_daemon term port "$HERE/bin/ftp-lite-server" --bind 127.0.0.1 --port 0 --root "$WORK/term" \
    --anonymous --state-dir "$WORK/state-term" --shutdown-grace 2s \
    || { ROWS+=("SIGTERM, 10 stalled clients (s)|-|n/a|n/a"); return; }
  pid=$PK_PID
  "$PY" - "$port" <<'EOF' &
import socket, sys, time, re
port = int(sys.argv[1]); keep = []
def reply(f):
    line = f.readline()
    while len(line) > 3 and line[3:4] == b"-": line = f.readline()
    return line
for i in range(8):   # downloads nobody reads
    s = socket.create_connection(("127.0.0.1", port)); f = s.makefile("rb"); reply(f)
    for c in (b"USER anonymous", b"PASS x", b"TYPE I"): s.sendall(c + b"\r\n"); reply(f)
    s.sendall(b"PASV\r\n"); m = re.search(rb"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", reply(f))
    d = socket.socket(); d.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    d.connect(("127.0.0.1", int(m.group(5)) * 256 + int(m.group(6)))); s.sendall(b"RETR big.bin\r\n"); reply(f)
    keep += [s, d]
for i in range(2):   # control connections flooded with HELP, replies never read
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096); s.connect(("127.0.0.1", port))
    s.setblocking(False)
    try:
        for k in range(200): s.send(b"HELP\r\n" * 10000)
    except BlockingIOError: pass
    keep.append(s)
print("stalled", flush=True); time.sleep(120)
EOF
  stallers=$!
  sleep 3
  t0=$(date +%s.%N); kill -TERM "$pid"; wait "$pid" 2>/dev/null; t1=$(date +%s.%N)
  kill "$stallers" 2>/dev/null; wait "$stallers" 2>/dev/null
  ROWS+=("SIGTERM, 10 stalled clients (s)|$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')|n/a|n/a")
}

write_load_client() {
  cat >"$WORK/load.py" <<'EOF'
# load.py PORT N USER PASSWORD: N clients connect and log in at once (a barrier releases them
# together); prints "READY seconds failures" when all are in, holds the sessions idle until a line
# arrives on stdin, then QUITs them all.
import socket, sys, threading, time
port, n, user, pw = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
go, done, socks, fails = threading.Barrier(n + 1), [], [None] * n, []
def reply(f):
    line = f.readline()
    while len(line) > 3 and line[3:4] == b"-":   # multi-line reply
        line = f.readline()
    return line
def client(i):
    go.wait()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=120); f = s.makefile("rb")
        assert reply(f).startswith(b"220")
        s.sendall(b"USER %s\r\n" % user.encode()); r = reply(f)
        if r.startswith(b"331"):
            s.sendall(b"PASS %s\r\n" % pw.encode()); r = reply(f)
        assert r.startswith(b"230"), r
        socks[i] = (s, f)
    except Exception as e:
        fails.append(repr(e))
threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in threads: t.start()
go.wait(); t0 = time.monotonic()
for t in threads: t.join()
print("READY %.3f %d" % (time.monotonic() - t0, len(fails)), flush=True)
sys.stdin.readline()
for c in socks:
    if c:
        try: c[0].sendall(b"QUIT\r\n"); c[0].close()
        except OSError: pass
EOF
}

# logins NAME PORT PID USER PASSWORD: sets LOGIN_S and EXTRA_RSS_MIB for CLIENTS concurrent logins.
logins() {
  local name=$1 port=$2 pid=$3 user=$4 pw=$5 before after line
  before=$(rss_kib "$pid")
  coproc LOAD { "$PY" "$WORK/load.py" "$port" "$CLIENTS" "$user" "$pw"; }
  read -r line <&"${LOAD[0]}"
  sleep 1   # let the sessions settle before reading RSS; they are idle from here on
  after=$(rss_kib "$pid")
  echo >&"${LOAD[1]}"; wait "$LOAD_PID" 2>/dev/null
  set -- $line
  LOGIN_S=$2
  [ "${3:-1}" = 0 ] || LOGIN_S="$2 ($3 failed)"
  EXTRA_RSS_MIB=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.1f", (b - a) / 1024 }')
  BEFORE_RSS_MIB=$(awk -v a="$before" 'BEGIN { printf "%.1f", a / 1024 }')
  pk_log "$name: $CLIENTS logins in $LOGIN_S s; RSS $BEFORE_RSS_MIB MiB + $EXTRA_RSS_MIB MiB"
}

sessions() {
  local po pr oi pi
  "$PY" "$WORK/load.py" "$OURS" 20 anonymous x </dev/null >/dev/null   # warm up the JIT and thread pools
  logins ours "$OURS" "$OURS_PID" anonymous x; po=$LOGIN_S; oi="$BEFORE_RSS_MIB|+$EXTRA_RSS_MIB"
  logins pyftpdlib "$PYFTPD" "$PY_PID" anonymous x; pr=$LOGIN_S; pi="$BEFORE_RSS_MIB|+$EXTRA_RSS_MIB"
  ROWS+=("$CLIENTS anonymous logins at once (s)|$po|n/a|$pr")
  ROWS+=("RSS idle (MiB)|${oi%%|*}|n/a|${pi%%|*}")
  ROWS+=("RSS extra, $CLIENTS idle sessions (MiB)|${oi##*|}|n/a|${pi##*|}")
  logins ours-argon2 "$OURS" "$OURS_PID" alice "$PW"
  ROWS+=("$CLIENTS Argon2id user logins at once (s)|$LOGIN_S|n/a|n/a")
}

report() {
  local row name o v p ratio
  {
    printf '# bench/ftp.sh %s MiB, best of %s, %s clients, %s, %s cores\n' "$SIZE_MIB" "$ROUNDS" "$CLIENTS" "$(date -u +%FT%TZ)" "$(nproc)"
    printf '%-40s %10s %10s %10s %14s\n' case ours vsftpd pyftpdlib "ours/other"
    for row in "${ROWS[@]}"; do
      IFS='|' read -r name o v p <<<"$row"
      ratio=$(awk -v o="$o" -v v="$v" -v p="$p" -v n="$name" 'BEGIN {
        # the best peer: the higher rate, or the shorter time
        o += 0; time = (n ~ /\((s|ms)\)/); vn = (v ~ /^[0-9.]+$/); pn = (p ~ /^[0-9.]+$/)
        if (vn && pn) { usev = time ? (v + 0 <= p + 0) : (v + 0 >= p + 0) } else { usev = vn }
        other = usev ? v + 0 : p + 0; who = usev ? "vsftpd" : "pyftpdlib"
        if (o == 0 || other == 0 || n ~ /RSS|Argon2|SIGTERM/) { print "-"; exit }
        r = time ? other / o : o / other
        printf "%.2fx %s", r, who }')
      printf '%-40s %10s %10s %10s %14s\n' "$name" "$o" "$v" "$p" "$ratio"
    done
    printf '(ratios against the best peer: higher is better for ours; for times it is other/ours)\n'
  } | tee "$TABLES/ftp.txt"
  printf '%s\n' "${ROWS[@]}" | sed 's/|/,/g' >"$TABLES/ftp.csv"
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name o _ <<<"$row"
    if [ "$o" = "-" ] || [ -z "$o" ]; then pk_fail "$name" "ours not measured"; else pk_ok "$name measured"; fi
  done
}

main() {
  setup
  start_servers
  local part
  for part in ${PARTS:-sessions throughput small_files sigterm_with_slow_readers}; do
    case $part in
      sessions|throughput|small_files|sigterm_with_slow_readers) "$part" ;;  # sessions first: "RSS idle" is a fresh server's
      *) pk_fail "PARTS=$part" "unknown part (sessions throughput small_files sigterm_with_slow_readers)" ;;
    esac
  done
  report
  pk_summary
}

main "$@"
