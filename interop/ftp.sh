#!/usr/bin/env bash
# Interop: protokit's FTP server and client against Debian's standard FTP tools.
#
#   interop/ftp.sh            (as root on Debian 12; CI runs it)
#
# Installs what it needs (idempotent): curl, lftp, tnftp, vsftpd, python3-pyftpdlib,
# python3-openssl, python3-argon2, openssl, wget, ncftp, inetutils-ftp, ftp-ssl, rclone,
# python3-ftputil, python3-aioftp, gftp-text, and the libraries of proftpd-core and pure-ftpd,
# whose .debs are unpacked under OUT instead (they conflict with vsftpd and each other). Our server
# (ftp-lite-server, users file made with `ftp-lite-server user add --password-stdin`) is driven by
# curl, lftp, Python's ftplib, ftputil and aioftp, tnftp, wget, ncftp, inetutils-ftp, ftp-ssl,
# rclone and gftp-text, in plain FTP (passive and active), explicit TLS (PROT P) and implicit TLS;
# our client (ftp-lite) runs against vsftpd (own config, throwaway local user, high port; the
# packaged service is stopped), pyftpdlib, ProFTPD and Pure-FTPd (both from the unpacked .debs, in
# the foreground with our own config or flags, a virtual user, high ports; no service is set up).
# Argon2id hashes are checked both ways between Java and argon2-cffi, and a few hostile commands
# (PORT bounce, path escapes) must be refused with 5xx; curl killed mid-STOR and our server stopped
# mid-STOR leave no half file (a hidden, resumable part). Every transferred file is compared by
# SHA-256. One PASS/FAIL line per case, then "N passed, N failed"; exit status non-zero if any
# case failed. Loopback only; our servers pick their ports (--port 0), the peers get free ports;
# the throwaway users, their homes and the paused vsftpd service are restored even when the run
# is killed.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init ftp
HERE=$PK_ROOT
VS_USER=pkftp
GFTP_USER=pkgftp
PEER_UID=65534   # nobody: proftpd's and pure-ftpd's virtual user writes its home as this uid
PY=/usr/bin/python3
PW=interop-secret

install_tools() {
  pk_apt curl lftp tnftp vsftpd python3-pyftpdlib python3-openssl python3-argon2 openssl \
    wget ncftp inetutils-ftp ftp-ssl rclone python3-ftputil python3-aioftp gftp-text \
    libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3 libsodium23
  # apt starts vsftpd on port 21; we run our own instance on a free port instead.
  pk_pause_service vsftpd
  # proftpd-core and pure-ftpd cannot be installed beside vsftpd (nor beside each other: all
  # three are Conflicts: ftp-server), so their .debs are unpacked under OUT and run from there,
  # in the foreground on free loopback ports; no maintainer script runs, no service starts.
  PEERS=$OUT/peers
  pk_deb_unpack "$PEERS" proftpd-core proftpd-mod-crypto pure-ftpd || exit 1
}

build() {
  pk_jar ftp-lite
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
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$OUT/vs-key.pem" -out "$OUT/vs-cert.pem" >/dev/null 2>&1
}

