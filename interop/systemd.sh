#!/usr/bin/env bash
# Checks every unit in packaging/systemd with `systemd-analyze verify`. The units name the
# installed paths under /opt/protokit; the check points them at this checkout's bin/ instead.
# Ends with the "N passed, N failed" line.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
pk_init systemd
if ! command -v systemd-analyze >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  pk_apt systemd
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
  # Outside CI a developer without root may skip; CI must check the units.
  if [ "${CI:-}" = true ]; then
    pk_fail "systemd-analyze available" "apt-get install systemd"
  else
    echo "SKIP systemd: systemd-analyze not available"
  fi
  pk_summary
  exit
fi
work=$OUT/units && rm -rf "$work" && mkdir -p "$work"
for unit in "$PK_ROOT"/packaging/systemd/*; do
  sed "s#/opt/protokit/bin/#$PK_ROOT/bin/#g" "$unit" >"$work/$(basename "$unit")"
done
for unit in "$work"/*.service "$work"/*.socket; do
  [ -f "$unit" ] || continue
  # Documentation= may point at files that only exist once installed; that is not an error.
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'Documentation' -e '^$' || true)
  if [ -n "$out" ]; then
    pk_fail "$(basename "$unit")"; echo "$out" | sed 's/^/  /'
  else
    pk_ok "$(basename "$unit")"
  fi
done
pk_summary
