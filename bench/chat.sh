#!/usr/bin/env bash
# IRC fan-out benchmark: the same load against chat-server, ngircd and InspIRCd in one run.
# N clients register at once and join channels of CHANNEL members (default: all in one; time
# until all have their 366), the idle resident memory per client is read from /proc, then 10
# members of the first channel send MESSAGES lines at an aggregate RATE per second and every
# member of that channel measures end-to-end latency. Idle memory is read IDLE seconds (10)
# after the last join. The servers' CPU time per registration
# and per delivered line is read from /proc too: unlike wall-clock figures, it does not depend
# on what else runs on the machine (the load average is printed with the table).
#
#   N=500 RATE=200 MESSAGES=2000 bench/chat.sh      (installs ngircd and inspircd as root)
#   N=10000 CHANNEL=2000 RATE=500 MESSAGES=5000 bench/chat.sh     the issue's scale
# Ours runs through bin/chat-server (its JVM flags and AOT cache), plus OURS_JAVA_OPTS; a second run of ours
# sends the same load through IRC over WebSocket (the web listener; WS=0 skips it).
# ROWS=ours-ws (a comma-separated subset of ours,ours-ws,ngircd,inspircd) runs only those rows.
# Output: bench/out/chat/results.txt and a ratio table (ours / the better peer) on stdout.
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init chat bench
N=${N:-500}; RATE=${RATE:-200}; MESSAGES=${MESSAGES:-2000}; CHANNEL=${CHANNEL:-$N}
[ "$(id -u)" -eq 0 ] && pk_apt ngircd inspircd
pk_pause_service ngircd
pk_pause_service inspircd
pk_jar chat-server
# Each side of N connections needs N descriptors (the load generator and each server).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -gt $((N + 200)) ] || { pk_log "chat bench: ulimit -n $(ulimit -n) is too low for N=$N"; exit 1; }
RESULTS=$OUT/results.txt
row() { [[ ",${ROWS:-ours,ours-ws,ngircd,inspircd}," == *",$1,"* ]]; }
: > "$RESULTS"

load() { # name port pid [ws]
  "$JAVA" -Didle.seconds="${IDLE:-10}" bench/ChatLoad.java 127.0.0.1 "$2" "$N" "$RATE" "$MESSAGES" "$3" "$CHANNEL" ${4:-} > "$OUT/logs/load-$1.log" 2>&1
  printf '%s %s load_average=%s\n' "$1" "$(tail -n1 "$OUT/logs/load-$1.log")" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
}

cd "$PK_ROOT"
# The launcher's ahead-of-time cache for this jar and these flags (bin/_launch), trained now rather
# than in the background while rows run; PROTOKIT_AOT=off bench/chat.sh measures without it.
if [ "${PROTOKIT_AOT:-}" != off ] && { row ours || row ours-ws; }; then
  pk_log "training the launcher's AOT cache for this jar (once)"
  JAVA_OPTS=${OURS_JAVA_OPTS:-} PROTOKIT_AOT=foreground bin/chat-server --version >/dev/null
fi
# ours
if row ours; then
  mkdir -p "$OUT/state" && chmod 700 "$OUT/state"
  JAVA_OPTS=${OURS_JAVA_OPTS:-} PK_LISTENER=chat-server-irc pk_daemon ours PORT bin/chat-server --bind 127.0.0.1 --port 0 \
    --irc-port 0 --irc-tls-port 0 --state-dir "$OUT/state" --max-connections 20000 --max-per-address 20000 \
    --flood-burst 10000 --flood-rate 100000 --max-sendq 1048576 --history-retention 0 && { load ours "$PORT" "$PK_PID"; kill "$PK_PID"; }
fi

# ours, the same load through IRC over WebSocket (the web listener, plain HTTP on loopback)
if [ "${WS:-1}" = 1 ] && row ours-ws; then
  mkdir -p "$OUT/state-ws" && chmod 700 "$OUT/state-ws"
  JAVA_OPTS=${OURS_JAVA_OPTS:-} PK_LISTENER=chat-server-web pk_daemon ours-ws PORT bin/chat-server --bind 127.0.0.1 --port 0 \
    --irc-port 0 --irc-tls-port 0 --web-port 0 --web-plain --state-dir "$OUT/state-ws" --max-connections 20000 \
    --max-per-address 20000 --flood-burst 10000 --flood-rate 100000 --max-sendq 1048576 --history-retention 0 \
    && { load ours-ws "$PORT" "$PK_PID" ws; kill "$PK_PID"; }
fi

# ngircd
if command -v ngircd >/dev/null && row ngircd; then
  P=$(pk_free_port tcp)
  cat > "$OUT/ngircd.conf" <<CONF