# Our server: alice (rw, made by `user add`, home = the root) and anonymous (read-only) with a home
# of its own: a user's home inside the anonymous home is refused at start-up.
start_ours() {
  ROOT=$OUT/ours && mkdir -p "$ROOT" && cp -r "$SRC"/* "$ROOT"/
  mkdir -p "$OUT/anon" && cp "$SRC/small.txt" "$OUT/anon/"
  USERS=$OUT/users
  printf '%s\n' "$PW" | pk_run user-add "${SERVER[@]}" user add alice --users "$USERS" --home . --write --password-stdin \
    && pk_ok "ftp-lite-server user add --password-stdin" || pk_fail "ftp-lite-server user add" "see logs/user-add.log"
  printf '%s\n' "$PW" | pk_run user-add-slow "${SERVER[@]}" user add slow --users "$USERS" --home . --max-rate 1000000 --password-stdin \
    || pk_fail "ftp-lite-server user add --max-rate" "see logs/user-add-slow.log"
  PK_LISTENER=ftp-lite pk_daemon ours-server OURS "${SERVER[@]}" --bind 127.0.0.1 --port 0 --implicit-port 0 \
    --root "$ROOT" --users "$USERS" --anonymous --anonymous-root "$OUT/anon" --tls-cert "$OUT/cert.pem" \
    --tls-key "$OUT/key.pem" --state-dir "$OUT/state" || exit 1
  pk_wait_port "$PK_PID" "$OUT/logs/ours-server.log" ftps-implicit OURS_TLS \
    || { pk_fail "our server start" "no implicit TLS listener, see logs/ours-server.log"; exit 1; }
  U="ftp://alice:$PW@127.0.0.1:$OURS"
}

argon2_both_ways() {
  local hash
  hash=$(grep '^alice:' "$USERS" | cut -d: -f2)
  if "$PY" -c 'import sys, argon2; argon2.PasswordHasher().verify(sys.argv[1], sys.argv[2])' "$hash" "$PW" 2>"$OUT/logs/argon2-py.log"
  then pk_ok "argon2id: Java hash verifies in argon2-cffi"; else pk_fail "argon2id: Java hash verifies in argon2-cffi"; fi
  hash=$("$PY" -c 'import argon2; print(argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash("bob-pw"))')
  printf 'bob:%s:.:ro\n' "$hash" >>"$USERS"   # the server re-reads the file on change
  pk_expect "argon2id: argon2-cffi hash logs in to our server (curl)" curl -sS -o /dev/null "ftp://bob:bob-pw@127.0.0.1:$OURS/small.txt"
}

tools_vs_ours() {
  local got=$OUT/got/ours && mkdir -p "$got"
  pk_run curl-list curl -sS "$U/" && grep -q five-mb.bin "$OUT/logs/curl-list.log" && pk_ok "our server <- curl list" || pk_fail "our server <- curl list"
  pk_run curl-get curl -sS -o "$got/curl.bin" "$U/five-mb.bin"; pk_check_sha "our server <- curl get" "$SRC/five-mb.bin" "$got/curl.bin"
  pk_run curl-put curl -sS --ftp-create-dirs -T "$SRC/five-mb.bin" "$U/up/curl.bin"; pk_check_sha "our server <- curl put -T" "$SRC/five-mb.bin" "$ROOT/up/curl.bin"
  head -c 1000000 "$SRC/five-mb.bin" >"$got/curl-resume.bin"
  pk_run curl-resume-get curl -sS -C - -o "$got/curl-resume.bin" "$U/five-mb.bin"; pk_check_sha "our server <- curl get -C - (REST)" "$SRC/five-mb.bin" "$got/curl-resume.bin"
  head -c 1234567 "$SRC/five-mb.bin" >"$ROOT/up/curl-resume.bin"
  pk_run curl-resume-put curl -sS -C - -T "$SRC/five-mb.bin" "$U/up/curl-resume.bin"; pk_check_sha "our server <- curl put -C - (APPE)" "$SRC/five-mb.bin" "$ROOT/up/curl-resume.bin"
  pk_run curl-tls-get curl -sS --ssl-reqd -k -o "$got/curl-tls.bin" "$U/five-mb.bin"; pk_check_sha "our server <- curl --ssl-reqd get" "$SRC/five-mb.bin" "$got/curl-tls.bin"
  pk_run curl-tls-put curl -sS --ssl-reqd --cacert "$OUT/cert.pem" -T "$SRC/small.txt" "$U/up/curl-tls.txt"; pk_check_sha "our server <- curl --ssl-reqd put (CA verified)" "$SRC/small.txt" "$ROOT/up/curl-tls.txt"
  pk_run curl-implicit curl -sS -k -o "$got/curl-implicit.bin" "ftps://alice:$PW@127.0.0.1:$OURS_TLS/five-mb.bin"; pk_check_sha "our server <- curl ftps:// (implicit TLS)" "$SRC/five-mb.bin" "$got/curl-implicit.bin"

  local L="set net:max-retries 1; set net:timeout 20; set ftp:ssl-allow no"
  pk_run lftp-mirror lftp -u "alice,$PW" -e "$L; mirror --no-perms tree $got/lftp-tree; quit" "ftp://127.0.0.1:$OURS"; pk_check_tree "our server <- lftp mirror" "$SRC/tree" "$got/lftp-tree"
  pk_run lftp-reverse lftp -u "alice,$PW" -e "$L; mirror -R --no-perms $SRC/tree lftp-up; quit" "ftp://127.0.0.1:$OURS"; pk_check_tree "our server <- lftp mirror -R" "$SRC/tree" "$ROOT/lftp-up"
  local T="set net:max-retries 1; set net:timeout 20; set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no"
  pk_run lftp-tls lftp -u "alice,$PW" -e "$T; mirror --no-perms tree $got/lftp-tls; mirror -R --no-perms $SRC/tree lftp-tls-up; quit" "ftp://127.0.0.1:$OURS"
  pk_check_tree "our server <- lftp TLS mirror" "$SRC/tree" "$got/lftp-tls"; pk_check_tree "our server <- lftp TLS mirror -R" "$SRC/tree" "$ROOT/lftp-tls-up"

  for mode in plain tls; do
    pk_run "ftplib-$mode" "$PY" - "$OURS" "$PW" "$SRC/five-mb.bin" "$got/ftplib-$mode.bin" "$mode" <<'EOF'
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
    pk_check_sha "our server <- python ftplib $mode get" "$SRC/five-mb.bin" "$got/ftplib-$mode.bin"
    pk_check_sha "our server <- python ftplib $mode put" "$SRC/five-mb.bin" "$ROOT/up/ftplib-$mode.bin"
  done
  # Python's high-level client libraries: ftputil reads LIST (plain and TLS), aioftp MLSD/MLST.
  for lib in ftputil aioftp; do
    pk_expect "our server <- python $lib (trees, upload, download, rename, remove)" \
      "$PY" "$PK_ROOT/interop/ftp_libs.py" "$lib" "$OURS" alice "$PW" "$SRC/five-mb.bin"
  done

  # ftplib.abort() sends "ABOR\r\n" as TCP urgent data: it needs the server to read it inline.
  pk_expect "our server <- python ftplib abort() mid-RETR: 426/226, then the session goes on" "$PY" -c '
import ftplib, sys
ftp = ftplib.FTP(); ftp.connect("127.0.0.1", int(sys.argv[1]), timeout=15); ftp.login("slow", sys.argv[2])
conn = ftp.transfercmd("RETR five-mb.bin"); conn.recv(65536)
print(ftp.abort()); conn.close(); print(ftp.voidcmd("NOOP")); ftp.quit()' "$OURS" "$PW"

  (cd "$got" && pk_run tnftp tnftp -n 127.0.0.1 "$OURS" <<EOF
user alice $PW
binary
get five-mb.bin tnftp.bin
put $SRC/small.txt up/tnftp.txt
quit
EOF
  )
  pk_check_sha "our server <- tnftp get" "$SRC/five-mb.bin" "$got/tnftp.bin"; pk_check_sha "our server <- tnftp put" "$SRC/small.txt" "$ROOT/up/tnftp.txt"
}

# gftp-text (gFTP's text client) reads its commands from stdin. It keeps its options in
# ~/.gftp/gftprc of the user's passwd entry (it ignores $HOME), so it runs as a throwaway user
# whose home holds a gftprc of our own; `set passive_transfer=0` switches a session to active
# mode. Its transfers use a second connection of their own. With piped input its question on
# an existing file ((o)verwrite, (r)esume...) reads stdin through a buffer of its own, which
# swallows every line after the answer, so a resume is the last command of its session.
gftp_vs_ours() {
  local home w log url=ftp://alice:$PW@127.0.0.1:$OURS
  home=$(mktemp -d /var/tmp/protokit-gftp.XXXXXX) && chmod 0755 "$home"
  pk_undo "rm -rf '$home'"
  pk_add_user "$GFTP_USER" "$home" "$PW" || { pk_fail "gftp-text user" "useradd failed"; return 1; }
  w=$home/work && mkdir -p "$home/.gftp" "$w"/got-{passive,active,resume,anon,tls}
  cp "$SRC/small.txt" "$SRC/five-mb.bin" "$SRC/tree/a.bin" "$w/"
  cp "$SRC/small.txt" "$w/active.txt" && cp "$SRC/small.txt" "$w/tls.txt" && cp "$SRC/five-mb.bin" "$w/resume.bin"
  head -c 1000000 "$SRC/five-mb.bin" >"$w/got-resume/five-mb.bin"
  chown -R "$GFTP_USER" "$home"
  # gftp NAME: one gftp-text session (commands on stdin) in the work directory, passive mode
  # unless told otherwise (gftp saves a `set` into gftprc at exit, so gftprc is written anew);
  # its output, without colours, NULs and CRs, in logs/NAME.log.
  gftp() {
    sed -e 's/^passive_transfer=.*/passive_transfer=1/' -e 's/^verify_ssl_peer=.*/verify_ssl_peer=0/' \
      /etc/gftp/gftprc >"$home/.gftp/gftprc" && chown "$GFTP_USER" "$home/.gftp/gftprc"
    (cd "$w" && pk_run "$1" runuser -u "$GFTP_USER" -- gftp-text)
    sed 's/\x1b\[[0-9;]*m//g' "$OUT/logs/$1.log" | tr -d '\000\r' >"$OUT/logs/$1.txt" && mv "$OUT/logs/$1.txt" "$OUT/logs/$1.log"
  }
  gftp gftp <<EOF
