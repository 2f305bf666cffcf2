#!/usr/bin/env bash
# chat-server's IRC side against standard clients: irssi (SASL PLAIN over TLS) and WeeChat
# (SASL SCRAM-SHA-256), driven headless under tmux and through WeeChat's FIFO, in one channel
# with raw stdlib clients (interop/chat_irc.py); history paging (CHATHISTORY, which neither
# client pages by itself, sent raw through irssi's /quote and read back from its raw log);
# raw abuse (overlong line, LF alone, bare CR, NUL, flood, clients that never read); the small
# clients ii (files) and sic (stdin) on plain IRC, catgirl (curses, TLS only) with SASL PLAIN;
# the python3-irc library's bots (plain, and TLS with PASS), ircII, EPIC5 and finch (libpurple)
# under tmux: messages both ways, WHOIS, NAMES, TOPIC, MODE, KICK, QUIT.
# Installs irssi, weechat-headless (and weechat-plugins, which holds the FIFO), ii, sic,
# catgirl, python3-irc, ircii, epic5, finch and tmux when run as root. Ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init chat
pk_clean_out
[ "$(id -u)" -eq 0 ] && pk_apt irssi weechat-headless weechat-plugins tmux socat ii sic catgirl python3-irc ircii epic5 finch
for tool in irssi weechat-headless tmux socat ii sic catgirl python3 ircII epic5 finch; do
  command -v "$tool" >/dev/null || { pk_log "chat: $tool is missing (run as root to install it)"; exit 1; }
done
/usr/bin/python3 -c 'import irc.bot' 2>/dev/null || { pk_log "chat: python3-irc is missing (run as root to install it)"; exit 1; }
pk_jar chat-server
PY="python3 $PK_ROOT/interop/chat_irc.py"
STATE=$OUT/state
mkdir -p "$STATE" "$OUT/state-fast" && chmod 700 "$STATE" "$OUT/state-fast"
TMUX_SOCKET=pk-chatcore-$$
pk_undo "tmux -L $TMUX_SOCKET kill-server"

for who in carol dave alice erin; do
  echo "$who-pw" | "$JAVA" -jar "$JAR_chat_server" account add "$who" --password-stdin --state-dir "$STATE" \
    >"$OUT/logs/account-$who.log" 2>&1 || { pk_fail "account add $who" "see logs/account-$who.log"; }
done
if grep -q "$STATE/keys/carol.key" "$OUT/logs/account-carol.log" && [ "$(stat -c %a "$STATE/keys/carol.key")" = 600 ]; then
  pk_ok "account add prints the key file it wrote, mode 0600"
else
  pk_fail "account add prints the key file it wrote, mode 0600"
fi

TLS_PORT=$(pk_free_port tcp)
PK_LISTENER=chat-server-irc pk_daemon chat IRC_PORT "$JAVA" -jar "$JAR_chat_server" --bind 127.0.0.1 --port 0 \
  --irc-port 0 --irc-tls-port "$TLS_PORT" --state-dir "$STATE" --server-name irc.interop \
  --flood-burst 20 --flood-rate 10 --max-sendq 32768 || { pk_summary; exit 1; }
SERVER_PID=$PK_PID
pk_wait_tcp "$TLS_PORT"
pk_log "chat: IRC on $IRC_PORT, IRC over TLS on $TLS_PORT"

# --- raw stdlib clients -------------------------------------------------------------------
result() { # name, then a chat_irc.py case: its PASS/FAIL lines count here
  local name=$1 status; shift
  pk_run "$name" $PY "$@"; status=$?
  while read -r verdict rest; do
    case $verdict in PASS) pk_ok "$rest" ;; FAIL) pk_fail "$rest" ;; esac
  done < "$OUT/logs/$name.log"
  # A case killed by its time limit printed nothing: that is a failure too.
  grep -q '^FAIL' "$OUT/logs/$name.log" || [ "$status" -eq 0 ] || pk_fail "$name" "exit $status, see logs/$name.log"
}
result scram scram 127.0.0.1 "$IRC_PORT" alice alice-pw
result plain-tls plain-tls 127.0.0.1 "$TLS_PORT" alice alice-pw
result history history 127.0.0.1 "$IRC_PORT" alice alice-pw "#hist"

