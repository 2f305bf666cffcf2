#!/usr/bin/env bash
# Installs protokit's binaries under PREFIX (default /opt/protokit) and its systemd units
# under /etc/systemd/system. Builds first if the jars are missing. Run as root.
#
#   packaging/install.sh [--prefix DIR] [--no-units]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
prefix=/opt/protokit
units=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --no-units) units=no; shift ;;
    *) echo "install.sh: unknown option $1 (use --prefix DIR, --no-units)" >&2; exit 2 ;;
  esac
done

modules=(auth-handshake tftp-client tftp-server ftp-lite chat-server)
. "$repo/bin/_launch"
for m in "${modules[@]}"; do
  if ! ls "$repo/$m/target/$m"-*-all.jar >/dev/null 2>&1; then
    java=$(_protokit_find_java) || { echo "install.sh: needs a JDK >= 25" >&2; exit 1; }
    (cd "$repo" && JAVA_HOME=$(dirname "$(dirname "$java")") ./mvnw -q -B package -DskipTests)
    break
  fi
done

install -d -m 0755 "$prefix/bin" "$prefix/lib" "$prefix/docs"
for m in "${modules[@]}"; do
  install -m 0644 "$(ls "$repo/$m/target/$m"-*-all.jar | head -n 1)" "$prefix/lib/$m.jar"
done
for f in "$repo"/bin/*; do
  case "$(basename "$f")" in quickstart|test-all) continue ;; esac
  install -m 0755 "$f" "$prefix/bin/"
done
chmod 0644 "$prefix/bin/_launch"
install -m 0644 "$repo"/docs/*.md "$prefix/docs/" 2>/dev/null || true

if [ "$units" = yes ]; then
  install -m 0644 "$repo"/packaging/systemd/*.service "$repo"/packaging/systemd/*.socket /etc/systemd/system/ 2>/dev/null || true
  install -d -m 0755 /etc/protokit
  systemctl daemon-reload 2>/dev/null || true
fi
echo "installed protokit under $prefix${units:+; units in /etc/systemd/system}"
