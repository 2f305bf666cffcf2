#!/usr/bin/env bash
# The cost of opening a file through common.fs.ConfinedRoot (openat2, and the user-space walk used
# where openat2 is missing) against the racy toRealPath-then-open the servers used before; the
# per-open cost on the RETR / RRQ small-file path. One JVM, rounds interleaved, medians.
#
#   bench/confine-open.sh                 # 20000 iterations x 5 rounds
#   ITER=50000 ROUNDS=9 bench/confine-open.sh
#
# Output: stdout and bench/out/confine-open/result.txt; the last line is "N passed, N failed".
set -uo pipefail
# shellcheck source=../interop/lib.sh
. "$(dirname "$(readlink -f "$0")")/../interop/lib.sh"
pk_init confine-open bench
HERE=$PK_ROOT
ITER=${ITER:-20000}; ROUNDS=${ROUNDS:-5}
pk_java
rm -rf "$OUT/scratch" && mkdir -p "$OUT/scratch"
# The bench class is a test class: compiled fresh every run, so never stale.
(cd "$HERE" && ./mvnw -o -B -q -pl common test-compile) || { pk_fail "compile common"; pk_summary; exit 1; }
if "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$HERE/common/target/classes:$HERE/common/target/test-classes" \
  dev.protokit.common.fs.OpenBench "$OUT/scratch" "$ITER" "$ROUNDS" | tee "$OUT/result.txt"; then
  pk_ok "ConfinedRoot open cost measured"
else
  pk_fail "ConfinedRoot open cost" "OpenBench failed"
fi
echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/result.txt"
pk_summary