# --- irssi: SASL PLAIN over TLS, under tmux ---------------------------------------------
IRSSI=$OUT/irssi
mkdir -p "$IRSSI"
cat > "$IRSSI/config" <<CONF
servers = ( { address = "127.0.0.1"; chatnet = "pk"; port = "$TLS_PORT"; use_tls = "yes"; tls_verify = "no"; autoconnect = "yes"; } );
chatnets = { pk = { type = "IRC"; sasl_mechanism = "PLAIN"; sasl_username = "carol"; sasl_password = "carol-pw"; }; };
channels = ( { name = "#interop"; chatnet = "pk"; autojoin = "yes"; } );
settings = {
  core = { nick = "carol"; user_name = "carol"; real_name = "Carol"; };
  "fe-common/core" = { autolog = "yes"; autolog_path = "$IRSSI/logs/\$tag/\$0.log"; };
};
CONF
tmux -L "$TMUX_SOCKET" new-session -d -s irssi -x 200 -y 50 "irssi --home=$IRSSI"
waited=0
until grep -q "account=carol" "$OUT/logs/chat.log" 2>/dev/null || [ -f "$IRSSI/logs/pk/#interop.log" ] || [ $waited -ge 30 ]; do
  sleep 1; waited=$((waited + 1))
done
tmux -L "$TMUX_SOCKET" send-keys -t irssi "/rawlog open $IRSSI/raw.log" Enter

# --- WeeChat: SASL SCRAM-SHA-256, headless, through its FIFO ---------------------------
WEE=$OUT/weechat
mkdir -p "$WEE"
weechat-headless --dir "$WEE" --run-command \
  "/set fifo.file.path $WEE/fifo;/server add pk 127.0.0.1/$IRC_PORT -notls -sasl_mechanism=scram-sha-256 -sasl_username=dave -sasl_password=dave-pw -nicks=dave -autojoin=#interop;/set logger.file.path $WEE/logs;/set logger.file.flush_delay 0;/connect pk" \
  >"$OUT/logs/weechat.log" 2>&1 &
WEE_PID=$!
PK_PIDS+=("$WEE_PID")

in_channel() { # nick [channel]: true once the server's NAMES for the channel (#interop) lists it
  local out
  out=$(printf 'NICK probe%s\r\nUSER p 0 * :p\r\nNAMES %s\r\nQUIT\r\n' "$RANDOM" "${2:-#interop}" | timeout 10 socat - TCP:127.0.0.1:"$IRC_PORT" 2>/dev/null)
  grep -q " 353 .*[@+ :]$1\b" <<<"$out"
}
gone_from() { # channel nick...: true once none of the nicks is in the channel (within 5 s)
  local chan=$1 nick here; shift
  for _ in $(seq 1 20); do
    here=no
    for nick in "$@"; do in_channel "$nick" "$chan" && { here=yes; break; }; done
    [ $here = no ] && return 0
    sleep 0.25
  done
  return 1
}
for nick in carol dave; do
  for _ in $(seq 1 40); do in_channel "$nick" && break; sleep 0.5; done
  if in_channel "$nick"; then pk_ok "$nick logged in with SASL and joined #interop"; else pk_fail "$nick logged in with SASL and joined #interop"; fi
done

# Messages both ways: a raw client says something, both clients log it; each client answers.
$PY wait 127.0.0.1 "$IRC_PORT" watcher "#interop" "from weechat" 40 >"$OUT/logs/wait-weechat.log" 2>&1 &
W1=$!
$PY wait 127.0.0.1 "$IRC_PORT" watcher2 "#interop" "from irssi" 40 >"$OUT/logs/wait-irssi.log" 2>&1 &
W2=$!
for _ in $(seq 1 40); do grep -q READY "$OUT/logs/wait-weechat.log" && grep -q READY "$OUT/logs/wait-irssi.log" && break; sleep 0.5; done
$PY say 127.0.0.1 "$IRC_PORT" rawbot "#interop" "hello from a raw client" >"$OUT/logs/say.log" 2>&1
tmux -L "$TMUX_SOCKET" send-keys -t irssi "/msg #interop hello from irssi" Enter
FIFO=$(ls "$WEE"/fifo* 2>/dev/null | head -n1)
if [ -n "$FIFO" ]; then
  printf 'irc.pk.#interop *hello from weechat\n' > "$FIFO"
