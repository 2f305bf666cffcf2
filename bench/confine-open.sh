#!/usr/bin/env bash
# The cost of opening a file through common.fs.ConfinedRoot (openat2, and the user-space walk used
# where openat2 is missing) against the racy toRealPath-then-open the servers used before; the
# per-open cost on the RETR / RRQ small-file path. One JVM, rounds interleaved, medians.
#
#   bench/confine-open.sh                 # 20000 iterations x 5 rounds
#   ITER=50000 ROUNDS=9 bench/confine-open.sh
#
# Output: stdout and bench/out/confine-open/result.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=$HERE/bench/out/confine-open
ITER=${ITER:-20000}; ROUNDS=${ROUNDS:-5}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
rm -rf "$OUT" && mkdir -p "$OUT/scratch"
(cd "$HERE" && ./mvnw -o -B -q -pl common test-compile)
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$HERE/common/target/classes:$HERE/common/target/test-classes" \
  dev.protokit.common.fs.OpenBench "$OUT/scratch" "$ITER" "$ROUNDS" | tee "$OUT/result.txt"
echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/result.txt"
