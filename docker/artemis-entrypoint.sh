#!/bin/bash
# Entry point for the official apache/activemq-artemis image (docker/compose.yaml): the image's own start-up, plus
# chat-bridge's broker users and roles (artemis/add-users.sh, the same as a standalone broker gets).
set -euo pipefail
# The image's docker-run.sh creates the instance on first start (`artemis create`, admin ARTEMIS_USER with role
# amq, then etc-override/ copied over etc/) and finally runs the artemis command it is given: `version` prints the
# version and returns here.
/docker-run.sh version
bash /opt/chat-bridge/add-users.sh /var/lib/artemis-instance
exec /var/lib/artemis-instance/bin/artemis run
