#!/usr/bin/env bash
# Adds chat-bridge's broker users to an Artemis instance, with the roles artemis/broker.xml grants permissions to:
#   bridge       everything the bridge needs (the only role that may send to webhook.* and chatbridge.reply-index)
#   chat-system  send to chat.*; consume and browse partner.messages
#   operator     browse and consume DLQ.*, EXPIRED.*, DLA, ExpiryQueue
# The instance's own admin user (`artemis create --user`, role amq) is left as it is.
#
#   artemis/add-users.sh INSTANCE_DIR
#
# Environment (passwords are required; users default as shown): BRIDGE_BROKER_USER (chat-bridge) /
# BRIDGE_BROKER_PASSWORD, CHAT_SYSTEM_USER (chat-system) / CHAT_SYSTEM_PASSWORD, OPERATOR_USER (operator) /
# OPERATOR_PASSWORD. Passwords are stored hashed (`artemis mask --hash`). Running it again replaces the three users.
# Used by create-standalone.sh and by docker/artemis-entrypoint.sh (the official image), so both get the same roles.
set -euo pipefail
instance="${1:?usage: add-users.sh INSTANCE_DIR}"
: "${BRIDGE_BROKER_PASSWORD:?set BRIDGE_BROKER_PASSWORD}" "${CHAT_SYSTEM_PASSWORD:?set CHAT_SYSTEM_PASSWORD}" \
  "${OPERATOR_PASSWORD:?set OPERATOR_PASSWORD}"
bridge_user="${BRIDGE_BROKER_USER:-chat-bridge}"
chat_user="${CHAT_SYSTEM_USER:-chat-system}"
operator_user="${OPERATOR_USER:-operator}"
users="$instance/etc/artemis-users.properties"
roles="$instance/etc/artemis-roles.properties"
[ -f "$users" ] && [ -f "$roles" ] || { echo "$instance is not an Artemis instance (no etc/artemis-users.properties)" >&2; exit 1; }

hash() {
  "$instance/bin/artemis" mask --hash "$1" | sed -n 's/^result: //p'
}

# Drop earlier entries of these users and roles, then add them anew.
for user in "$bridge_user" "$chat_user" "$operator_user"; do
  sed -i "/^${user} *=/d" "$users"
done
sed -i '/^bridge *=/d; /^chat-system *=/d; /^operator *=/d' "$roles"
# `artemis create` writes both files without a final newline.
for file in "$users" "$roles"; do
  [ -z "$(tail -c 1 "$file")" ] || echo >> "$file"
done
{
  echo "$bridge_user = ENC($(hash "$BRIDGE_BROKER_PASSWORD"))"
  echo "$chat_user = ENC($(hash "$CHAT_SYSTEM_PASSWORD"))"
  echo "$operator_user = ENC($(hash "$OPERATOR_PASSWORD"))"
} >> "$users"
{
  echo "bridge = $bridge_user"
  echo "chat-system = $chat_user"
  echo "operator = $operator_user"
} >> "$roles"