open $url
ls
mkdir gftp
cd gftp
put small.txt
put a.bin
rename small.txt renamed.txt
delete a.bin
mkdir scratch
rmdir scratch
cd /
lcd got-passive
get five-mb.bin
quit
EOF
  log=$OUT/logs/gftp.log
  grep -aq '^-.* 5000001 .* five-mb.bin$' "$log" && grep -aq '^d.* tree$' "$log" \
    && pk_ok "our server <- gftp-text ls (MLSD)" || pk_fail "our server <- gftp-text ls" "see logs/gftp.log"
  pk_check_sha "our server <- gftp-text get (EPSV)" "$SRC/five-mb.bin" "$w/got-passive/five-mb.bin"
  # gftp gives a download the mode of the MLSD UNIX.mode fact, 0755 without one.
  local mode
  mode=$(stat -c %a "$w/got-passive/five-mb.bin" 2>/dev/null)
  [ "$mode" = "$(stat -c %a "$ROOT/five-mb.bin")" ] && [ "$mode" != 755 ] \
    && pk_ok "our server <- gftp-text get keeps the file's mode (UNIX.mode $mode)" || pk_fail "our server <- gftp-text get keeps the mode" "mode $mode"
  pk_check_sha "our server <- gftp-text put, rename" "$SRC/small.txt" "$ROOT/gftp/renamed.txt"
  [ -d "$ROOT/gftp" ] && [ ! -e "$ROOT/gftp/a.bin" ] && [ ! -e "$ROOT/gftp/small.txt" ] && [ ! -e "$ROOT/gftp/scratch" ] \
    && grep -aq '^ *250 File deleted' "$log" && grep -aq '^ *250 Directory removed' "$log" \
    && pk_ok "our server <- gftp-text mkdir, delete, rmdir" || pk_fail "our server <- gftp-text mkdir, delete, rmdir" "see logs/gftp.log"

  gftp gftp-active <<EOF
set passive_transfer=0
open $url
cd gftp
put active.txt
cd /
lcd got-active
get five-mb.bin
quit
EOF
  grep -aq '^ *EPRT |1|127.0.0.1|' "$OUT/logs/gftp-active.log" || pk_fail "our server <- gftp-text active mode" "no EPRT in logs/gftp-active.log"
  pk_check_sha "our server <- gftp-text get (EPRT)" "$SRC/five-mb.bin" "$w/got-active/five-mb.bin"
  pk_check_sha "our server <- gftp-text put (EPRT)" "$SRC/small.txt" "$ROOT/gftp/active.txt"

  gftp gftp-resume-get <<EOF
open $url
lcd got-resume
get five-mb.bin
r
EOF
  grep -aq '^ *REST 1000000' "$OUT/logs/gftp-resume-get.log" \
    && pk_check_sha "our server <- gftp-text get, resumed (REST 1000000)" "$SRC/five-mb.bin" "$w/got-resume/five-mb.bin" \
    || pk_fail "our server <- gftp-text get, resumed" "see logs/gftp-resume-get.log"
  head -c 1234567 "$SRC/five-mb.bin" >"$ROOT/gftp/resume.bin"
  gftp gftp-resume-put <<EOF
open $url
cd gftp
put resume.bin
r
EOF
  grep -aq '^ *REST 1234567' "$OUT/logs/gftp-resume-put.log" \
    && pk_check_sha "our server <- gftp-text put, resumed (REST 1234567 + STOR)" "$SRC/five-mb.bin" "$ROOT/gftp/resume.bin" \
    || pk_fail "our server <- gftp-text put, resumed" "see logs/gftp-resume-put.log"

  gftp gftp-anon <<EOF
open ftp://anonymous@127.0.0.1:$OURS
ls
put a.bin
mkdir made
lcd got-anon
get small.txt
quit
EOF
  log=$OUT/logs/gftp-anon.log
  pk_check_sha "our server <- gftp-text get (anonymous)" "$SRC/small.txt" "$w/got-anon/small.txt"
  [ "$(grep -ac '^ *550 Permission denied' "$log")" = 2 ] && [ ! -e "$OUT/anon/made" ] && [ ! -e "$OUT/anon/a.bin" ] \
    && pk_ok "our server <- gftp-text anonymous put and mkdir refused (550)" || pk_fail "our server <- gftp-text anonymous writes" "see logs/gftp-anon.log"

  gftp gftp-tls <<EOF
open ftps://alice:$PW@127.0.0.1:$OURS
cd gftp
put tls.txt
cd /
lcd got-tls
get five-mb.bin
quit
EOF
  log=$OUT/logs/gftp-tls.log
  grep -aq '^ *200 PROT now Private' "$log" && [ "$(grep -ac 'SSL data connection established' "$log")" -ge 2 ] \
    || pk_fail "our server <- gftp-text ftps://: AUTH TLS, PROT P" "see logs/gftp-tls.log"
  pk_check_sha "our server <- gftp-text ftps:// get (PROT P)" "$SRC/five-mb.bin" "$w/got-tls/five-mb.bin"
  pk_check_sha "our server <- gftp-text ftps:// put (PROT P)" "$SRC/small.txt" "$ROOT/gftp/tls.txt"
}

# STOU with Python's ftplib: a free name given is used as it is, a taken one gets .1, and the
# 150 reply says which (RFC 1123 4.1.2.9); the old file stays.
stou_vs_ours() {
  printf 'the old one' >"$ROOT/stou.txt"
  pk_run stou "$PY" - "$OURS" "$PW" <<'PYEOF'
import ftplib, io, sys
ftp = ftplib.FTP(); ftp.connect("127.0.0.1", int(sys.argv[1]), timeout=30); ftp.login("alice", sys.argv[2])
ftp.set_debuglevel(1)   # prints each reply: the 150 names the file
for body in (b"first", b"second"):
    ftp.storbinary("STOU stou.txt", io.BytesIO(body))
ftp.quit()
PYEOF
  if grep -q "150 FILE: stou.txt.1'" "$OUT/logs/stou.log" && grep -q "150 FILE: stou.txt.2'" "$OUT/logs/stou.log" \
    && [ "$(cat "$ROOT/stou.txt")" = 'the old one' ] && [ "$(cat "$ROOT/stou.txt.1")" = first ] && [ "$(cat "$ROOT/stou.txt.2")" = second ]
  then pk_ok "our server <- python ftplib STOU stou.txt twice: 150 FILE: stou.txt.1, then .2; the old file kept"; else pk_fail "our server <- ftplib STOU" "see logs/stou.log"; fi
}

# mtimes DIR: "path seconds" for every file under DIR, sorted (modification times to compare).
mtimes() { (cd "$1" 2>/dev/null && find . -type f -exec stat -c '%n %Y' {} + | sort); }

# check_mtimes NAME EXPECTED-DIR ACTUAL-DIR: PASS when every file has the same modification second.
check_mtimes() {
  local a b
  a=$(mtimes "$2"); b=$(mtimes "$3")
  if [ -n "$a" ] && [ "$a" = "$b" ]; then pk_ok "$1"; else pk_fail "$1" "modification times differ: $2 vs $3"; fi
}