else
  pk_fail "weechat FIFO exists" "no fifo in $WEE"
fi
wait "$W1"; wait "$W2"
grep -q "^PASS" "$OUT/logs/wait-weechat.log" && pk_ok "WeeChat's message reached the channel" || pk_fail "WeeChat's message reached the channel" "see logs/wait-weechat.log"
grep -q "^PASS" "$OUT/logs/wait-irssi.log" && pk_ok "irssi's message reached the channel" || pk_fail "irssi's message reached the channel" "see logs/wait-irssi.log"
sleep 2
grep -rq "hello from a raw client" "$IRSSI/logs" 2>/dev/null && pk_ok "irssi received the raw client's message" || pk_fail "irssi received the raw client's message"
grep -rq "hello from a raw client" "$WEE/logs" 2>/dev/null && pk_ok "WeeChat received the raw client's message" || pk_fail "WeeChat received the raw client's message"

# History through irssi: CHATHISTORY sent raw; the batch shows in irssi's raw log.
tmux -L "$TMUX_SOCKET" send-keys -t irssi "/quote CHATHISTORY LATEST #interop * 10" Enter
# irssi does not ask for the batch capability, so the page comes as plain lines, with the
# stored time and the history form of the sender (nick!account@server).
replayed() { sed -n '/^<< CHATHISTORY/,$p' "$IRSSI/raw.log" 2>/dev/null | grep -q "time=.*@irc.interop PRIVMSG #interop :hello from a raw client"; }
for _ in $(seq 1 20); do replayed && break; sleep 0.5; done
if replayed; then
  pk_ok "irssi pages history with CHATHISTORY (stored time and sender)"
else
  pk_fail "irssi pages history with CHATHISTORY" "see $IRSSI/raw.log"
fi

# --- ii, sic and catgirl: register, join #small, talk both ways with a raw client -------------
# ii reads commands from FIFOs and writes what it hears to files; sic reads stdin (a FIFO the
# script holds open) and prints to stdout; catgirl (TLS only, curses) runs under tmux, logs in
# with SASL PLAIN and writes the raw protocol to a file (-v with stderr not a terminal).
SMALL=$OUT/small
mkdir -p "$SMALL/ii" "$SMALL/catgirl"
mkfifo "$SMALL/sic.in"
exec {SIC_IN}<>"$SMALL/sic.in"
sic -h 127.0.0.1 -p "$IRC_PORT" -n sicuser <"$SMALL/sic.in" >"$SMALL/sic.out" 2>&1 &
SIC_PID=$!
ii -s 127.0.0.1 -p "$IRC_PORT" -n iiuser -i "$SMALL/ii" >"$OUT/logs/ii.log" 2>&1 &
II_PID=$!
PK_PIDS+=("$SIC_PID" "$II_PID")
tmux -L "$TMUX_SOCKET" new-session -d -s catgirl -x 200 -y 50 \
  "env HOME=$SMALL/catgirl XDG_CONFIG_HOME=$SMALL/catgirl XDG_DATA_HOME=$SMALL/catgirl catgirl -! -v -h 127.0.0.1 -p $TLS_PORT -n erin -a erin:erin-pw -j '#small' 2>$SMALL/catgirl.raw"
II_IN=$SMALL/ii/127.0.0.1/in
for _ in $(seq 1 40); do [ -p "$II_IN" ] && grep -q ' 001 ' "$SMALL/sic.out" 2>/dev/null && break; sleep 0.25; done
printf ':j #small\n' >&"$SIC_IN"
[ -p "$II_IN" ] && timeout 5 sh -c "echo '/j #small' >'$II_IN'"
for nick in sicuser iiuser erin; do
  for _ in $(seq 1 40); do in_channel "$nick" "#small" && break; sleep 0.25; done
  if in_channel "$nick" "#small"; then pk_ok "$nick registered and joined #small"; else pk_fail "$nick registered and joined #small"; fi
