#!/usr/bin/env bash
# The demo in one command (README, "See it work in one minute"): builds the jar when it is missing or older than
# the sources, then runs chatbridge.demo.DemoApplication: the real bridge on an embedded broker in a temporary
# directory, a simulated chat system and a simulated partner, on free 127.0.0.1 ports. It stops by itself; the exit
# status is 0 when every event went all the way round.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/chat-bridge.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src artemis/broker.xml -newer "$jar" -print -quit)" ]; then
  echo "building $jar (about a minute the first time) ..." >&2
  mvn -q -B -Dstyle.color=never package -DskipTests
fi
exec java -cp "$jar" chatbridge.demo.DemoApplication "$@"
