#!/usr/bin/env bash
# Builds the Debian package protokit_VERSION_all.deb from this checkout: packaging/install.sh
# into a staging tree (/opt/protokit with its man pages and sample configurations, the units in
# /lib/systemd/system), /usr/bin links to every binary, /usr/share/man/man1 links to the man
# pages, then dpkg-deb. No unit is enabled on installation. The package needs a JDK >= 25 at
# run time (the launchers find it; Debian 12 ships none, so there is no Depends on one).
#
#   packaging/deb.sh [OUTPUT-DIR]        (default: target/ in the checkout)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=${1:-$repo/target}
case "$out" in /*) ;; *) out=$(pwd)/$out ;; esac
command -v dpkg-deb >/dev/null || { echo "deb.sh: needs dpkg-deb" >&2; exit 1; }
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n 1)
debversion=${version//-/\~}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

"$repo/packaging/install.sh" --prefix /opt/protokit --unit-dir "$stage/lib/systemd/system" --destdir "$stage" >/dev/null
install -d -m 0755 "$stage/usr/bin" "$stage/usr/share/man/man1" "$stage/usr/share/doc/protokit" "$stage/DEBIAN"
for b in "$stage"/opt/protokit/bin/*; do
  name=$(basename "$b")
  [ "$name" = _launch ] && continue
  ln -s "/opt/protokit/bin/$name" "$stage/usr/bin/$name"
done
for m in "$stage"/opt/protokit/share/man/man1/*.1; do
  gzip -9n "$m"
  ln -s "/opt/protokit/share/man/man1/$(basename "$m").gz" "$stage/usr/share/man/man1/$(basename "$m").gz"
done
cat >"$stage/usr/share/doc/protokit/copyright" <<'COPYRIGHT'
protokit: reference protocol servers and clients. The executable jars bundle their
dependencies; each jar's META-INF/LICENSE and META-INF/NOTICE keep every bundled licence.
COPYRIGHT
size=$(du -sk "$stage" --exclude=DEBIAN | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: protokit
Version: $debversion
Architecture: all
Maintainer: protokit maintainers <maintainers@protokit.invalid>
Installed-Size: $size
Section: net
Priority: optional
Homepage: https://protokit.invalid/
Description: reference protocol servers and clients (TFTP, FTP/FTPS, auth, chat, rendezvous)
 Daemons with hardened systemd units (not enabled on installation) and their clients,
 written in Java 25; they need a JDK 25 or newer (JAVA_HOME, java on the PATH, or
 /usr/lib/jvm). See /opt/protokit/docs/deploy.md.
CONTROL
cat >"$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
POSTINST
cat >"$stage/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
POSTRM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"
mkdir -p "$out"
dpkg-deb --root-owner-group --build "$stage" "$out/protokit_${debversion}_all.deb" >/dev/null
echo "$out/protokit_${debversion}_all.deb"
