#!/usr/bin/env bash
# Checks every unit in packaging/systemd with `systemd-analyze verify`. The units name the
# installed paths under /opt/protokit; the check points them at this checkout's bin/ instead.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
  fi
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
  # Outside CI a developer without root may skip; CI must check the units.
  if [ "${CI:-}" = true ]; then
    echo "FAIL systemd: systemd-analyze not available (apt-get install systemd)"
    exit 1
  fi
  echo "SKIP systemd: systemd-analyze not available"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in "$repo"/packaging/systemd/*; do
  sed "s#/opt/protokit/bin/#$repo/bin/#g" "$unit" > "$work/$(basename "$unit")"
done
status=0
for unit in "$work"/*.service "$work"/*.socket; do
  [ -f "$unit" ] || continue
  # Documentation= may point at files that only exist once installed; that is not an error.
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'Documentation' -e '^$' || true)
  if [ -n "$out" ]; then
    echo "FAIL $(basename "$unit")"; echo "$out" | sed 's/^/  /'; status=1
  else
    echo "PASS $(basename "$unit")"
  fi
done
exit $status
