# Shared helpers for interop/ and bench/ scripts. Source it, never run it:
#
#   . "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
#   pk_init ftp                        # OUT=interop/out/ftp (or bench/out/NAME), logs, traps
#   pk_jar ftp-lite                    # builds when missing or older than its sources
#   pk_daemon ours PORT ftp-lite bin/ftp-lite-server --port 0 ...   # waits, reads the port
#   pk_ok "case"; pk_fail "case" "why"; pk_check_sha "case" want got
#   pk_summary                         # "N passed, N failed in Ns"; status 1 if any failed
#
# Every change to the host (a user added, a service stopped, a network namespace) goes through
# a pk_* function that registers its undo; the undo runs on exit, on Ctrl-C, SIGTERM and
# SIGHUP alike, in reverse order. What a SIGKILLed run left behind (users, namespaces named
# after a dead PID) is removed by the next run's pk_init.

PK_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
PK_PASSED=0
PK_FAILED=0
PK_PIDS=()
PK_UNDO=()
PK_T0=$(date +%s)

pk_log() { printf '%s\n' "$*" >&2; }

# pk_init NAME [interop|bench]: sets OUT (INTEROP_OUT overrides) with OUT/logs, installs the traps.
pk_init() {
  local name=$1 kind=${2:-interop}
  PK_NAME=$name
  if [ "$kind" = interop ]; then OUT=${INTEROP_OUT:-$PK_ROOT/interop/out/$name}; else OUT=$PK_ROOT/bench/out/$name; fi
  mkdir -p "$OUT/logs"
  trap pk_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  pk_sweep_stale
}

pk_need_root() { [ "$(id -u)" -eq 0 ] || { pk_log "$PK_NAME: run as root ($*)"; exit 1; }; }

# pk_undo COMMAND...: runs COMMAND (one shell string) at exit, after everything registered later.
pk_undo() { PK_UNDO+=("$*"); }