done
grep -q " 903 erin " "$SMALL/catgirl.raw" && pk_ok "catgirl logged in with SASL PLAIN over TLS" \
  || pk_fail "catgirl logged in with SASL PLAIN over TLS" "see $SMALL/catgirl.raw"
W=()
for who in sic ii catgirl; do
  $PY wait 127.0.0.1 "$IRC_PORT" "w$who" "#small" "from $who" 20 >"$OUT/logs/wait-$who.log" 2>&1 &
  W+=("$!")
done
for _ in $(seq 1 40); do [ "$(cat "$OUT"/logs/wait-{sic,ii,catgirl}.log 2>/dev/null | grep -c READY)" -eq 3 ] && break; sleep 0.25; done
# One word: ii and sic read a message's text from the first ':', which the server must send.
$PY say 127.0.0.1 "$IRC_PORT" rawsmall "#small" "hello-small-clients" >"$OUT/logs/say-small.log" 2>&1
printf ':m #small from sic\n' >&"$SIC_IN"
# ii makes the channel's FIFO when it sees its own JOIN, which may come after NAMES lists it.
for _ in $(seq 1 20); do [ -p "$SMALL/ii/127.0.0.1/#small/in" ] && break; sleep 0.25; done
timeout 5 sh -c "echo 'from ii' >'$SMALL/ii/127.0.0.1/#small/in'"
# /msg names its target, whichever of catgirl's windows is active.
tmux -L "$TMUX_SOCKET" send-keys -t catgirl "/msg #small from catgirl" Enter
wait "${W[@]}"
for who in sic ii catgirl; do
  grep -q "^PASS" "$OUT/logs/wait-$who.log" && pk_ok "$who's message reached the channel" || pk_fail "$who's message reached the channel" "see logs/wait-$who.log"
done
heard() { # file: true once FILE shows the raw client's message (within 5 s)
  for _ in $(seq 1 20); do grep -q "<rawsmall> hello-small-clients" "$1" 2>/dev/null && return 0; sleep 0.25; done
  return 1
}
heard "$SMALL/sic.out" && pk_ok "sic received the raw client's message" || pk_fail "sic received the raw client's message" "see $SMALL/sic.out"
heard "$SMALL/ii/127.0.0.1/#small/out" && pk_ok "ii received the raw client's message" || pk_fail "ii received the raw client's message"
for _ in $(seq 1 20); do
  tmux -L "$TMUX_SOCKET" capture-pane -p -t catgirl >"$SMALL/catgirl.screen" 2>/dev/null
  grep -q "<rawsmall> hello-small-clients" "$SMALL/catgirl.screen" && break; sleep 0.25
done
grep -q "<rawsmall> hello-small-clients" "$SMALL/catgirl.screen" && pk_ok "catgirl received the raw client's message" || pk_fail "catgirl received the raw client's message" "see $SMALL/catgirl.screen"
# A nick change as ii shows it (it reads the new nick from the trailing parameter only).
printf ':NICK sicuser2\n' >&"$SIC_IN"
for _ in $(seq 1 20); do grep -q "sicuser changed nick to sicuser2" "$SMALL/ii/127.0.0.1/out" && break; sleep 0.25; done
grep -q "sicuser changed nick to sicuser2" "$SMALL/ii/127.0.0.1/out" && pk_ok "ii saw sic change its nick" \
  || pk_fail "ii saw sic change its nick" "see $SMALL/ii/127.0.0.1/out"
exec {SIC_IN}>&-
# Killed, sic and ii hang up without a QUIT (a FIN is all the server gets): their nicks must
# leave at once, not at the ping timeout (a parked connection used to miss the end of stream).
kill -KILL "$SIC_PID" "$II_PID" 2>/dev/null
gone_from "#small" sicuser2 iiuser && pk_ok "sic and ii, killed, left #small at once" || pk_fail "sic and ii, killed, left #small at once"

# --- python3-irc, ircII, EPIC5 and finch -------------------------------------------------------
# python3-irc (jaraco's irc library): two of its bots, plain and TLS, checked through its own
# parsers (interop/chat_pyirc.py). ircII and EPIC5 in dumb mode (-d: lines on stdout, commands
# typed), and finch (libpurple's IRC, curses) with a prepared config (account enabled, #classic
# auto-joined, conversations logged as text), each under tmux with a HOME of its own, in
# #classic with a raw client.
PY="/usr/bin/python3 $PK_ROOT/interop/chat_pyirc.py" result pyirc 127.0.0.1 "$IRC_PORT" "$TLS_PORT" \
  "$STATE/irc-cert.pem" alice alice-pw "#pyirc"
