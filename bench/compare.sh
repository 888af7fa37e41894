#!/usr/bin/env bash
# Two builds side by side, one command, one table:
#   bench/compare.sh <git revision> [--rounds=2] [bench/run.sh options]
#   e.g. bench/compare.sh bbafb38 --events=2000 --phases=4 --openapi-seconds=20
# Builds that revision in a temporary git worktree, then runs this checkout's benchmark against each build by turns
# (that revision first, --rounds times each), every build with its own jar, routes, config and broker.xml, and prints
# every row with each run, each build's mean and the ratio this checkout / that revision. Run by turns on one
# machine, the ratio is what compares: this VM's speed changes by the hour, so figures from two runs far apart do not.
# Phase 4b brings this checkout's bench/routes to the older build; a build without the beans it names cannot run it.
# Every run's output goes to one log in bench/results/, with the CSV files of both builds' runs.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
rev=${1:?usage: bench/compare.sh <git revision> [--rounds=N] [bench/run.sh options]}
shift
rounds=2
options=()
for option in "$@"; do
  case $option in
    --rounds=*) rounds=${option#--rounds=} ;;
    *) options+=("$option") ;;
  esac
done

bench/run.sh --build-only
classpath="$here/target/test-classes:$here/target/classes:$(cat target/bench.classpath)"

other=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$other" > /dev/null 2>&1 || true; rm -rf "$other"' EXIT
git worktree add --detach -q "$other" "$rev"
(cd "$other" && mvn -q -B -Dstyle.color=never package -Dmaven.test.skip=true)
mkdir -p "$other/bench/routes" "$here/bench/results"
cp bench/routes/*.yaml "$other/bench/routes/"

tag=${rev//\//-}  # a revision like origin/main in a file name
log="$here/bench/results/compare-$(date -u +%Y-%m-%dT%H%M%S).log"
other_results=()
this_results=()
# Runs the benchmark in checkout $1 against its jar; prints the CSV it wrote, kept in this checkout's bench/results.
run_in() {
  (cd "$1" && java -Xmx2g -cp "$classpath" chatbridge.bench.Bench "${options[@]}" --jar=target/chat-bridge.jar) >> "$log" 2>&1 \
    || { echo "a run in $1 failed; see $log" >&2; return 1; }
  local csv
  csv=$(sed -n 's/^written: \(.*\)\.{csv,json}$/\1.csv/p' "$log" | tail -1)
  if [ "$1" != "$here" ]; then
    cp "$1/$csv" "$here/bench/results/$tag-$(basename "$csv")"
    echo "$here/bench/results/$tag-$(basename "$csv")"
  else
    echo "$here/$csv"
  fi
}
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds: $rev ..."
  other_results+=("$(run_in "$other")")
  echo "round $round of $rounds: this checkout ..."
  this_results+=("$(run_in "$here")")
done
echo
java -cp "$classpath" chatbridge.bench.Compare "$rev" "${other_results[@]}" -- "${this_results[@]}" | tee -a "$log"
echo "log: $log"
