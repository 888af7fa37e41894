#!/usr/bin/env bash
# Creates a standalone Artemis 2.44.0 broker instance that uses chat-bridge's broker.xml and its broker roles.
# The distribution comes from Maven Central (no other download), so this works wherever the build does.
#
#   artemis/create-standalone.sh [INSTANCE_DIR]        (default: target/artemis-instance)
#
# Users (README, Security): ARTEMIS_USER (default admin, role amq: everything, the web console), and the users of
# artemis/add-users.sh: BRIDGE_BROKER_USER (chat-bridge), CHAT_SYSTEM_USER (chat-system), OPERATOR_USER (operator).
# Their passwords come from ARTEMIS_PASSWORD, BRIDGE_BROKER_PASSWORD, CHAT_SYSTEM_PASSWORD and OPERATOR_PASSWORD;
# any that is unset is generated. All of them end up in INSTANCE_DIR/etc/chat-bridge.env (readable by you only),
# ready for `set -a; . INSTANCE_DIR/etc/chat-bridge.env; set +a` before starting the bridge or a client.
# ARTEMIS_VERSION (default 2.44.0). The broker listens on 127.0.0.1:$ARTEMIS_PORT (default 61616), read when it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${ARTEMIS_VERSION:-2.44.0}"
instance="${1:-target/artemis-instance}"
dist_dir="target/artemis-dist"
home="$dist_dir/apache-artemis-$version"
env_file="$instance/etc/chat-bridge.env"

if [ ! -x "$home/bin/artemis" ]; then
  mkdir -p "$dist_dir"
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="org.apache.activemq:apache-artemis:$version:tar.gz:bin" -DoutputDirectory="$dist_dir"
  tar -xzf "$dist_dir/apache-artemis-$version-bin.tar.gz" -C "$dist_dir"
fi

. artemis/credentials.sh
load_credentials "$env_file"

if [ -d "$instance/bin" ]; then
  echo "instance $instance exists; its users are updated (remove it to create it anew)" >&2
else
  # NIO journal: libaio is not guaranteed to be installed. Loopback only, login required.
  "$home/bin/artemis" create --silent --user "$ARTEMIS_USER" --password "$ARTEMIS_PASSWORD" --require-login \
    --host 127.0.0.1 --http-host 127.0.0.1 --nio --no-autotune "$instance" > /dev/null
fi
artemis/add-users.sh "$instance"
(
  umask 077
  print_credentials > "$env_file"
)
# chat-bridge's settings (address settings, security settings, redelivery schedule, journal tuning) replace the
# generated ones.
cp artemis/broker.xml "$instance/etc/broker.xml"
# The acceptor's port in broker.xml, read when the broker starts: ARTEMIS_PORT (default 61616).
if ! grep -q chatbridge.broker.port "$instance/etc/artemis.profile"; then
  printf '\n%s\n' 'JAVA_ARGS="$JAVA_ARGS -Dchatbridge.broker.port=${ARTEMIS_PORT:-61616}"' >> "$instance/etc/artemis.profile"
fi
echo "$(cd "$instance" && pwd)"
