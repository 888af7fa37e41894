#!/usr/bin/env bash
# Runs the HA pair created by create-ha-pair.sh (created first if missing): the primary, then its backup, each in the
# background with its log in DIR/primary.log and DIR/backup.log. Ctrl-C (or the end of this script) stops both.
#   artemis/run-ha-pair.sh [DIR]                       (default: target/artemis-ha)
# Try a failover: `kill -9 <primary pid>` and watch DIR/backup.log say the backup is live (AMQ221010).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/artemis-ha}"
[ -x "$dir/backup/bin/artemis" ] || artemis/create-ha-pair.sh "$dir" > /dev/null
. "$dir/chat-bridge.env"

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; wait; }
trap stop EXIT INT TERM

"$dir/primary/bin/artemis" run >> "$dir/primary.log" 2>&1 &
pids+=($!)
# The primary first, so that it takes the journal's lock and the backup waits as backup.
for _ in $(seq 1 120); do
  if (exec 3<> "/dev/tcp/127.0.0.1/$PRIMARY_PORT") 2> /dev/null; then break; fi
  kill -0 "${pids[0]}" 2> /dev/null || { echo "the primary exited; see $dir/primary.log" >&2; exit 1; }
  sleep 0.5
done
"$dir/backup/bin/artemis" run >> "$dir/backup.log" 2>&1 &
pids+=($!)
echo "primary pid ${pids[0]} on 127.0.0.1:$PRIMARY_PORT, backup pid ${pids[1]} on 127.0.0.1:$BACKUP_PORT"
echo "BROKER_URL='$BROKER_URL'  (set -a; . $dir/chat-bridge.env; set +a)"
wait