wget_vs_ours() {
  local got=$OUT/got/wget && mkdir -p "$got"
  pk_run wget-get wget -nv -O "$got/get.bin" "$U/five-mb.bin"; pk_check_sha "our server <- wget get" "$SRC/five-mb.bin" "$got/get.bin"
  pk_run wget-anon wget -nv -O "$got/anon.txt" "ftp://127.0.0.1:$OURS/small.txt"; pk_check_sha "our server <- wget get (anonymous)" "$SRC/small.txt" "$got/anon.txt"
  pk_run wget-r wget -nv -r -nH -P "$got/passive" "$U/tree/"; pk_check_tree "our server <- wget -r (PASV)" "$SRC/tree" "$got/passive/tree"
  pk_run wget-r-active wget -nv -r -nH --no-passive-ftp -P "$got/active" "$U/tree/"
  pk_check_tree "our server <- wget -r --no-passive-ftp (PORT)" "$SRC/tree" "$got/active/tree"
  head -c 1234567 "$SRC/five-mb.bin" >"$got/five-mb.bin"
  pk_run wget-c sh -c "cd '$got' && wget -nv -c '$U/five-mb.bin'"; pk_check_sha "our server <- wget -c (REST)" "$SRC/five-mb.bin" "$got/five-mb.bin"
  if pk_run wget-missing wget -nv -O "$got/missing" "$U/no-such-file.bin"; then pk_fail "our server <- wget of a missing file exits non-zero" "exit 0"
  elif grep -q 'No such file' "$OUT/logs/wget-missing.log"; then pk_ok "our server <- wget of a missing file exits non-zero (550)"
  else pk_fail "our server <- wget of a missing file" "see logs/wget-missing.log"; fi
  pk_run wget-tls wget -nv --no-check-certificate -O "$got/tls.bin" "ftps://alice:$PW@127.0.0.1:$OURS/five-mb.bin"
  pk_check_sha "our server <- wget ftps:// (AUTH TLS, PROT P)" "$SRC/five-mb.bin" "$got/tls.bin"
  pk_run wget-implicit wget -nv --no-check-certificate --ftps-implicit -O "$got/implicit.bin" "ftps://alice:$PW@127.0.0.1:$OURS_TLS/five-mb.bin"
  pk_check_sha "our server <- wget --ftps-implicit" "$SRC/five-mb.bin" "$got/implicit.bin"
}

# ncftp: MLST/SIZE before a transfer, MFMT after a put (so the remote file keeps the local
# modification time), MDTM after a get. ncftpput -z is not run: NcFTP 3.2.6 sends REST N and then
# the whole file from byte 0 (its sendfile path ignores the offset; same against pyftpdlib).
ncftp_vs_ours() {
  local got=$OUT/got/ncftp N=(-t 30 -r 0 -V -P "$OURS") put=$OUT/ncftp-put
  mkdir -p "$got/active" "$got/resume" "$put" && cp -r "$SRC/tree" "$SRC/five-mb.bin" "$put/"
  pk_run ncftpget ncftpget "${N[@]}" -d "$OUT/logs/ncftpget.debug" -u alice -p "$PW" 127.0.0.1 "$got" /five-mb.bin
  pk_check_sha "our server <- ncftpget" "$SRC/five-mb.bin" "$got/five-mb.bin"
  pk_run ncftpget-E ncftpget "${N[@]}" -E 127.0.0.1 "$got/active" /small.txt
  pk_check_sha "our server <- ncftpget -E (anonymous, PORT)" "$SRC/small.txt" "$got/active/small.txt"
  head -c 2345678 "$SRC/five-mb.bin" >"$got/resume/five-mb.bin"
  pk_run ncftpget-z ncftpget "${N[@]}" -z -u alice -p "$PW" 127.0.0.1 "$got/resume" /five-mb.bin
  pk_check_sha "our server <- ncftpget -z (REST resume)" "$SRC/five-mb.bin" "$got/resume/five-mb.bin"
  pk_run ncftpget-R ncftpget "${N[@]}" -R -T -u alice -p "$PW" 127.0.0.1 "$got" /tree; pk_check_tree "our server <- ncftpget -R (MLSD)" "$SRC/tree" "$got/tree"
  find "$put" -type f -exec touch -d '2021-05-06 07:08:09' {} +
  pk_run ncftpput ncftpput "${N[@]}" -d "$OUT/logs/ncftpput.debug" -m -u alice -p "$PW" 127.0.0.1 /ncftp/made/deep "$put/five-mb.bin"
  pk_check_sha "our server <- ncftpput -m (MKD of each missing directory)" "$SRC/five-mb.bin" "$ROOT/ncftp/made/deep/five-mb.bin"
  pk_run ncftpput-R ncftpput "${N[@]}" -m -R -u alice -p "$PW" 127.0.0.1 /ncftp/up "$put/tree"
  pk_check_tree "our server <- ncftpput -R" "$SRC/tree" "$ROOT/ncftp/up/tree"
  check_mtimes "our server <- ncftpput keeps modification times (MFMT)" "$put/tree" "$ROOT/ncftp/up/tree"
  pk_run ncftpls ncftpls -t 30 -P "$OURS" -l -u alice -p "$PW" "ftp://127.0.0.1/tree/"
  if grep -q '^d.* sub dir$' "$OUT/logs/ncftpls.log" && grep -q '^-.* 70000 .* a.bin$' "$OUT/logs/ncftpls.log"
  then pk_ok "our server <- ncftpls -l"; else pk_fail "our server <- ncftpls -l" "see logs/ncftpls.log"; fi
  pk_run ncftpls-g ncftpls -t 30 -P "$OURS" -g -u alice -p "$PW" "ftp://127.0.0.1/tree/"   # NLST -1R
  if [ "$(sort "$OUT/logs/ncftpls-g.log")" = "$(cd "$SRC/tree" && find . -mindepth 1 | cut -c3- | sort)" ]
  then pk_ok "our server <- ncftpls -g (NLST -1R: the whole tree)"; else pk_fail "our server <- ncftpls -g" "see logs/ncftpls-g.log"; fi
}

# ctrl_c_get NAME DIR CLIENT...: an interactive client in DIR logs in as slow (held to 1 MB/s, so
# the 5 MB get still runs), gets five-mb.bin as cut.bin, is sent SIGINT (Ctrl-C) once bytes
# arrive, then is asked for small.txt as after-abor.txt and to quit. Output in logs/NAME.log.
# timeout --foreground, so that the client gets exactly one SIGINT: without it timeout(1) passes
# the signal to the client and then to its whole process group, and a client scheduled between
# the two kill()s gets it twice. netkit ftp does not ignore the second one while it waits up to
# 10 s for the abort's reply, so ftp-ssl printed "abort: Interrupted system call" and dropped the
# connection itself (1 run in 30 here), or died at its prompt and the printf below got SIGPIPE.
ctrl_c_get() {
  local name=$1 dir=$2 fifo=$OUT/$1.fifo pid; shift 2
  rm -f "$fifo" && mkfifo "$fifo"
  (cd "$dir" && exec timeout --foreground 60 "$@" <"$fifo" >"$OUT/logs/$name.log" 2>&1) &
  pid=$!
  exec 8>"$fifo"
  printf 'user slow %s\nbinary\npassive\nget five-mb.bin cut.bin\n' "$PW" >&8
  for _ in $(seq 1 100); do [ -s "$dir/cut.bin" ] && break; sleep 0.1; done
  kill -INT "$pid"   # timeout(1) passes SIGINT on to the client
  sleep 1
  # In a subshell: a client that is already gone fails its check instead of SIGPIPE ending the script.
  (printf 'get small.txt after-abor.txt\nquit\n' >&8) 2>/dev/null
  exec 8>&-
  wait "$pid"
}