[Global]
Name = bench.ngircd
Info = bench
Listen = 127.0.0.1
Ports = $P
[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
MaxPenaltyTime = 0
PingTimeout = 300
PongTimeout = 300
[Options]
DNS = no
Ident = no
PAM = no
CONF
  pk_spawn ngircd ngircd -n -f "$OUT/ngircd.conf"
  pk_wait_tcp "$P" && load ngircd "$P" "$PK_PID"
  kill "$PK_PID"
fi

# InspIRCd
if [ -x /usr/sbin/inspircd ] && row inspircd; then
  P=$(pk_free_port tcp)
  mkdir -p "$OUT/insp"
  cat > "$OUT/insp/inspircd.conf" <<CONF
<server name="bench.inspircd" description="bench" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="$P" type="clients">
<connect name="main" allow="*" maxchans="20" timeout="60" pingfreq="300" hardsendq="16M" softsendq="8M" recvq="64K"
         threshold="1000000" commandrate="100000000" fakelag="no" localmax="100000" globalmax="100000"
         useident="no" limit="100000" resolvehostnames="no" maxconnwarn="no">
<pid file="$OUT/insp/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$OUT/insp/ircd.log">
<performance netbuffersize="10240" somaxconn="4096" softlimit="100000" clonesonconnect="no" quietbursts="yes">
<limits maxnick="30" maxchan="64" maxmodes="20" maxident="11" maxquit="255" maxtopic="307" maxkick="255" maxreal="128" maxaway="200">
<security hidewhois="" userstats="Pu" customversion="" flatlinks="no" announceinvites="dynamic" hideulines="no">
<dns timeout="1">
CONF
  pk_spawn inspircd /usr/sbin/inspircd --nofork --runasroot --config="$OUT/insp/inspircd.conf"
  pk_wait_tcp "$P" && load inspircd "$P" "$PK_PID"
  kill "$PK_PID"
fi

python3 - "$RESULTS" "$N" "$RATE" "$CHANNEL" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, *kv = line.split()
    d = dict(x.split("=", 1) for x in kv if "=" in x)
    rows[name] = d
def val(name, key):
    try: return float(rows[name][key])
    except Exception: return None
metrics = [("clients registered and joined", "joined", True), ("time for N clients to register (s)", "register_s", False), ("messages delivered/s", "deliveries_per_s", True),
           ("p50 fan-out latency (ms)", "p50_ms", False), ("p99 fan-out latency (ms)", "p99_ms", False),
           ("RSS per idle client (KiB)", "kib_per_client", False),
           ("server CPU per registration (ms)", "cpu_register_ms_per_client", False),
           ("server CPU per delivered line (us)", "cpu_us_per_delivery", False)]
loads = " ".join("%s %s" % (k, d.get("load_average", "?")) for k, d in rows.items())
print("\nN=%s clients, %s in the measured channel, %s msg/s aggregate (load average at the end of each: %s)\n"
      % (sys.argv[2], sys.argv[4], sys.argv[3], loads))
print("| metric | ours | ours (WebSocket) | ngircd | InspIRCd | ours vs better peer |")
print("|---|---|---|---|---|---|")
# Rows whose value depends on how many clients a server took (the fan-out size) compare ours only
# with peers that registered as many clients as ours; a peer that took fewer did a smaller job, and
# its figure is starred. Per-client and per-line rows compare with every peer.
fanout_sized = {"register_s", "deliveries_per_s", "p50_ms", "p99_ms"}
ours_joined = val("ours", "joined") or 0
starred = False
for label, key, higher in metrics:
    o, w = val("ours", key), val("ours-ws", key)
    cells, peers = [], []
    for name in ("ngircd", "inspircd"):
        x = val(name, key)
        smaller = key in fanout_sized and x is not None and (val(name, "joined") or 0) < ours_joined
        starred |= smaller
        cells.append((x, smaller))
        if x is not None and x > 0 and not smaller:
            peers.append(x)
    ratio = ""
    if o and peers:
        best = max(peers) if higher else min(peers)
        ratio = "%.2fx" % ((o / best) if higher else (best / o))
    f = lambda x: "n/a" if x is None else ("%.0f" % x if x >= 1000 else "%.1f" % x)
    g = lambda cell: f(cell[0]) + ("*" if cell[1] else "")
    print("| %s | %s | %s | %s | %s | %s |" % (label, f(o), f(w), g(cells[0]), g(cells[1]), ratio))
if starred:
    print("\n\\* registered fewer clients than ours (a smaller fan-out): not in the ratio of that row")
PY
