#!/usr/bin/env bash
# Creates a standalone Artemis 2.40.0 broker instance that uses chat-bridge's broker.xml.
# The distribution comes from Maven Central (no other download), so this works wherever the build does.
#
#   artemis/create-standalone.sh [INSTANCE_DIR]        (default: target/artemis-instance)
#
# Environment: ARTEMIS_USER / ARTEMIS_PASSWORD (default chatbridge / chatbridge), ARTEMIS_VERSION (default
# 2.40.0). The broker listens on 127.0.0.1:$ARTEMIS_PORT (default 61616), read when it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${ARTEMIS_VERSION:-2.40.0}"
instance="${1:-target/artemis-instance}"
user="${ARTEMIS_USER:-chatbridge}"
password="${ARTEMIS_PASSWORD:-chatbridge}"
dist_dir="target/artemis-dist"
home="$dist_dir/apache-artemis-$version"

if [ ! -x "$home/bin/artemis" ]; then
  mkdir -p "$dist_dir"
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="org.apache.activemq:apache-artemis:$version:tar.gz:bin" -DoutputDirectory="$dist_dir"
  tar -xzf "$dist_dir/apache-artemis-$version-bin.tar.gz" -C "$dist_dir"
fi

if [ -d "$instance" ]; then
  echo "instance $instance exists; remove it to create it anew" >&2
else
  # NIO journal: libaio is not guaranteed to be installed. Loopback only, login required.
  "$home/bin/artemis" create --silent --user "$user" --password "$password" --require-login \
    --host 127.0.0.1 --http-host 127.0.0.1 --nio --no-autotune "$instance" > /dev/null
fi
# chat-bridge's settings (address settings, redelivery schedule, journal tuning) replace the generated ones.
cp artemis/broker.xml "$instance/etc/broker.xml"
# The acceptor's port in broker.xml, read when the broker starts: ARTEMIS_PORT (default 61616).
if ! grep -q chatbridge.broker.port "$instance/etc/artemis.profile"; then
  printf '\n%s\n' 'JAVA_ARGS="$JAVA_ARGS -Dchatbridge.broker.port=${ARTEMIS_PORT:-61616}"' >> "$instance/etc/artemis.profile"
fi
echo "$(cd "$instance" && pwd)"
