# Sourced by create-standalone.sh and create-ha-pair.sh: the broker users' names and passwords (README, Security).
# An existing instance keeps the passwords it was created with, unless the environment names new ones; any still
# unset is generated. CREDENTIALS lists the variables; a script may add its own before calling load_credentials.
CREDENTIALS="ARTEMIS_USER ARTEMIS_PASSWORD BRIDGE_BROKER_USER BRIDGE_BROKER_PASSWORD CHAT_SYSTEM_USER CHAT_SYSTEM_PASSWORD OPERATOR_USER OPERATOR_PASSWORD"

generated_password() { head -c 24 /dev/urandom | base64 | tr '+/' '-_'; }

# load_credentials ENV_FILE: what the environment says, else what ENV_FILE kept, else the default or a new password.
load_credentials() {
  local env_file="$1" name
  if [ -f "$env_file" ]; then
    for name in $CREDENTIALS; do
      [ -n "${!name:-}" ] || export "$name=$(. "$env_file"; printf '%s' "${!name:-}")"
    done
  fi
  export ARTEMIS_USER="${ARTEMIS_USER:-admin}" ARTEMIS_PASSWORD="${ARTEMIS_PASSWORD:-$(generated_password)}"
  export BRIDGE_BROKER_USER="${BRIDGE_BROKER_USER:-chat-bridge}" BRIDGE_BROKER_PASSWORD="${BRIDGE_BROKER_PASSWORD:-$(generated_password)}"
  export CHAT_SYSTEM_USER="${CHAT_SYSTEM_USER:-chat-system}" CHAT_SYSTEM_PASSWORD="${CHAT_SYSTEM_PASSWORD:-$(generated_password)}"
  export OPERATOR_USER="${OPERATOR_USER:-operator}" OPERATOR_PASSWORD="${OPERATOR_PASSWORD:-$(generated_password)}"
}

# Prints NAME=value lines for an env file (sourced by people and scripts), then what the bridge reads.
print_credentials() {
  local name
  for name in $CREDENTIALS; do printf '%s=%q\n' "$name" "${!name}"; done
  printf 'BROKER_USER=%q\nBROKER_PASSWORD=%q\n' "$BRIDGE_BROKER_USER" "$BRIDGE_BROKER_PASSWORD"
}
