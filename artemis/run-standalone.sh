#!/usr/bin/env bash
# Runs the standalone broker created by create-standalone.sh in the foreground (Ctrl-C stops it).
#   artemis/run-standalone.sh [INSTANCE_DIR]           (default: target/artemis-instance)
set -euo pipefail
cd "$(dirname "$0")/.."
instance="${1:-target/artemis-instance}"
[ -x "$instance/bin/artemis" ] || artemis/create-standalone.sh "$instance" > /dev/null
exec "$instance/bin/artemis" run
