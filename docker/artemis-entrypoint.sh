#!/bin/bash
# Entry point for the official apache/activemq-artemis image (docker/compose.yaml, docker/compose-ha.yaml): the
# image's own start-up, plus chat-bridge's broker users and roles (artemis/add-users.sh, the same as a standalone
# broker gets) and, with HA_ROLE=primary|backup, the HA part of an HA pair (artemis/ha/shared-store-$HA_ROLE.xml).
set -euo pipefail
instance=/var/lib/artemis-instance
# The image's docker-run.sh creates the instance on first start (`artemis create`, admin ARTEMIS_USER with role
# amq, then etc-override/ copied over etc/) and finally runs the artemis command it is given: `version` prints the
# version and returns here.
/docker-run.sh version
bash /opt/chat-bridge/add-users.sh "$instance"
if [ -n "${HA_ROLE:-}" ] && ! grep -q '<ha-policy>' "$instance/etc/broker.xml"; then
  # Inside <core>, as artemis/create-ha-pair.sh does; the brokers' own link gets CLUSTER_PASSWORD.
  awk -v fragment="/opt/chat-bridge/ha/shared-store-$HA_ROLE.xml" -v password="${CLUSTER_PASSWORD:?set CLUSTER_PASSWORD}" '
    /<\/core>/ { while ((getline line < fragment) > 0) { gsub(/@CLUSTER_PASSWORD@/, password, line); print line } }
    { print }' "$instance/etc/broker.xml" > "$instance/etc/broker.xml.new"
  mv "$instance/etc/broker.xml.new" "$instance/etc/broker.xml"
fi
exec "$instance/bin/artemis" run
