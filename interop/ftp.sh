#!/usr/bin/env bash
# Interop: protokit's FTP server and client against Debian's standard FTP tools.
#
#   interop/ftp.sh            (as root on Debian 12; CI runs it)
#
# Installs what it needs (idempotent): curl, lftp, tnftp, vsftpd, python3-pyftpdlib,
# python3-openssl, python3-argon2, openssl. Our server (ftp-lite-server, users file made with
# `ftp-lite-server user add --password-stdin`) is driven by curl, lftp, Python's ftplib and tnftp,
# in plain FTP, explicit TLS (PROT P) and implicit TLS; our client (ftp-lite) runs against vsftpd
# (own config, throwaway local user, high port; the packaged service is stopped) and pyftpdlib.
# Argon2id hashes are checked both ways between Java and argon2-cffi, and a few hostile commands
# (PORT bounce, path escapes) must be refused with 5xx. Every transferred file is compared by
# SHA-256. One PASS/FAIL line per case; exit status non-zero if any case failed. Loopback only.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=${INTEROP_OUT:-$HERE/interop/out/ftp}
BASE=$((30000 + ($$ % 20000)))
OURS=$BASE OURS_TLS=$((BASE + 1)) VSFTPD=$((BASE + 2)) PYFTPD=$((BASE + 3))
VS_USER=pkftp
PIDS=()
PASSED=0
FAILED=0
T0=$(date +%s)
PY=/usr/bin/python3
PW=interop-secret