# inetutils-ftp, scripted: active (its default) then passive transfers, mget with a wildcard and
# with a path (NLST names entries by the path given), ls/dir into local files, and Ctrl-C during
# a rate-limited get: the BSD abort (IAC IP, urgent IAC DM, ABOR) gets 426 then 226 and the
# session goes on.
inetutils_vs_ours() {
  local got=$OUT/got/inetutils && mkdir -p "$got/tree"
  (cd "$got" && pk_run inetutils inetutils-ftp -n -v 127.0.0.1 "$OURS" <<EOF
user alice $PW
binary
mkdir inetutils
get five-mb.bin active.bin
put $SRC/small.txt inetutils/active.txt
passive
get five-mb.bin passive.bin
put $SRC/small.txt inetutils/passive.txt
prompt
mget tree/a.bin
cd tree
mget *.bin
cd /
ls tree $got/ls.txt
dir tree $got/dir.txt
nlist tree $got/nlist.txt
quit
EOF
  )
  pk_check_sha "our server <- inetutils-ftp get (PORT)" "$SRC/five-mb.bin" "$got/active.bin"
  pk_check_sha "our server <- inetutils-ftp put (PORT)" "$SRC/small.txt" "$ROOT/inetutils/active.txt"
  pk_check_sha "our server <- inetutils-ftp get (PASV)" "$SRC/five-mb.bin" "$got/passive.bin"
  pk_check_sha "our server <- inetutils-ftp put (PASV)" "$SRC/small.txt" "$ROOT/inetutils/passive.txt"
  pk_check_sha "our server <- inetutils-ftp mget *.bin" "$SRC/tree/a.bin" "$got/a.bin"
  pk_check_sha "our server <- inetutils-ftp mget tree/a.bin (NLST of a path)" "$SRC/tree/a.bin" "$got/tree/a.bin"
  if grep -q '^-.* 70000 .* a.bin$' "$got/ls.txt" && grep -q '^d.* sub dir$' "$got/dir.txt" && grep -qx 'tree/sub dir' "$got/nlist.txt"
  then pk_ok "our server <- inetutils-ftp ls, dir, nlist"; else pk_fail "our server <- inetutils-ftp ls, dir, nlist" "see $got/*.txt"; fi

  ctrl_c_get inetutils-abor "$got" inetutils-ftp -n -v 127.0.0.1 "$OURS"
  if grep -q '^426 ' "$OUT/logs/inetutils-abor.log" && grep -q '^226 ' "$OUT/logs/inetutils-abor.log" \
    && [ "$(stat -c %s "$got/cut.bin")" -lt 5000001 ]; then pk_ok "our server <- inetutils-ftp Ctrl-C mid-get: 426, then 226 for the ABOR"
  else pk_fail "our server <- inetutils-ftp Ctrl-C mid-get" "see logs/inetutils-abor.log"; fi
  pk_check_sha "our server <- inetutils-ftp get after the ABOR" "$SRC/small.txt" "$got/after-abor.txt"
}

# ftp-ssl (netkit ftp with AUTH TLS): -z secure never falls back to plain FTP, verify=1 checks our
# certificate against the CA file; it sends PBSZ 0 and PROT P itself. Active (its default) and passive.
ftpssl_vs_ours() {
  local got=$OUT/got/ftp-ssl && mkdir -p "$got"
  (cd "$got" && pk_run ftp-ssl ftp-ssl -n -v -z secure -z verify=1 -z "cacert=$OUT/cert.pem" 127.0.0.1 "$OURS" <<EOF
user alice $PW
binary
mkdir ftp-ssl
get five-mb.bin active.bin
put $SRC/small.txt ftp-ssl/active.txt
passive
get five-mb.bin passive.bin
put $SRC/small.txt ftp-ssl/passive.txt
ls tree $got/ls.txt
quit
EOF
  )
  if grep -q '^200 PROT now Private' "$OUT/logs/ftp-ssl.log" && grep -q '^230 ' "$OUT/logs/ftp-ssl.log"
  then pk_ok "our server <- ftp-ssl AUTH TLS, certificate verified, login, PROT P"; else pk_fail "our server <- ftp-ssl AUTH TLS" "see logs/ftp-ssl.log"; fi
  pk_check_sha "our server <- ftp-ssl get (PROT P, PORT)" "$SRC/five-mb.bin" "$got/active.bin"
  pk_check_sha "our server <- ftp-ssl put (PROT P, PORT)" "$SRC/small.txt" "$ROOT/ftp-ssl/active.txt"
  pk_check_sha "our server <- ftp-ssl get (PROT P, PASV)" "$SRC/five-mb.bin" "$got/passive.bin"
  pk_check_sha "our server <- ftp-ssl put (PROT P, PASV)" "$SRC/small.txt" "$ROOT/ftp-ssl/passive.txt"
  if grep -q '^-.* 70000 .* a.bin$' "$got/ls.txt"; then pk_ok "our server <- ftp-ssl ls (PROT P)"; else pk_fail "our server <- ftp-ssl ls" "see $got/ls.txt"; fi
  # Ctrl-C: ftp-ssl writes the Telnet abort and ABOR in the clear into the TLS stream, which no
  # server can read; ours ends the session at once (it used to wait for the idle timeout).
  local t0=$SECONDS
  ctrl_c_get ftp-ssl-abor "$got" ftp-ssl -n -v -z secure -z verify=1 -z "cacert=$OUT/cert.pem" 127.0.0.1 "$OURS"
  if grep -q 'remote server has closed connection' "$OUT/logs/ftp-ssl-abor.log" && [ $((SECONDS - t0)) -lt 20 ]
  then pk_ok "our server <- ftp-ssl Ctrl-C mid-get: the session ends at once"; else pk_fail "our server <- ftp-ssl Ctrl-C" "see logs/ftp-ssl-abor.log"; fi
}

