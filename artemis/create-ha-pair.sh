#!/usr/bin/env bash
# Creates an Artemis 2.44.0 HA pair on this machine: a primary (DIR/primary) and its backup (DIR/backup), both with
# chat-bridge's broker.xml and broker roles, the HA part from artemis/ha/shared-store-{primary,backup}.xml.
#
#   artemis/create-ha-pair.sh [DIR]                    (default: target/artemis-ha)
#   artemis/run-ha-pair.sh [DIR]                       runs both
#
# Shared store, not replication, because on one machine the two brokers share one disk anyway: with one journal
# (DIR/shared-data) the file lock decides which broker is live, so a split brain (two live brokers, each taking
# messages the other never sees) cannot happen, and failover takes as long as the lock takes to be released (the
# kernel releases it the moment the primary's process dies). Replication copies the journal over the network and
# needs a third voter (more live brokers, or ZooKeeper through the pluggable quorum) to tell a dead primary from a
# lost link; it is what two machines without shared storage need, with such a quorum (README, Scaling out).
#
# Ports: PRIMARY_PORT (61616) and BACKUP_PORT (61617) for clients, PRIMARY_HTTP_PORT (8161) and BACKUP_HTTP_PORT
# (8162) for the web consoles. Users as in create-standalone.sh (ARTEMIS_USER, BRIDGE_BROKER_USER, CHAT_SYSTEM_USER,
# OPERATOR_USER with their *_PASSWORD, generated when unset), the same on both brokers, and CLUSTER_PASSWORD (the
# brokers' own link, generated when unset). Everything a client needs, BROKER_URL with both brokers included, ends up
# in DIR/chat-bridge.env (readable by you only): `set -a; . DIR/chat-bridge.env; set +a`.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${1:-target/artemis-ha}"
primary_port="${PRIMARY_PORT:-61616}"
backup_port="${BACKUP_PORT:-61617}"
env_file="$dir/chat-bridge.env"
mkdir -p "$dir/shared-data"
dir="$(cd "$dir" && pwd)"

. artemis/credentials.sh
CREDENTIALS="$CREDENTIALS CLUSTER_PASSWORD"
load_credentials "$env_file"
export CLUSTER_PASSWORD="${CLUSTER_PASSWORD:-$(generated_password)}"

# Both brokers must use the shared store for all four of journal, bindings, paging and large messages: a broker left
# on a store of its own would go live beside the other.
if [ "$(grep -c '${artemis.instance:.}/data/' artemis/broker.xml)" != 4 ]; then
  echo "artemis/broker.xml no longer has its four \${artemis.instance:.}/data/ paths; update $0" >&2
  exit 1
fi

# role instance port peer-port http-port
make_broker() {
  local role="$1" instance="$dir/$1" port="$2" peer_port="$3" http_port="$4"
  # Users, roles and chat-bridge's broker.xml, exactly as for a standalone broker.
  artemis/create-standalone.sh "$instance" > /dev/null
  local broker_xml="$instance/etc/broker.xml"
  # The project's broker.xml, with the journal moved to the shared store and the HA part added before </core>.
  # The cluster password goes into the instance's own copy (readable by its owner only), not onto a command line.
  awk -v fragment="artemis/ha/shared-store-$role.xml" -v password="$CLUSTER_PASSWORD" '
    /<\/core>/ { while ((getline line < fragment) > 0) { gsub(/@CLUSTER_PASSWORD@/, password, line); print line } }
    { print }' artemis/broker.xml \
    | sed "s|\${artemis.instance:.}/data/|$dir/shared-data/|" > "$broker_xml.new"
  mv "$broker_xml.new" "$broker_xml"
  chmod 600 "$broker_xml"
  # Fixed ports per broker: its own, and its peer's for the cluster connection.
  sed -i "s|-Dchatbridge.broker.port=\${ARTEMIS_PORT:-61616}\"|-Dchatbridge.broker.port=$port -Dchatbridge.broker.peer-port=$peer_port\"|" \
    "$instance/etc/artemis.profile"
  grep -q "chatbridge.broker.port=$port " "$instance/etc/artemis.profile"
  sed -i "s|uri=\"http://127.0.0.1:[0-9]*\"|uri=\"http://127.0.0.1:$http_port\"|" "$instance/etc/bootstrap.xml"
}
make_broker primary "$primary_port" "$backup_port" "${PRIMARY_HTTP_PORT:-8161}"
make_broker backup "$backup_port" "$primary_port" "${BACKUP_HTTP_PORT:-8162}"

(
  umask 077
  {
    print_credentials
    # Both brokers, and never give up reconnecting (failing over takes a moment).
    printf "BROKER_URL='(tcp://127.0.0.1:%s,tcp://127.0.0.1:%s)?ha=true&reconnectAttempts=-1&retryInterval=500'\n" \
      "$primary_port" "$backup_port"
    printf 'PRIMARY_PORT=%q\nBACKUP_PORT=%q\n' "$primary_port" "$backup_port"
  } > "$env_file"
)
rm -f "$dir/primary/etc/chat-bridge.env" "$dir/backup/etc/chat-bridge.env"
echo "$dir"