log() { printf '%s\n' "$*" >&2; }
ok() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$1"; }
bad() { FAILED=$((FAILED + 1)); printf 'FAIL %s%s\n' "$1" "${2:+ ($2)}"; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  id "$VS_USER" >/dev/null 2>&1 && userdel "$VS_USER" >/dev/null 2>&1
  [ -n "${VS_TMP:-}" ] && rm -rf "$VS_TMP"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sha() { sha256sum <"$1" | cut -d' ' -f1; }

# check NAME EXPECTED ACTUAL: PASS when both files exist with the same SHA-256.
check() {
  local name=$1 want=$2 got=$3
  if [ ! -f "$got" ]; then bad "$name" "no file $got"; return; fi
  if [ "$(sha "$want")" = "$(sha "$got")" ]; then ok "$name"; else bad "$name" "sha256 differs: $got"; fi
}

# check_tree NAME EXPECTED-DIR ACTUAL-DIR: same relative paths with the same SHA-256s.
check_tree() {
  local name=$1 a b
  a=$(cd "$2" 2>/dev/null && find . -type f -exec sha256sum {} + | sort -k2)
  b=$(cd "$3" 2>/dev/null && find . -type f -exec sha256sum {} + | sort -k2)
  if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "$name"; else bad "$name" "trees differ: $2 vs $3"; fi
}

# run NAME COMMAND...: runs with a time limit, output to logs/NAME.log; returns its status.
run() {
  local name=$1; shift
  timeout 60 "$@" >"$OUT/logs/$name.log" 2>&1
}

# expect NAME COMMAND...: PASS if the command succeeds.
expect() {
  local name=$1 slug; shift
  slug=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-')
  if run "$slug" "$@"; then ok "$name"; else bad "$name" "exit $?, see logs/$slug.log"; fi
}

wait_tcp() { # wait_tcp PORT
  local i
  for i in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

install_tools() {
  local need=() p
  for p in curl lftp tnftp vsftpd python3-pyftpdlib python3-openssl python3-argon2 openssl; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || { log "apt-get install failed"; exit 1; }
  fi
  # apt starts vsftpd on port 21; we run our own instance on a high port instead.
  if command -v systemctl >/dev/null && systemctl is-active --quiet vsftpd 2>/dev/null; then
    systemctl disable --now vsftpd >/dev/null 2>&1
  fi
  service vsftpd stop >/dev/null 2>&1 || true
}

build() {
  if ! ls "$HERE"/ftp-lite/target/ftp-lite-*-all.jar >/dev/null 2>&1 && [ -z "${PROTOKIT_HOME:-}" ]; then
    log "building ftp-lite"
    [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
    (cd "$HERE" && ./mvnw -B -q -pl ftp-lite -am package -DskipTests) >"$OUT/logs/build.log" 2>&1 \
      || { log "build failed, see $OUT/logs/build.log"; exit 1; }
  fi
  CLIENT=("$HERE/bin/ftp-lite")
  SERVER=("$HERE/bin/ftp-lite-server")
}

make_files() {
  SRC=$OUT/files
  mkdir -p "$SRC/tree/sub dir/deeper" "$SRC/tree/empty"
  head -c 5000001 /dev/urandom >"$SRC/five-mb.bin"
  printf 'line one\r\nline two\n' >"$SRC/small.txt"
  head -c 70000 /dev/urandom >"$SRC/tree/a.bin"
  head -c 1 /dev/urandom >"$SRC/tree/sub dir/one-byte"
  head -c 300000 /dev/urandom >"$SRC/tree/sub dir/deeper/b.bin"
  : >"$SRC/tree/sub dir/empty-file"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$OUT/key.pem" -out "$OUT/cert.pem" >/dev/null 2>&1
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -keyout "$OUT/vs-key.pem" -out "$OUT/vs-cert.pem" >/dev/null 2>&1
}

# Our server: alice (rw, made by `user add`, home = the root) and anonymous (read-only) with a home
# of its own: a user's home inside the anonymous home is refused at start-up.
start_ours() {
  ROOT=$OUT/ours && mkdir -p "$ROOT" && cp -r "$SRC"/* "$ROOT"/
  mkdir -p "$OUT/anon" && cp "$SRC/small.txt" "$OUT/anon/"
  USERS=$OUT/users
  printf '%s\n' "$PW" | run user-add "${SERVER[@]}" user add alice --users "$USERS" --home . --write --password-stdin \
    && ok "ftp-lite-server user add --password-stdin" || bad "ftp-lite-server user add" "see logs/user-add.log"
  "${SERVER[@]}" --bind 127.0.0.1 --port "$OURS" --implicit-port "$OURS_TLS" --root "$ROOT" --users "$USERS" \
    --anonymous --anonymous-root "$OUT/anon" --tls-cert "$OUT/cert.pem" --tls-key "$OUT/key.pem" --state-dir "$OUT/state" \
    >"$OUT/logs/ours-server.log" 2>&1 &
  PIDS+=($!)
  wait_tcp "$OURS" || { bad "our server start" "not listening, see logs/ours-server.log"; exit 1; }
  U="ftp://alice:$PW@127.0.0.1:$OURS"
}

argon2_both_ways() {
  local hash
  hash=$(grep '^alice:' "$USERS" | cut -d: -f2)
  if "$PY" -c 'import sys, argon2; argon2.PasswordHasher().verify(sys.argv[1], sys.argv[2])' "$hash" "$PW" 2>"$OUT/logs/argon2-py.log"
  then ok "argon2id: Java hash verifies in argon2-cffi"; else bad "argon2id: Java hash verifies in argon2-cffi"; fi
  hash=$("$PY" -c 'import argon2; print(argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash("bob-pw"))')
  printf 'bob:%s:.:ro\n' "$hash" >>"$USERS"   # the server re-reads the file on change
  expect "argon2id: argon2-cffi hash logs in to our server (curl)" curl -sS -o /dev/null "ftp://bob:bob-pw@127.0.0.1:$OURS/small.txt"
}

tools_vs_ours() {
  local got=$OUT/got/ours && mkdir -p "$got"
  run curl-list curl -sS "$U/" && grep -q five-mb.bin "$OUT/logs/curl-list.log" && ok "our server <- curl list" || bad "our server <- curl list"
  run curl-get curl -sS -o "$got/curl.bin" "$U/five-mb.bin"; check "our server <- curl get" "$SRC/five-mb.bin" "$got/curl.bin"
  run curl-put curl -sS --ftp-create-dirs -T "$SRC/five-mb.bin" "$U/up/curl.bin"; check "our server <- curl put -T" "$SRC/five-mb.bin" "$ROOT/up/curl.bin"
  head -c 1000000 "$SRC/five-mb.bin" >"$got/curl-resume.bin"
  run curl-resume-get curl -sS -C - -o "$got/curl-resume.bin" "$U/five-mb.bin"; check "our server <- curl get -C - (REST)" "$SRC/five-mb.bin" "$got/curl-resume.bin"
  head -c 1234567 "$SRC/five-mb.bin" >"$ROOT/up/curl-resume.bin"
  run curl-resume-put curl -sS -C - -T "$SRC/five-mb.bin" "$U/up/curl-resume.bin"; check "our server <- curl put -C - (APPE)" "$SRC/five-mb.bin" "$ROOT/up/curl-resume.bin"
  run curl-tls-get curl -sS --ssl-reqd -k -o "$got/curl-tls.bin" "$U/five-mb.bin"; check "our server <- curl --ssl-reqd get" "$SRC/five-mb.bin" "$got/curl-tls.bin"
  run curl-tls-put curl -sS --ssl-reqd --cacert "$OUT/cert.pem" -T "$SRC/small.txt" "$U/up/curl-tls.txt"; check "our server <- curl --ssl-reqd put (CA verified)" "$SRC/small.txt" "$ROOT/up/curl-tls.txt"
  run curl-implicit curl -sS -k -o "$got/curl-implicit.bin" "ftps://alice:$PW@127.0.0.1:$OURS_TLS/five-mb.bin"; check "our server <- curl ftps:// (implicit TLS)" "$SRC/five-mb.bin" "$got/curl-implicit.bin"

  local L="set net:max-retries 1; set net:timeout 20; set ftp:ssl-allow no"
  run lftp-mirror lftp -u "alice,$PW" -e "$L; mirror --no-perms tree $got/lftp-tree; quit" "ftp://127.0.0.1:$OURS"; check_tree "our server <- lftp mirror" "$SRC/tree" "$got/lftp-tree"
  run lftp-reverse lftp -u "alice,$PW" -e "$L; mirror -R --no-perms $SRC/tree lftp-up; quit" "ftp://127.0.0.1:$OURS"; check_tree "our server <- lftp mirror -R" "$SRC/tree" "$ROOT/lftp-up"
  local T="set net:max-retries 1; set net:timeout 20; set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no"
  run lftp-tls lftp -u "alice,$PW" -e "$T; mirror --no-perms tree $got/lftp-tls; mirror -R --no-perms $SRC/tree lftp-tls-up; quit" "ftp://127.0.0.1:$OURS"
  check_tree "our server <- lftp TLS mirror" "$SRC/tree" "$got/lftp-tls"; check_tree "our server <- lftp TLS mirror -R" "$SRC/tree" "$ROOT/lftp-tls-up"

  for mode in plain tls; do
    run "ftplib-$mode" "$PY" - "$OURS" "$PW" "$SRC/five-mb.bin" "$got/ftplib-$mode.bin" "$mode" <<'EOF'
import ftplib, sys
port, pw, src, dst, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
ftp = ftplib.FTP_TLS() if mode == "tls" else ftplib.FTP()
ftp.connect("127.0.0.1", port, timeout=30)
if mode == "tls":
    import ssl
    ftp.context = ssl._create_unverified_context()
    ftp.auth(); ftp.login("alice", pw); ftp.prot_p()
else:
    ftp.login("alice", pw)
with open(dst, "wb") as f: ftp.retrbinary("RETR five-mb.bin", f.write)
with open(src, "rb") as f: ftp.storbinary("STOR up/ftplib-" + mode + ".bin", f)
ftp.quit()
EOF
    check "our server <- python ftplib $mode get" "$SRC/five-mb.bin" "$got/ftplib-$mode.bin"
    check "our server <- python ftplib $mode put" "$SRC/five-mb.bin" "$ROOT/up/ftplib-$mode.bin"
  done

  (cd "$got" && run tnftp tnftp -n 127.0.0.1 "$OURS" <<EOF
user alice $PW
binary
get five-mb.bin tnftp.bin
put $SRC/small.txt up/tnftp.txt
quit
EOF
  )
  check "our server <- tnftp get" "$SRC/five-mb.bin" "$got/tnftp.bin"; check "our server <- tnftp put" "$SRC/small.txt" "$ROOT/up/tnftp.txt"
}

hostile_vs_ours() {
  run hostile "$PY" - "$OURS" "$PW" <<'EOF'
import ftplib, sys
ftp = ftplib.FTP(); ftp.connect("127.0.0.1", int(sys.argv[1]), timeout=30); ftp.login("alice", sys.argv[2])
def refused(what, fn):
    try:
        fn()
    except ftplib.error_perm as e:
        print("refused", what, e); return
    print("ACCEPTED", what); sys.exit(1)
refused("PORT bounce to a third host", lambda: ftp.sendcmd("PORT 10,9,8,7,0,21"))
refused("EPRT bounce to a third host", lambda: ftp.sendcmd("EPRT |1|10.9.8.7|21|"))
refused("PORT to a privileged port", lambda: ftp.sendcmd("PORT 127,0,0,1,0,22"))
refused("RETR above the root", lambda: ftp.retrbinary("RETR ../../../../etc/passwd", print))
refused("RETR absolute outside", lambda: ftp.retrbinary("RETR /../../etc/shadow", print))
for _ in range(2):
    try:
        ftp.cwd("..")   # vsftpd answers 250 and stays at /, ours 550: either way we must stay at /
    except ftplib.error_perm:
        pass
assert ftp.pwd() == "/", ftp.pwd()
ftp.quit()
anon = ftplib.FTP(); anon.connect("127.0.0.1", int(sys.argv[1]), timeout=30); anon.login()
refused("anonymous STOR on a read-only server", lambda: anon.storbinary("STOR x.bin", open("/dev/null", "rb")))
refused("anonymous DELE", lambda: anon.sendcmd("DELE small.txt"))
try:
    bad = ftplib.FTP(); bad.connect("127.0.0.1", int(sys.argv[1]), timeout=30); bad.login("alice", "wrong")
    print("ACCEPTED wrong password"); sys.exit(1)
except ftplib.error_perm as e:
    print("refused wrong password", e)
EOF
  if [ $? -eq 0 ]; then ok "our server refuses PORT/EPRT bounce, path escapes, anonymous writes, bad passwords"
  else bad "hostile commands against our server" "see logs/hostile.log"; fi
}

start_vsftpd() {
  # vsftpd's throwaway user must be able to enter its home, so it lives outside the checkout:
  # a clone under a private directory (mktemp -d is mode 0700) would lock that user out.
  local home
  home=$(mktemp -d /var/tmp/protokit-vsftpd.XXXXXX) && chmod 0755 "$home"
  VS_TMP=$home
  id "$VS_USER" >/dev/null 2>&1 && userdel "$VS_USER" >/dev/null 2>&1
  useradd -M -d "$home" -s /bin/sh "$VS_USER" && echo "$VS_USER:$PW" | chpasswd
  mkdir -p "$home" /var/run/vsftpd/empty && cp -r "$SRC"/* "$home"/ && chown -R "$VS_USER" "$home"
  cat >"$OUT/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$VSFTPD
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chroot_local_user=YES
allow_writeable_chroot=YES
pam_service_name=vsftpd
userlist_enable=NO
seccomp_sandbox=NO
secure_chroot_dir=/var/run/vsftpd/empty
pasv_min_port=$((BASE + 10))
pasv_max_port=$((BASE + 60))
ssl_enable=YES
force_local_logins_ssl=NO
force_local_data_ssl=NO
require_ssl_reuse=YES
rsa_cert_file=$OUT/vs-cert.pem
rsa_private_key_file=$OUT/vs-key.pem
EOF
  /usr/sbin/vsftpd "$OUT/vsftpd.conf" >"$OUT/logs/vsftpd.log" 2>&1 &
  PIDS+=($!)
  wait_tcp "$VSFTPD" || { bad "vsftpd start" "see logs/vsftpd.log"; return 1; }
  VS_HOME=$home
}

# client_vs NAME URL SERVER-DIR [FLAGS...]: our client's subcommands against another server.
client_vs() {
  local name=$1 url=$2 dir=$3; shift 3
  local got=$OUT/got/client-$name && mkdir -p "$got"
  run "$name-ls" "${CLIENT[@]}" ls -q "$@" "$url/" && grep -q five-mb.bin "$OUT/logs/$name-ls.log" \
    && ok "ftp-lite ls -> $name" || bad "ftp-lite ls -> $name"
  run "$name-get" "${CLIENT[@]}" get -q "$@" "$url/five-mb.bin" "$got/get.bin"; check "ftp-lite get -> $name" "$SRC/five-mb.bin" "$got/get.bin"
  run "$name-put" "${CLIENT[@]}" put -q "$@" "$SRC/five-mb.bin" "$url/put.bin"; check "ftp-lite put -> $name" "$SRC/five-mb.bin" "$dir/put.bin"
  head -c 2000000 "$SRC/five-mb.bin" >"$got/resume.bin"
  run "$name-get-c" "${CLIENT[@]}" get -c -q "$@" "$url/five-mb.bin" "$got/resume.bin"; check "ftp-lite get -c -> $name" "$SRC/five-mb.bin" "$got/resume.bin"
  head -c 3000000 "$SRC/five-mb.bin" >"$dir/resume.bin" && chown --reference="$dir" "$dir/resume.bin"
  run "$name-put-c" "${CLIENT[@]}" put -c -q "$@" "$SRC/five-mb.bin" "$url/resume.bin"; check "ftp-lite put -c -> $name" "$SRC/five-mb.bin" "$dir/resume.bin"
  run "$name-mirror" "${CLIENT[@]}" mirror -q "$@" "$url/tree" "$got/tree"; check_tree "ftp-lite mirror -> $name" "$SRC/tree" "$got/tree"
  run "$name-mirror-R" "${CLIENT[@]}" mirror -R -q "$@" "$url/tree-up" "$SRC/tree"; check_tree "ftp-lite mirror -R -> $name" "$SRC/tree" "$dir/tree-up"
  expect "ftp-lite mkdir, mv, rm -> $name" bash -c "$(printf '%q ' "${CLIENT[@]}") mkdir $* $url/made && \
    $(printf '%q ' "${CLIENT[@]}") mv $* $url/put.bin made/moved.bin && $(printf '%q ' "${CLIENT[@]}") rm -r $* $url/made && [ ! -e '$dir/made' ]"
}

main() {
  [ "$(id -u)" -eq 0 ] || { log "run as root (installs packages, adds a throwaway user for vsftpd)"; exit 1; }
  rm -rf "$OUT" && mkdir -p "$OUT/logs"
  install_tools
  build
  make_files
  start_ours
  argon2_both_ways
  tools_vs_ours
  hostile_vs_ours
  client_vs ours-ca "ftp://alice:$PW@127.0.0.1:$OURS" "$ROOT" --tls --ca-file "$OUT/cert.pem"
  run ours-implicit "${CLIENT[@]}" get -q --ca-file "$OUT/cert.pem" "ftps://alice:$PW@127.0.0.1:$OURS_TLS/five-mb.bin" "$OUT/got/implicit.bin"
  check "ftp-lite get ftps:// (implicit TLS, CA verified) -> ours" "$SRC/five-mb.bin" "$OUT/got/implicit.bin"
  run ours-active "${CLIENT[@]}" get -q --active "ftp://alice:$PW@127.0.0.1:$OURS/five-mb.bin" "$OUT/got/active.bin"
  check "ftp-lite get --active -> ours" "$SRC/five-mb.bin" "$OUT/got/active.bin"
  if start_vsftpd; then
    client_vs vsftpd "ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD" "$VS_HOME"
    local got=$OUT/got/client-vsftpd
    run vsftpd-tls "${CLIENT[@]}" get -q --tls --insecure "ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD/five-mb.bin" "$got/tls.bin"
    check "ftp-lite get --tls --insecure -> vsftpd (require_ssl_reuse=YES)" "$SRC/five-mb.bin" "$got/tls.bin"
    run vsftpd-tls-put "${CLIENT[@]}" put -q --tls --insecure "$SRC/small.txt" "ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD/tls.txt"
    check "ftp-lite put --tls --insecure -> vsftpd (require_ssl_reuse=YES)" "$SRC/small.txt" "$VS_HOME/tls.txt"
  fi
  local py=$OUT/pyftpd && mkdir -p "$py" && cp -r "$SRC"/* "$py"/
  "$PY" -m pyftpdlib -i 127.0.0.1 -p "$PYFTPD" -w -d "$py" >"$OUT/logs/pyftpdlib.log" 2>&1 &
  PIDS+=($!)
  if wait_tcp "$PYFTPD"; then client_vs pyftpdlib "ftp://127.0.0.1:$PYFTPD" "$py"; else bad "pyftpdlib start"; fi
  printf '\n%d passed, %d failed in %ds (logs in %s)\n' "$PASSED" "$FAILED" $(($(date +%s) - T0)) "$OUT/logs"
  [ "$FAILED" -eq 0 ]
}

main "$@"