# rclone's FTP backend from flags only (no config file): MLSD listings, MFMT after each upload,
# several connections at once. Plain, explicit TLS, then implicit TLS; copy up and back, `check --download`
# (no hash over FTP, so the bytes are compared) both ways, then a sync that adds and deletes.
rclone_vs_ours() {
  local src=$OUT/rclone-src pass mode remote back sync
  mkdir -p "$src" && cp -r "$SRC/tree/." "$src/" && find "$src" -type f -exec touch -d '2021-05-06 07:08:09' {} +
  pass=$(rclone obscure "$PW")
  for mode in plain tls implicit; do
    local R=(env RCLONE_CONFIG=/dev/null rclone --ftp-host 127.0.0.1 --ftp-user alice --ftp-pass "$pass"
      --transfers 8 --checkers 8 --retries 1 --low-level-retries 1)
    case $mode in
      plain) R+=(--ftp-port "$OURS") ;;
      tls) R+=(--ftp-port "$OURS" --ftp-explicit-tls --ftp-no-check-certificate) ;;
      implicit) R+=(--ftp-port "$OURS_TLS" --ftp-tls --ftp-no-check-certificate) ;;
    esac
    remote=:ftp:rclone-$mode back=$OUT/got/rclone-$mode sync=$OUT/rclone-sync-$mode
    pk_run "rclone-$mode-copy" "${R[@]}" copy "$src" "$remote"; pk_check_tree "our server <- rclone copy ($mode)" "$src" "$ROOT/rclone-$mode"
    check_mtimes "our server <- rclone copy keeps modification times (MFMT, $mode)" "$src" "$ROOT/rclone-$mode"
    pk_run "rclone-$mode-lsf" "${R[@]}" lsf -R "$remote"
    if grep -qx 'sub dir/deeper/b.bin' "$OUT/logs/rclone-$mode-lsf.log"; then pk_ok "our server <- rclone lsf -R ($mode)"; else pk_fail "our server <- rclone lsf -R ($mode)"; fi
    pk_run "rclone-$mode-back" "${R[@]}" copy "$remote" "$back"; pk_check_tree "our server <- rclone copy back ($mode)" "$src" "$back"
    check_mtimes "our server <- rclone copy back keeps modification times ($mode)" "$src" "$back"
    if pk_run "rclone-$mode-check" sh -c "$(printf '%q ' "${R[@]}") check --download '$src' $remote && $(printf '%q ' "${R[@]}") check --download '$back' $remote" \
      && [ "$(grep -c ': 0 differences found' "$OUT/logs/rclone-$mode-check.log")" = 2 ]
    then pk_ok "our server <- rclone check --download both ways: 0 differences ($mode)"; else pk_fail "our server <- rclone check ($mode)" "see logs/rclone-$mode-check.log"; fi
    cp -r "$src" "$sync" && rm "$sync/a.bin" && echo added >"$sync/sub dir/added.txt"
    pk_run "rclone-$mode-sync" "${R[@]}" sync "$sync" "$remote"; pk_check_tree "our server <- rclone sync adds and deletes ($mode)" "$sync" "$ROOT/rclone-$mode"
  done
}

hostile_vs_ours() {
  pk_run hostile "$PY" - "$OURS" "$PW" <<'EOF'
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
  if [ $? -eq 0 ]; then pk_ok "our server refuses PORT/EPRT bounce, path escapes, anonymous writes, bad passwords"
  else pk_fail "hostile commands against our server" "see logs/hostile.log"; fi
}

start_vsftpd() {
  # vsftpd's throwaway user must be able to enter its home, so it lives outside the checkout:
  # a clone under a private directory (mktemp -d is mode 0700) would lock that user out.
  local home
  home=$(mktemp -d /var/tmp/protokit-vsftpd.XXXXXX) && chmod 0755 "$home"
  pk_undo "rm -rf '$home'"
  pk_add_user "$VS_USER" "$home" "$PW" || { pk_fail "vsftpd user" "useradd failed"; return 1; }
  VSFTPD=$(pk_free_port tcp)
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
ssl_enable=YES
force_local_logins_ssl=NO
force_local_data_ssl=NO
require_ssl_reuse=YES
rsa_cert_file=$OUT/vs-cert.pem
rsa_private_key_file=$OUT/vs-key.pem
EOF
  pk_spawn vsftpd /usr/sbin/vsftpd "$OUT/vsftpd.conf"
  pk_wait_tcp "$VSFTPD" || { pk_fail "vsftpd start" "see logs/vsftpd.log"; return 1; }
  VS_HOME=$home
}

# client_vs NAME URL SERVER-DIR [FLAGS...]: our client's subcommands against another server.
client_vs() {
  local name=$1 url=$2 dir=$3; shift 3
  local got=$OUT/got/client-$name && mkdir -p "$got"
  pk_run "$name-ls" "${CLIENT[@]}" ls -q "$@" "$url/" && grep -q five-mb.bin "$OUT/logs/$name-ls.log" \
    && pk_ok "ftp-lite ls -> $name" || pk_fail "ftp-lite ls -> $name"
  pk_run "$name-get" "${CLIENT[@]}" get -q "$@" "$url/five-mb.bin" "$got/get.bin"; pk_check_sha "ftp-lite get -> $name" "$SRC/five-mb.bin" "$got/get.bin"
  pk_run "$name-put" "${CLIENT[@]}" put -q "$@" "$SRC/five-mb.bin" "$url/put.bin"; pk_check_sha "ftp-lite put -> $name" "$SRC/five-mb.bin" "$dir/put.bin"
  head -c 2000000 "$SRC/five-mb.bin" >"$got/resume.bin"
  pk_run "$name-get-c" "${CLIENT[@]}" get -c -q "$@" "$url/five-mb.bin" "$got/resume.bin"; pk_check_sha "ftp-lite get -c -> $name" "$SRC/five-mb.bin" "$got/resume.bin"
  head -c 3000000 "$SRC/five-mb.bin" >"$dir/resume.bin" && chown --reference="$dir" "$dir/resume.bin"
  pk_run "$name-put-c" "${CLIENT[@]}" put -c -q "$@" "$SRC/five-mb.bin" "$url/resume.bin"; pk_check_sha "ftp-lite put -c -> $name" "$SRC/five-mb.bin" "$dir/resume.bin"
  pk_run "$name-mirror" "${CLIENT[@]}" mirror -q "$@" "$url/tree" "$got/tree"; pk_check_tree "ftp-lite mirror -> $name" "$SRC/tree" "$got/tree"
  pk_run "$name-mirror-R" "${CLIENT[@]}" mirror -R -q "$@" "$url/tree-up" "$SRC/tree"; pk_check_tree "ftp-lite mirror -R -> $name" "$SRC/tree" "$dir/tree-up"
  # three client JVMs in a row: on a loaded 2-core box that can take more than a minute
  PK_TIMEOUT=180 pk_expect "ftp-lite mkdir, mv, rm -> $name" bash -c "$(printf '%q ' "${CLIENT[@]}") mkdir $* $url/made && \
    $(printf '%q ' "${CLIENT[@]}") mv $* $url/put.bin made/moved.bin && $(printf '%q ' "${CLIENT[@]}") rm -r $* $url/made && [ ! -e '$dir/made' ]"
}

