#!/usr/bin/env bash
# Checks packaging/install.sh the way docs/deploy.md uses it: installs into a temporary prefix
# (units into a temporary unit directory), then, with PROTOKIT_HOME unset, from another
# directory: every installed binary answers --version and --help; the installed units name the
# prefix and pass `systemd-analyze verify`; an installed daemon starts (--port 0), says it is
# listening and stops cleanly on SIGTERM; --no-units installs no unit and says so; each binary
# has a man page and each daemon a sample config generated from its flags. Then, as root, the
# Debian package from packaging/deb.sh is installed with dpkg, its binaries run from /usr/bin,
# and purged again (also when the run is killed). Ends with "N passed, N failed".
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init install
pk_clean_out
# Every module that has a launcher in bin/, as install.sh finds them.
mapfile -t modules < <(sed -n 's/^launch \([a-z0-9-]*\) .*/\1/p' "$PK_ROOT"/bin/* | sort -u)
pk_jar "${modules[@]}"
prefix=$OUT/prefix units=$OUT/units
pk_undo "rm -rf '$OUT/prefix' '$OUT/units' '$OUT/prefix2' '$OUT/units2'"

# install.sh runs every binary once (man pages, sample configs): minutes on a loaded machine
export PK_TIMEOUT=600
if pk_run install "$PK_ROOT/packaging/install.sh" --prefix "$prefix" --unit-dir "$units" --no-build; then
  pk_ok "install.sh --prefix --unit-dir"
else
  pk_fail "install.sh --prefix --unit-dir" "see logs/install.log"; pk_summary; exit 1
fi

cd / || exit 1
for bin in "$prefix"/bin/*; do
  name=$(basename "$bin")
  [ "$name" = _launch ] && continue
  PK_TIMEOUT=120 pk_expect "installed $name --version (no PROTOKIT_HOME)" env -u PROTOKIT_HOME "$bin" --version
  pk_expect "installed $name --help" env -u PROTOKIT_HOME "$bin" --help
done

if grep -q "$prefix/bin/" "$units"/*.service && ! grep -q "/opt/protokit" "$units"/*.service "$units"/*.socket; then
  pk_ok "installed units name the prefix"
else
  pk_fail "installed units name the prefix"
fi
if command -v systemd-analyze >/dev/null 2>&1; then
  for u in "$units"/*.service "$units"/*.socket; do
    out=$(systemd-analyze verify "$u" 2>&1 | grep -v -e 'Documentation' -e '^$' || true)
    if [ -z "$out" ]; then pk_ok "systemd-analyze verify $(basename "$u") (installed)"
    else pk_fail "systemd-analyze verify $(basename "$u") (installed)" "$(echo "$out" | head -n 2 | tr '\n' ' ')"; fi
  done
fi

env -u PROTOKIT_HOME "$prefix/bin/auth-client" keygen --id ci --out "$OUT/ci.keys" >/dev/null 2>&1
if pk_daemon installed-auth-server port env -u PROTOKIT_HOME "$prefix/bin/auth-server" --bind 127.0.0.1 --port 0 \
    --keys "$OUT/ci.keys" --state-dir "$OUT/state"; then
  pk_ok "installed auth-server listens (port $port)"
  pid=$PK_PID
  pk_expect "installed auth-client talks to it" bash -c \
    '[ "$(env -u PROTOKIT_HOME "$0" --host 127.0.0.1 --port "$1" --key "$2" --message ci)" = CI ]' \
    "$prefix/bin/auth-client" "$port" "$OUT/ci.keys"
  kill -TERM "$pid"; wait "$pid"; status=$?
  if [ "$status" -eq 0 ] && grep -q "stopped" "$OUT/logs/installed-auth-server.log"; then
    pk_ok "installed auth-server stops cleanly on SIGTERM"
  else
    pk_fail "installed auth-server stops cleanly on SIGTERM" "exit $status"
  fi
fi

if pk_run install-no-units "$PK_ROOT/packaging/install.sh" --prefix "$OUT/prefix2" --unit-dir "$OUT/units2" --no-units --no-build \
    && grep -q "no units" "$OUT/logs/install-no-units.log" && [ ! -e "$OUT/units2" ]; then
  pk_ok "install.sh --no-units installs and reports no unit"
else
  pk_fail "install.sh --no-units installs and reports no unit" "see logs/install-no-units.log"
fi
for bin in "$prefix"/bin/*; do
  name=$(basename "$bin")
  [ "$name" = _launch ] && continue
  if [ -s "$prefix/share/man/man1/$name.1" ] && grep -q '^\.SH OPTIONS' "$prefix/share/man/man1/$name.1"; then
    pk_ok "man page for $name"
  else
    pk_fail "man page for $name"
  fi
done
for conf in auth-server tftp-server ftp-lite-server; do
  if grep -q '^# port = ' "$prefix/etc/examples/$conf.conf" 2>/dev/null; then pk_ok "sample config for $conf"
  else pk_fail "sample config for $conf"; fi
done
if command -v man >/dev/null 2>&1; then
  pk_expect "man renders the ftp-lite-server page" bash -c "MANWIDTH=80 man -l '$prefix/share/man/man1/ftp-lite-server.1' | grep -q -- --implicit-port"
fi

# The launcher's ahead-of-time cache must never break a start: an unusable cache file (here
# garbage under the very name the launcher would use) is ignored by the JVM without a word, and
# the binary's output stays its own. No training starts: a cache file of that name exists.
aot_fallback() {
  local cache=$OUT/aot-cache java aot got
  mkdir -p "$cache"
  java=$(_protokit_find_java) && aot=$(_protokit_aot_file "$java" "$prefix/lib/ftp-lite.jar" "$cache/ftp-lite-ftp-lite") \
    || { pk_fail "launcher ignores an unusable AOT cache" "no cache name"; return; }
  head -c 65536 /dev/urandom >"$aot"
  if got=$(env -u PROTOKIT_HOME PROTOKIT_CACHE="$cache" "$prefix/bin/ftp-lite-server" --version 2>&1) \
      && [[ "$got" =~ ^ftp-lite-server\ [0-9][^[:space:]]*$ ]]; then
    pk_ok "launcher ignores an unusable AOT cache"
  else
    pk_fail "launcher ignores an unusable AOT cache" "exit or output: $got"
  fi
}
aot_fallback

deb_check() {
  if dpkg-query -W -f='${Status}' protokit 2>/dev/null | grep -q "ok installed" || [ -e /opt/protokit ]; then
    pk_fail "Debian package" "protokit or /opt/protokit already present on this host; not touching it"; return
  fi
  local deb
  if ! deb=$("$PK_ROOT/packaging/deb.sh" "$OUT/deb" 2>"$OUT/logs/deb-build.log"); then
    pk_fail "packaging/deb.sh builds the package" "see logs/deb-build.log"; return
  fi
  pk_ok "packaging/deb.sh builds $(basename "$deb")"
  pk_undo "dpkg --purge protokit"
  pk_expect "dpkg -i the package" dpkg -i "$deb"
  pk_expect "packaged tftp-server --version from /usr/bin" env -u PROTOKIT_HOME /usr/bin/tftp-server --version
  pk_expect "packaged auth-client keygen from /usr/bin" env -u PROTOKIT_HOME /usr/bin/auth-client keygen --id deb --out "$OUT/deb.keys"
  pk_expect "packaged man page" test -s /usr/share/man/man1/tftp-server.1.gz
  pk_expect "packaged units" test -f /lib/systemd/system/protokit-ftp.service
  pk_expect "dpkg --purge removes the package" dpkg --purge protokit
  if [ ! -e /opt/protokit/lib ] && [ ! -e /usr/bin/tftp-server ] && ! dpkg-query -W protokit >/dev/null 2>&1; then
    pk_ok "nothing of the package is left"
  else pk_fail "nothing of the package is left"; fi
}
if [ "$(id -u)" -eq 0 ] && command -v dpkg >/dev/null 2>&1; then deb_check; fi
pk_summary