CLASSIC=$OUT/classic
FINCH=$CLASSIC/finch/purple
mkdir -p "$CLASSIC/ircii" "$CLASSIC/epic" "$FINCH"
cat > "$FINCH/accounts.xml" <<XML
<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'><account><protocol>prpl-irc</protocol><name>finchuser@127.0.0.1</name>
<settings><setting name='port' type='int'>$IRC_PORT</setting><setting name='ssl' type='bool'>0</setting>
<setting name='realname' type='string'>Finch user</setting><setting name='username' type='string'>finchu</setting>
<setting name='encoding' type='string'>UTF-8</setting></settings>
<settings ui='gnt-purple'><setting name='auto-login' type='bool'>1</setting></settings></account></account>
XML
cat > "$FINCH/blist.xml" <<XML
<?xml version='1.0' encoding='UTF-8' ?>
<purple version='1.0'><blist><group name='Chats'><chat proto='prpl-irc' account='finchuser@127.0.0.1'>
<component name='channel'>#classic</component><setting name='gnt-autojoin' type='bool'>1</setting></chat></group></blist></purple>
XML
cat > "$FINCH/prefs.xml" <<XML
<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'><pref name='purple'><pref name='logging'><pref name='log_chats' type='bool' value='1'/>
<pref name='format' type='string' value='txt'/></pref></pref></pref>
XML
FINCH_LOG="$FINCH/logs/irc/finchuser@127.0.0.1/#classic.chat"
finch_log() { cat "$FINCH_LOG"/*.txt 2>/dev/null; }
finch_screen() { tmux -L "$TMUX_SOCKET" capture-pane -p -t finch 2>/dev/null; }
shows() { # source pattern: true once SOURCE (a file, or finch_log/finch_screen) has a line matching PATTERN (Perl regex, 5 s)
  for _ in $(seq 1 20); do
    case $1 in finch_*) "$1" | grep -qP -- "$2" ;; *) grep -qP -- "$2" "$1" 2>/dev/null ;; esac && return 0
    sleep 0.25
  done
  return 1
}
expect_shows() { # name source pattern
  if shows "$2" "$3"; then pk_ok "$1"; return; fi
  pk_fail "$1" "see ${2#"$OUT"/}"
  [ "$2" = finch_screen ] && finch_screen >>"$CLASSIC/finch.screen"
}
keys() { tmux -L "$TMUX_SOCKET" send-keys -t "$@"; }
finch_focus() { # title: brings finch's window TITLE to the front (Alt-n cycles), as a user would
  for _ in $(seq 1 8); do
    finch_screen | grep -qF "┤$1├" && return 0 # a window in front shows its whole title
    keys finch M-n; sleep 0.25
  done
  return 1
}
FINCH_CONV="#classic (finchuser@127.0.0.1 -- IRC)"
# ircII joins first (it sets the topic as the channel's operator), then EPIC5 and finch.
tmux -L "$TMUX_SOCKET" new-session -d -s ircii -x 200 -y 50 \
  "env HOME=$CLASSIC/ircii IRCNAME='ircII user' ircII -d -c '#classic' iicuser 127.0.0.1:$IRC_PORT >$CLASSIC/ircii.out 2>&1"
for _ in $(seq 1 40); do in_channel iicuser "#classic" && break; sleep 0.25; done
tmux -L "$TMUX_SOCKET" new-session -d -s epic -x 200 -y 50 \
  "env HOME=$CLASSIC/epic IRCNAME='EPIC user' epic5 -d -q -z epicu -c '#classic' epicuser 127.0.0.1:$IRC_PORT >$CLASSIC/epic.out 2>&1"
tmux -L "$TMUX_SOCKET" new-session -d -s finch -x 160 -y 50 "env HOME=$CLASSIC/finch finch -c $FINCH"
for nick in iicuser epicuser finchuser; do
  for _ in $(seq 1 40); do in_channel "$nick" "#classic" && break; sleep 0.25; done
  if in_channel "$nick" "#classic"; then pk_ok "$nick registered and joined #classic"; else pk_fail "$nick registered and joined #classic"; fi
done
# From the buddy list to the #classic conversation, once its window is open.
shows finch_screen '#classic \(finchuser@127' && finch_focus "$FINCH_CONV"
W=()
for who in ircii epic finch; do
  $PY wait 127.0.0.1 "$IRC_PORT" "w$who" "#classic" "from $who" 20 >"$OUT/logs/wait-$who.log" 2>&1 &
  W+=("$!")
done
for _ in $(seq 1 40); do [ "$(cat "$OUT"/logs/wait-{ircii,epic,finch}.log 2>/dev/null | grep -c READY)" -eq 3 ] && break; sleep 0.25; done
$PY say 127.0.0.1 "$IRC_PORT" rawclassic "#classic" "hello classic clients" >"$OUT/logs/say-classic.log" 2>&1
for who in ircii epic finch; do keys "$who" "from $who" Enter; done
wait "${W[@]}"
for who in ircii epic finch; do
  grep -q "^PASS" "$OUT/logs/wait-$who.log" && pk_ok "$who's message reached the channel" || pk_fail "$who's message reached the channel" "see logs/wait-$who.log"
done
expect_shows "ircII received the raw client's message" "$CLASSIC/ircii.out" "<rawclassic> hello classic clients"
expect_shows "EPIC5 received the raw client's message" "$CLASSIC/epic.out" "<rawclassic> hello classic clients"
expect_shows "finch received the raw client's message" finch_log "rawclassic: hello classic clients"
expect_shows "EPIC5 received ircII's message" "$CLASSIC/epic.out" "<iicuser> from ircii"
expect_shows "ircII received EPIC5's message" "$CLASSIC/ircii.out" "<epicuser> from epic"
expect_shows "ircII received finch's message" "$CLASSIC/ircii.out" "<finchuser> from finch"
expect_shows "finch received ircII's message" finch_log "iicuser: from ircii"
keys ircii "/whois epicuser" Enter
keys epic "/whois iicuser" Enter
keys finch "/whois iicuser" Enter
expect_shows "ircII: /whois (311 user, host, real name)" "$CLASSIC/ircii.out" "epicuser is ~epicu@127\.0\.0\.1 \(EPIC user\)"
expect_shows "EPIC5: /whois (319 with the operator prefix)" "$CLASSIC/epic.out" "on channels: @#classic"
shows finch_screen "│Buddy Information" && finch_focus "Buddy Information" # it may open behind
expect_shows "finch: /whois (its Buddy Information window)" finch_screen "Currently on: @#classic"
keys finch Enter # closes it
for _ in $(seq 1 20); do finch_screen | grep -q "Buddy Information" || break; sleep 0.25; done
finch_focus "$FINCH_CONV"
for who in ircii epic finch; do keys "$who" "/names #classic" Enter; done
ALL3='(?=.*@iicuser\b)(?=.* epicuser\b)(?=.* finchuser\b)' # NAMES lists them in any order
expect_shows "ircII: /names" "$CLASSIC/ircii.out" "^Pub: #classic$ALL3"
expect_shows "EPIC5: /names" "$CLASSIC/epic.out" "^Pub: #classic$ALL3"
expect_shows "finch: /names" finch_screen "Users on #classic:$ALL3"
keys ircii "/topic #classic tea at five" Enter
expect_shows "EPIC5 saw ircII's /topic" "$CLASSIC/epic.out" "iicuser has changed the topic on channel #classic to tea at five"
expect_shows "finch saw ircII's /topic" finch_log "iicuser has changed the topic to: tea at five"
keys epic "/topic" Enter
expect_shows "EPIC5: /topic query (332, 333)" "$CLASSIC/epic.out" "The topic was set by iicuser"
keys epic "/quit epic leaves" Enter
keys finch "/quit finch leaves" Enter
expect_shows "ircII saw EPIC5's /quit with its reason" "$CLASSIC/ircii.out" "Signoff: epicuser \(Quit: epic leaves\)"
expect_shows "ircII saw finch's /quit with its reason" "$CLASSIC/ircii.out" "Signoff: finchuser \(Quit: finch leaves\)"
keys ircii "/quit" Enter
gone_from "#classic" iicuser epicuser finchuser && pk_ok "ircII, EPIC5 and finch quit and left #classic" \
  || pk_fail "ircII, EPIC5 and finch quit and left #classic"
tmux -L "$TMUX_SOCKET" kill-session -t finch 2>/dev/null # finch stays up after /quit (the account is offline)

# --- raw abuse ----------------------------------------------------------------------------
result abuse abuse 127.0.0.1 "$IRC_PORT"
# Never-reading clients, on a second server with flood limits high enough for one fast talker.
PK_LISTENER=chat-server-irc pk_daemon chat-fast FAST_PORT "$JAVA" -jar "$JAR_chat_server" --bind 127.0.0.1 --port 0 \
  --irc-port 0 --irc-tls-port 0 --state-dir "$OUT/state-fast" --flood-burst 10000 --flood-rate 10000 --max-sendq 16384 \
  && PK_TIMEOUT=120 result stall stall 127.0.0.1 "$FAST_PORT" 12
reply=$(printf 'NICK nc1\r\nUSER n 0 * :n\r\nPING :%s\r\n' "$(head -c 2000 /dev/zero | tr '\0' x)" | timeout 10 socat -t 3 - TCP:127.0.0.1:"$IRC_PORT" 2>/dev/null)
grep -q " 417 " <<<"$reply" && pk_ok "socat: a 2000-byte line gets 417" || pk_fail "socat: a 2000-byte line gets 417"
kill -0 "$SERVER_PID" 2>/dev/null && pk_ok "the server survived the abuse" || pk_fail "the server survived the abuse"

# --- a remote client over plain TCP -------------------------------------------------------
# From an address that is not loopback (a network namespace on a veth pair the script makes),
# a password must never be taken in the clear: no SASL PLAIN offered, PASS refused; SCRAM works
# (plain IRC listens there only because --irc-bind asks for it).
if [ "$(id -u)" -eq 0 ] && pk_netns chat; then
  VETH=pkc$$
  if ip link add "${VETH}a" type veth peer name "${VETH}b"; then
    pk_undo "ip link del ${VETH}a"
    ip link set "${VETH}b" netns "$PK_NETNS"
    ip addr add 10.254.77.1/30 dev "${VETH}a" && ip link set "${VETH}a" up
    ip -n "$PK_NETNS" addr add 10.254.77.2/30 dev "${VETH}b" && ip -n "$PK_NETNS" link set "${VETH}b" up
    mkdir -p "$OUT/state-remote" && chmod 700 "$OUT/state-remote"
    echo "alice-pw" | "$JAVA" -jar "$JAR_chat_server" account add alice --password-stdin --state-dir "$OUT/state-remote" \
      >"$OUT/logs/account-remote.log" 2>&1
    if PK_LISTENER=chat-server-irc pk_daemon chat-remote REMOTE_PORT "$JAVA" -jar "$JAR_chat_server" --bind 10.254.77.1 \
        --irc-bind 10.254.77.1 --port 0 --irc-port 0 --irc-tls-port 0 --state-dir "$OUT/state-remote"; then
      PY_NS="ip netns exec $PK_NETNS $PY"
      PY=$PY_NS result remote-plain remote-plain 10.254.77.1 "$REMOTE_PORT" alice alice-pw
      PY=$PY_NS result remote-scram scram 10.254.77.1 "$REMOTE_PORT" alice alice-pw
    fi
  else
    pk_fail "a veth pair for the remote-client checks"
  fi
fi

# --- graceful stop ------------------------------------------------------------------------
kill -TERM "$SERVER_PID"
status=0
for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
wait "$SERVER_PID"; status=$?
[ "$status" -eq 0 ] && pk_ok "SIGTERM: exit 0 within the grace period" || pk_fail "SIGTERM: exit 0" "status $status"
grep -rq "Server shutting down" "$IRSSI/raw.log" "$IRSSI/logs" 2>/dev/null && pk_ok "irssi was told the server is going away" \
  || pk_fail "irssi was told the server is going away"
pk_summary