pk_cleanup() {
  local status=$? pid i
  trap - EXIT INT TERM HUP
  [ -n "${PK_RUNNING:-}" ] && kill "$PK_RUNNING" 2>/dev/null
  for pid in "${PK_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PK_PIDS[@]}"; do pk_reap "$pid"; done
  for ((i = ${#PK_UNDO[@]} - 1; i >= 0; i--)); do eval "${PK_UNDO[$i]}" >/dev/null 2>&1; done
  PK_UNDO=()
  exit "$status"
}

# pk_reap PID: waits up to 15 s for PID after a SIGTERM, then kills it.
pk_reap() {
  local pid=$1 i
  for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# ---- results ----------------------------------------------------------------------------

pk_ok() { PK_PASSED=$((PK_PASSED + 1)); printf 'PASS %s\n' "$1"; }
pk_fail() { PK_FAILED=$((PK_FAILED + 1)); printf 'FAIL %s%s\n' "$1" "${2:+ ($2)}"; }

pk_sha() { sha256sum <"$1" | cut -d' ' -f1; }

# pk_check_sha NAME EXPECTED-FILE ACTUAL-FILE: PASS when both exist with the same SHA-256.
pk_check_sha() {
  local name=$1 want=$2 got=$3
  if [ ! -f "$got" ]; then pk_fail "$name" "no file $got"; return; fi
  if [ "$(pk_sha "$want")" = "$(pk_sha "$got")" ]; then pk_ok "$name"; else pk_fail "$name" "sha256 differs: $got"; fi
}

# pk_check_tree NAME EXPECTED-DIR ACTUAL-DIR: same relative paths with the same SHA-256s.
pk_check_tree() {
  local name=$1 a b
  a=$(cd "$2" 2>/dev/null && find . -type f -exec sha256sum {} + | sort -k2)
  b=$(cd "$3" 2>/dev/null && find . -type f -exec sha256sum {} + | sort -k2)
  if [ -n "$a" ] && [ "$a" = "$b" ]; then pk_ok "$name"; else pk_fail "$name" "trees differ: $2 vs $3"; fi
}

# pk_run NAME COMMAND...: runs with a time limit (PK_TIMEOUT, 60 s), output to OUT/logs/NAME.log.
# Waited for in the background, so a SIGTERM to the script runs the traps at once (bash defers
# them until a foreground command ends) and the cleanup stops the command too.
pk_run() {
  local name=$1 status; shift
  timeout "${PK_TIMEOUT:-60}" "$@" <&0 >"$OUT/logs/$name.log" 2>&1 &
  PK_RUNNING=$!
  wait "$PK_RUNNING"; status=$?
  PK_RUNNING=
  return "$status"
}

# pk_expect NAME COMMAND...: PASS if the command succeeds.
pk_expect() {
  local name=$1 slug; shift
  slug=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-')
  if pk_run "$slug" "$@"; then pk_ok "$name"; else pk_fail "$name" "exit $?, see logs/$slug.log"; fi
}

# pk_summary: the last line of every script; returns 1 if any case failed.
pk_summary() {
  printf '\n%d passed, %d failed in %ds (logs in %s)\n' "$PK_PASSED" "$PK_FAILED" $(($(date +%s) - PK_T0)) "$OUT/logs"
  [ "$PK_FAILED" -eq 0 ]
}

# ---- Java and jars ------------------------------------------------------------------------

# pk_java: sets JAVA (a java >= 25) and exports JAVA_HOME to match.
pk_java() {
  # shellcheck source=../bin/_launch
  . "$PK_ROOT/bin/_launch"
  JAVA=$(_protokit_find_java) || { pk_log "$PK_NAME: needs a JDK 25 or newer (set JAVA_HOME)"; exit 1; }
  export JAVA_HOME
  JAVA_HOME=$(dirname "$(dirname "$JAVA")")
}

# pk_module_deps MODULE: MODULE and every reactor module it depends on, transitively.
pk_module_deps() {
  local todo=("$1") seen=" " m d
  while [ ${#todo[@]} -gt 0 ]; do
    m=${todo[0]}; todo=("${todo[@]:1}")
    case "$seen" in *" $m "*) continue ;; esac
    seen+="$m "
    echo "$m"
    for d in "$PK_ROOT"/*/pom.xml; do
      d=$(basename "$(dirname "$d")")
      [ "$d" != "$m" ] && grep -q "<artifactId>$d</artifactId>" "$PK_ROOT/$m/pom.xml" && todo+=("$d")
    done
  done
}

# pk_jar MODULE...: JAR_<module> (dashes as underscores) = MODULE's executable jar, built first
# when missing or older than any source or pom of MODULE and its modules. With PROTOKIT_HOME
# (an installed copy) the installed jar is used as it is.
pk_jar() {
  local m jar stale=() var
  pk_java
  for m in "$@"; do
    var=JAR_${m//-/_}
    if [ -n "${PROTOKIT_HOME:-}" ] && [ -f "$PROTOKIT_HOME/lib/$m.jar" ]; then
      printf -v "$var" '%s' "$PROTOKIT_HOME/lib/$m.jar"; continue
    fi
    jar=$(ls -t "$PK_ROOT/$m/target/$m"-*-all.jar 2>/dev/null | head -n1)
    if [ -z "$jar" ] || [ -n "$(pk_newer_than "$jar" "$m")" ]; then stale+=("$m"); fi
  done
  if [ ${#stale[@]} -gt 0 ]; then
    pk_log "$PK_NAME: building ${stale[*]} (jar missing or older than its sources)"
    (cd "$PK_ROOT" && ./mvnw -B -q -pl "$(IFS=,; echo "${stale[*]}")" -am package -DskipTests) \
      >"$OUT/logs/build.log" 2>&1 || { pk_log "$PK_NAME: build failed, see $OUT/logs/build.log"; exit 1; }
  fi
  for m in "$@"; do
    var=JAR_${m//-/_}
    [ -n "${!var:-}" ] && continue
    jar=$(ls -t "$PK_ROOT/$m/target/$m"-*-all.jar 2>/dev/null | head -n1)
    [ -n "$jar" ] || { pk_log "$PK_NAME: no jar for $m after the build"; exit 1; }
    printf -v "$var" '%s' "$jar"
  done
}

# pk_newer_than JAR MODULE: prints the first source or pom newer than JAR, if any.
pk_newer_than() {
  local jar=$1 d
  [ "$PK_ROOT/pom.xml" -nt "$jar" ] && { echo "$PK_ROOT/pom.xml"; return; }
  for d in $(pk_module_deps "$2"); do
    find "$PK_ROOT/$d/pom.xml" "$PK_ROOT/$d/src/main" -newer "$jar" -type f -print -quit 2>/dev/null | grep . && return
  done
}

# ---- processes and ports ------------------------------------------------------------------

# pk_spawn NAME COMMAND...: runs COMMAND in the background, output to OUT/logs/NAME.log;
# PK_PID is its PID, killed and reaped at exit.
pk_spawn() {
  local name=$1; shift
  # Emptied here, not by the child's redirection: the caller may read the log (pk_wait_port)
  # before the child runs, and would take a listening line left by the previous run.
  : >"$OUT/logs/$name.log"
  "$@" >>"$OUT/logs/$name.log" 2>&1 </dev/null &
  PK_PID=$!
  PK_PIDS+=("$PK_PID")
}

# pk_listen_port LOG [LISTENER]: the port of LISTENER's (default: any) "listening on" line in LOG.
pk_listen_port() {
  local log=$1 who=${2:-}
  sed -n "s/.*${who:+ $who [^ ]* }listening on [a-z]* .* port \([0-9][0-9]*\).*/\1/p" "$log" 2>/dev/null | head -n1
}

# pk_daemon NAME VAR COMMAND...: starts one of our daemons (its command line carries --port 0)
# and waits up to PK_START_TIMEOUT (30 s) for its listening line; VAR = the port it printed.
# With PK_LISTENER set, reads that listener's line (a daemon with more than one).
pk_daemon() {
  local _pk_name=$1 _pk_var=$2; shift 2
  pk_spawn "$_pk_name" "$@"
  pk_wait_port "$PK_PID" "$OUT/logs/$_pk_name.log" "${PK_LISTENER:-}" "$_pk_var" \
    || { pk_fail "$_pk_name starts" "no listening line, see logs/$_pk_name.log"; return 1; }
}

# pk_wait_port PID LOG LISTENER VAR: waits for LISTENER's (or, when empty, any) listening line
# in LOG while PID lives; VAR = its port. Also for a daemon's second listener.
pk_wait_port() {
  local _pk_found="" _pk_i
  for _pk_i in $(seq 1 $((${PK_START_TIMEOUT:-30} * 10))); do
    _pk_found=$(pk_listen_port "$2" "$3")
    [ -n "$_pk_found" ] && break
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$_pk_found" ] || return 1
  printf -v "$4" '%s' "$_pk_found"
}

# pk_clean_out: empties OUT but for its logs directory, whose files it empties too.
pk_clean_out() {
  find "$OUT" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  find "$OUT/logs" -mindepth 1 -delete
}

# pk_free_port tcp|udp [N]: N (default 1) ports free on 127.0.0.1 right now, for peers (vsftpd,
# in.tftpd ...) that cannot report the port they bound. The kernel picks them.
pk_free_port() {
  python3 - "$1" "${2:-1}" <<'EOF'
import socket, sys
kind = socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM
held = []
for _ in range(int(sys.argv[2])):
    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

# pk_wait_tcp PORT / pk_wait_udp PORT [NETNS]: waits up to 15 s until something listens there.
pk_wait_tcp() {
  local i
  for i in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
pk_wait_udp() {
  local port=$1 ns=${2:-} i
  for i in $(seq 1 150); do
    ${ns:+ip netns exec "$ns"} ss -Huln "sport = :$port" | grep -q . && return 0
    sleep 0.1
  done
  return 1
}

# ---- host changes, each with its undo -----------------------------------------------------

# pk_apt PACKAGE...: installs the missing ones (as root; waits for the apt lock).
pk_apt() {
  local need=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  [ ${#need[@]} -eq 0 ] && return 0
  pk_log "$PK_NAME: installing ${need[*]}"
  { apt-get -o DPkg::Lock::Timeout=300 update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}"; } \
    >"$OUT/logs/apt.log" 2>&1 || { pk_log "$PK_NAME: apt-get install failed, see $OUT/logs/apt.log"; exit 1; }
}

# pk_deb_unpack DIR PACKAGE...: downloads the packages' .debs (apt-get download, no install, no
# maintainer scripts) and unpacks them into DIR, for a peer whose package cannot be installed
# beside another (two FTP daemons conflict in Debian: Conflicts: ftp-server). Their library
# dependencies must be installed with pk_apt. Skipped when DIR/.unpacked lists the same .debs.
pk_deb_unpack() {
  local dir=$1 deb; shift
  mkdir -p "$dir/debs"
  (cd "$dir/debs" && apt-get -o DPkg::Lock::Timeout=300 download "$@") >"$OUT/logs/apt-download.log" 2>&1 \
    || { pk_log "$PK_NAME: apt-get download $* failed, see $OUT/logs/apt-download.log"; return 1; }
  [ "$(ls "$dir/debs" | sort)" = "$(cat "$dir/.unpacked" 2>/dev/null)" ] && return 0
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root" || return 1; done
  ls "$dir/debs" | sort >"$dir/.unpacked"
}

# pk_pause_service NAME: stops a system service that apt may have started (it would hold a
# well-known port) and starts it again at exit if it was running.
pk_pause_service() {
  local name=$1
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$name" 2>/dev/null; then
    systemctl stop "$name" && pk_undo "systemctl start $name"
  elif service "$name" status >/dev/null 2>&1; then
    service "$name" stop >/dev/null 2>&1 && pk_undo "service $name start"
  fi
  return 0
}

# pk_add_user NAME HOME PASSWORD: a throwaway local user (no home created), deleted at exit.
# Its name carries the marker pk_sweep_stale looks for: its GECOS field holds our PID.
pk_add_user() {
  local name=$1 home=$2 pw=$3
  id "$name" >/dev/null 2>&1 && userdel "$name" >/dev/null 2>&1
  useradd -M -d "$home" -s /bin/sh -c "protokit-interop pid $$" "$name" || return 1
  pk_undo "userdel $name"
  echo "$name:$pw" | chpasswd
}

# pk_netns NAME: creates network namespace pk-NAME-libPID with loopback up; PK_NETNS is its name.
# Deleted at exit with every process still inside it (nft tables inside go with it).
pk_netns() {
  PK_NETNS=pk-$1-lib$$
  ip netns add "$PK_NETNS" || return 1
  pk_undo "ip netns pids $PK_NETNS | xargs -r kill -KILL; ip netns del $PK_NETNS"
  ip -n "$PK_NETNS" link set lo up
}

# Removes what an earlier, SIGKILLed run left: users and namespaces whose owner PID is gone.
pk_sweep_stale() {
  [ "$(id -u)" -eq 0 ] || return 0
  local line name pid ns
  while IFS=: read -r name _ _ _ line _; do
    case "$line" in "protokit-interop pid "*) pid=${line##* } ;; *) continue ;; esac
    kill -0 "$pid" 2>/dev/null || userdel "$name" >/dev/null 2>&1
  done </etc/passwd
  command -v ip >/dev/null || return 0
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    case "$ns" in pk-*-lib[0-9]*) pid=${ns##*-lib} ;; *) continue ;; esac
    kill -0 "$pid" 2>/dev/null && continue
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  return 0
}
