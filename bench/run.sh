#!/usr/bin/env bash
# chat-bridge benchmark, one command: builds if needed, runs every phase on 127.0.0.1, prints one table and writes
# it to bench/results/ as JSON and CSV. Options (all optional), e.g.:
#   bench/run.sh --events=200000 --latency-rate=1000 --latency-seconds=30 --openapi-connections=64 \
#                --openapi-seconds=20 --warm-up-seconds=90 --delivery-consumers=8 --ingest-consumers=1 --batch-size=100 \
#                --batch-max-wait-millis=5 --consumer-window-size=16384 --broker=standalone --big
# --broker=standalone runs the apache-artemis distribution (Maven Central) as its own process; default: embedded.
# --phases=2,2b,2v,3,4,4b,5,5p picks phases (default: all; 1, the broker limit, always runs; 2b = the delivery hop
# alone; 4b = the Open API answering 202 without the broker (bench/routes/); 5p = the full path and the naive route
# by turns, --pair-rounds=3 of --pair-events=20000 each, the ratio per round; phases 2, 2b, 3, 4, 4b, 5 and 5p first
# run their own load, not counted (drains: backlogs of --warm-up-round-events=5000 on the running consumers), until
# the JIT compilers of bridge and client are quiet, at most --warm-up-seconds;
# 2v = the drain with JSON Schema validation against the hand-written validator, --validation-rounds=3 each).
# --profile=2,2b,4 records a JFR profile of the bridge during those phases (--profile alone: 2) and prints where its
# CPU went; the .jfr files stay in bench/results/. Phase 3 counts its stalls (events over 15 ms published close
# together); profiled (--profile=3), its recording keeps every journal fsync and the table says how many stalls had a
# slow one at their start, against any instant.
# --big adds the 1M-event backlog (--big-events=1000000) with heap and RSS sampled; --phases=none --big runs only it.
# --bridge-heap=-Xmx512m sets the bridge's heap (default -Xmx1g); --jar=path benchmarks another build's jar.
# Two builds side by side (this checkout against a git revision, by turns): bench/compare.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/chat-bridge.jar ] || [ -n "$(find src routes artemis pom.xml -newer target/chat-bridge.jar -print -quit)" ]; then
  mvn -q -B -Dstyle.color=never package -DskipTests
fi
mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test > /dev/null
[ "${1:-}" = --build-only ] && exit 0  # bench/compare.sh builds first, then runs the benchmark itself
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" chatbridge.bench.Bench "$@"