# peer_home VAR NAME: VAR = a new home for a proftpd/pure-ftpd virtual user, outside the checkout
# (the daemon enters it as PEER_UID), holding the test files and ro/, which it may not write to.
peer_home() {
  local _pk_home
  _pk_home=$(mktemp -d "/var/tmp/protokit-$2.XXXXXX") && chmod 0755 "$_pk_home" || return 1
  pk_undo "rm -rf '$_pk_home'"
  cp -r "$SRC"/* "$_pk_home"/ && mkdir "$_pk_home/ro" && echo kept >"$_pk_home/ro/kept.txt"
  chown -R "$PEER_UID:$PEER_UID" "$_pk_home" && chmod 0555 "$_pk_home/ro"
  printf -v "$1" '%s' "$_pk_home"
}

# ProFTPD 1.3.8 from its unpacked .debs: standalone in the foreground (-n), our config only, one
# virtual user from an AuthUserFile (sha512-crypt), mod_tls loaded for AUTH TLS with its default
# of requiring TLS session reuse on data connections.
start_proftpd() {
  local x=$PEERS/root conf=$OUT/proftpd.conf
  peer_home PRO_HOME proftpd && PROFTPD=$(pk_free_port tcp) || return 1
  printf 'pkuser:%s:%s:%s::%s:/bin/sh\n' "$(openssl passwd -6 "$PW")" "$PEER_UID" "$PEER_UID" "$PRO_HOME" >"$OUT/proftpd.passwd"
  chmod 0600 "$OUT/proftpd.passwd"
  cat >"$conf" <<EOF
ServerType standalone
Port $PROFTPD
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
PidFile $OUT/proftpd.pid
ScoreboardFile $OUT/proftpd.scoreboard
ModulePath $x/usr/lib/proftpd
LoadModule mod_tls.c
AuthOrder mod_auth_file.c
AuthUserFile $OUT/proftpd.passwd
RequireValidShell off
DefaultRoot ~
WtmpLog off
UseReverseDNS off
DelayEngine off
TransferLog none
SystemLog $OUT/logs/proftpd-system.log
Umask 022
AllowOverwrite on
AllowStoreRestart on
TLSEngine on
TLSRequired off
TLSProtocol TLSv1.2 TLSv1.3
TLSRSACertificateFile $OUT/vs-cert.pem
TLSRSACertificateKeyFile $OUT/vs-key.pem
TLSLog $OUT/logs/proftpd-tls.log
EOF
  pk_spawn proftpd "$x/usr/sbin/proftpd" -n -q -c "$conf"
  pk_wait_tcp "$PROFTPD" || { pk_fail "proftpd start" "see logs/proftpd.log"; return 1; }
}

# Pure-FTPd 1.0.50 from its unpacked .debs, in the foreground with flags only: one virtual user
# in a PureDB made by pure-pw, chrooted (-A), no anonymous (-E), TLS optional (-Y 1).
start_pureftpd() {
  local x=$PEERS/root
  peer_home PURE_HOME pureftpd && PUREFTPD=$(pk_free_port tcp) || return 1
  printf 'pkuser:%s:%s:%s::%s/./::::::::::::\n' "$(openssl passwd -6 "$PW")" "$PEER_UID" "$PEER_UID" "$PURE_HOME" >"$OUT/pureftpd.passwd"
  "$x/usr/bin/pure-pw" mkdb "$OUT/pureftpd.pdb" -f "$OUT/pureftpd.passwd" || { pk_fail "pure-pw mkdb"; return 1; }
  pk_spawn pureftpd "$x/usr/sbin/pure-ftpd" -S "127.0.0.1,$PUREFTPD" -l "puredb:$OUT/pureftpd.pdb" -E -A -H -4 \
    -Y 1 -2 "$OUT/vs-cert.pem,$OUT/vs-key.pem" -g "$OUT/pureftpd.pid"
  pk_wait_tcp "$PUREFTPD" || { pk_fail "pure-ftpd start" "see logs/pureftpd.log"; return 1; }
}

# client_refused NAME WANT COMMAND...: our client must fail with exit status 4 (the server
# refused) and say why on one line that holds the server's reply code WANT (a regex).
client_refused() {
  local name=$1 want=$2 slug status; shift 2
  slug=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-')
  pk_run "$slug" "$@"; status=$?
  if [ "$status" = 4 ] && [ "$(wc -l <"$OUT/logs/$slug.log")" = 1 ] && grep -Eq "^ftp-lite: .*\b($want)\b" "$OUT/logs/$slug.log"
  then pk_ok "$name: exit 4, $(cat "$OUT/logs/$slug.log")"; else pk_fail "$name" "exit $status, see logs/$slug.log"; fi
}

# client_vs_peer NAME URL HOME [FLAGS...]: our client against a server of another kind, in as
# few runs as cover it (each is a JVM start): ls, get -c and put -c (resumed: REST+RETR, APPE),
# mirror -R (uploads in a row), and a missing file and a read-only directory, which must give
# exit status 4 and one line holding the server's 55x reply.
client_vs_peer() {
  local name=$1 url=$2 dir=$3; shift 3
  local got=$OUT/got/client-$name && mkdir -p "$got"
  pk_run "$name-ls" "${CLIENT[@]}" ls -l "$@" "$url/tree" && grep -q ' a.bin$' "$OUT/logs/$name-ls.log" \
    && grep -q '^d.* sub dir$' "$OUT/logs/$name-ls.log" && pk_ok "ftp-lite ls -l -> $name" || pk_fail "ftp-lite ls -l -> $name" "see logs/$name-ls.log"
  head -c 2000000 "$SRC/five-mb.bin" >"$got/resume.bin"
  pk_run "$name-get-c" "${CLIENT[@]}" get -c -q "$@" "$url/five-mb.bin" "$got/resume.bin"; pk_check_sha "ftp-lite get -c -> $name" "$SRC/five-mb.bin" "$got/resume.bin"
  head -c 3000000 "$SRC/five-mb.bin" >"$dir/resume.bin" && chown --reference="$dir" "$dir/resume.bin"
  pk_run "$name-put-c" "${CLIENT[@]}" put -c -q "$@" "$SRC/five-mb.bin" "$url/resume.bin"; pk_check_sha "ftp-lite put -c -> $name" "$SRC/five-mb.bin" "$dir/resume.bin"
  pk_run "$name-mirror-R" "${CLIENT[@]}" mirror -R -q "$@" "$url/tree-up" "$SRC/tree"; pk_check_tree "ftp-lite mirror -R -> $name" "$SRC/tree" "$dir/tree-up"
  client_refused "ftp-lite get of a missing file -> $name" 550 "${CLIENT[@]}" get -q "$@" "$url/missing.bin" "$got/missing"
  [ ! -e "$got/missing" ] || pk_fail "ftp-lite get of a missing file -> $name" "left a local file"
  client_refused "ftp-lite put into a read-only directory -> $name" '55[03]' "${CLIENT[@]}" put -q "$@" "$SRC/small.txt" "$url/ro/new.txt"
}

# Our client against ProFTPD over TLS (by default it requires every data connection to resume
# the control session: mirror -R makes several uploads in a row) and Pure-FTPd in plain FTP, then
# a TLS get and put there.
client_vs_peers() {
  if start_proftpd; then
    local pro=ftp://pkuser:$PW@127.0.0.1:$PROFTPD
    client_vs_peer proftpd-tls "$pro" "$PRO_HOME" --tls --ca-file "$OUT/vs-cert.pem"
    local c="$(printf '%q ' "${CLIENT[@]}")" t="--tls --ca-file $OUT/vs-cert.pem"
    PK_TIMEOUT=180 pk_expect "ftp-lite mkdir, mv, rm --tls -> proftpd" bash -c "$c mkdir $t $pro/made && \
      $c mv $t $pro/resume.bin made/moved.bin && $c rm -r $t $pro/made && [ ! -e '$PRO_HOME/made' ]"
    grep -q 'data connection accepted.*resumed session' "$OUT/logs/proftpd-tls.log" && ! grep -q 'did not reuse' "$OUT/logs/proftpd-tls.log" \
      && pk_ok "ftp-lite --tls -> proftpd: every data connection resumes the control session" \
      || pk_fail "ftp-lite --tls -> proftpd: TLS session reuse" "see logs/proftpd-tls.log"
  fi
  if start_pureftpd; then
    client_vs_peer pureftpd "ftp://pkuser:$PW@127.0.0.1:$PUREFTPD" "$PURE_HOME"
    client_tls_vs pureftpd "ftp://pkuser:$PW@127.0.0.1:$PUREFTPD" "$PURE_HOME"
  fi
}

# client_tls_vs NAME URL HOME: get and put with --tls (AUTH TLS, PROT P), the certificate checked.
client_tls_vs() {
  pk_run "$1-tls-get" "${CLIENT[@]}" get -q --tls --ca-file "$OUT/vs-cert.pem" "$2/five-mb.bin" "$OUT/got/$1-tls.bin"
  pk_check_sha "ftp-lite get --tls -> $1" "$SRC/five-mb.bin" "$OUT/got/$1-tls.bin"
  pk_run "$1-tls-put" "${CLIENT[@]}" put -q --tls --ca-file "$OUT/vs-cert.pem" "$SRC/five-mb.bin" "$2/tls.bin"
  pk_check_sha "ftp-lite put --tls -> $1" "$SRC/five-mb.bin" "$3/tls.bin"
}

# killed_uploads: curl killed (SIGKILL) in the middle of a STOR, and our server stopped (SIGTERM)
# in the middle of another, on a server of their own: neither half file may appear under its
# name; each stays a hidden part, and after a restart `curl -C - -T` completes the second.
killed_uploads() {
  local root=$OUT/killroot port pid curl_pid part fifo=$OUT/upload.fifo status
  mkdir -p "$root" && head -c 3000000 /dev/urandom >"$OUT/killed-src.bin" && head -c 400000 "$OUT/killed-src.bin" >"$OUT/killed-head.bin"
  PK_LISTENER=ftp-lite pk_daemon ours-kill port "${SERVER[@]}" --bind 127.0.0.1 --port 0 --root "$root" --users "$USERS" \
    --state-dir "$OUT/state-kill" --shutdown-grace 1s || return
  pid=$PK_PID
  # wait_part NAME: waits up to 60 s for alice's hidden part of NAME (UploadParts.partName: the
  # first 32 hex digits of SHA-256 over "alice", NUL, NAME) to hold the 400,000 bytes sent.
  wait_part() {
    local i
    part=$root/.ftp-lite-upload-r$(printf 'alice\0%s' "$1" | sha256sum | cut -c1-32).part
    for i in $(seq 1 600); do
      [ "$(stat -c %s "$part" 2>/dev/null)" = 400000 ] && return 0
      sleep 0.1
    done
    return 1
  }
  for what in curl-killed server-stopped; do
    rm -f "$fifo" && mkfifo "$fifo"
    curl -sS --max-time 120 -T - "ftp://alice:$PW@127.0.0.1:$port/$what.bin" <"$fifo" >"$OUT/logs/$what.log" 2>&1 &
    curl_pid=$!
    exec 7>"$fifo"
    cat "$OUT/killed-head.bin" >&7   # the writer stays open: curl waits for the rest of the file
    if ! wait_part "$what.bin"; then pk_fail "$what: the part of the upload arrives" "see logs/$what.log"; exec 7>&-; kill "$curl_pid" 2>/dev/null; continue; fi
    if [ "$what" = curl-killed ]; then
      kill -KILL "$curl_pid"; wait "$curl_pid" 2>/dev/null
    else
      kill -TERM "$pid"; wait "$pid"; status=$?
      [ "$status" -eq 0 ] && pk_ok "our server stopped by SIGTERM during a STOR exits 0" || pk_fail "our server SIGTERM during a STOR" "exit $status"
      exec 7>&-   # else curl waits for the rest of its input until --max-time
      wait "$curl_pid" 2>/dev/null
    fi
    exec 7>&-
    sleep 1   # the server decides within its 20 ms window; a second is far beyond it
    if [ ! -e "$root/$what.bin" ] && [ "$(stat -c %s "$part" 2>/dev/null)" = 400000 ]; then
      pk_ok "$what mid-STOR: no half file under its name, the 400,000 bytes kept as a hidden part"
    else
      pk_fail "$what mid-STOR" "$(ls -la "$root")"
    fi
  done
  PK_LISTENER=ftp-lite pk_daemon ours-kill-again port "${SERVER[@]}" --bind 127.0.0.1 --port 0 --root "$root" \
    --users "$USERS" --state-dir "$OUT/state-kill" || return
  pk_run resume-after-stop curl -sS -C - -T "$OUT/killed-src.bin" "ftp://alice:$PW@127.0.0.1:$port/server-stopped.bin"
  pk_check_sha "curl -C - -T completes the upload cut by the server's SIGTERM, after a restart" "$OUT/killed-src.bin" "$root/server-stopped.bin"
}

main() {
  pk_need_root "installs packages, adds a throwaway user for vsftpd"
  pk_clean_out
  install_tools
  build
  make_files
  start_ours
  argon2_both_ways
  tools_vs_ours
  stou_vs_ours
  gftp_vs_ours
  wget_vs_ours
  ncftp_vs_ours
  inetutils_vs_ours
  ftpssl_vs_ours
  rclone_vs_ours
  hostile_vs_ours
  killed_uploads
  client_vs ours-ca "ftp://alice:$PW@127.0.0.1:$OURS" "$ROOT" --tls --ca-file "$OUT/cert.pem"
  pk_run ours-implicit "${CLIENT[@]}" get -q --ca-file "$OUT/cert.pem" "ftps://alice:$PW@127.0.0.1:$OURS_TLS/five-mb.bin" "$OUT/got/implicit.bin"
  pk_check_sha "ftp-lite get ftps:// (implicit TLS, CA verified) -> ours" "$SRC/five-mb.bin" "$OUT/got/implicit.bin"
  pk_run ours-active "${CLIENT[@]}" get -q --active "ftp://alice:$PW@127.0.0.1:$OURS/five-mb.bin" "$OUT/got/active.bin"
  pk_check_sha "ftp-lite get --active -> ours" "$SRC/five-mb.bin" "$OUT/got/active.bin"
  if start_vsftpd; then
    client_vs vsftpd "ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD" "$VS_HOME"
    local got=$OUT/got/client-vsftpd
    pk_run vsftpd-tls "${CLIENT[@]}" get -q --tls --insecure "ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD/five-mb.bin" "$got/tls.bin"
    pk_check_sha "ftp-lite get --tls --insecure -> vsftpd (require_ssl_reuse=YES)" "$SRC/five-mb.bin" "$got/tls.bin"
    pk_run vsftpd-tls-put "${CLIENT[@]}" put -q --tls --insecure "$SRC/small.txt" "ftp://$VS_USER:$PW@127.0.0.1:$VSFTPD/tls.txt"
    pk_check_sha "ftp-lite put --tls --insecure -> vsftpd (require_ssl_reuse=YES)" "$SRC/small.txt" "$VS_HOME/tls.txt"
  fi
  local py=$OUT/pyftpd && mkdir -p "$py" && cp -r "$SRC"/* "$py"/
  local pyport
  pyport=$(pk_free_port tcp)
  pk_spawn pyftpdlib "$PY" -m pyftpdlib -i 127.0.0.1 -p "$pyport" -w -d "$py"
  if pk_wait_tcp "$pyport"; then client_vs pyftpdlib "ftp://127.0.0.1:$pyport" "$py"; else pk_fail "pyftpdlib start"; fi
  client_vs_peers
  pk_summary
}

main "$@"
