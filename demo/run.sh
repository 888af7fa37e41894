#!/usr/bin/env bash
# The demo in one command (README, "See it work in one minute"): builds the jar and the demo's classes when they are
# missing or older than the sources, then runs chatbridge.demo.DemoApplication: the real bridge on an embedded broker
# in a temporary directory, a simulated chat system and a simulated partner, on free 127.0.0.1 ports. It stops by
# itself; the exit status is 0 when every event went all the way round. The demo (src/test/java/chatbridge/demo) is
# not part of the production jar: it runs from target/test-classes next to it, with the test suite's bridge runner.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/chat-bridge.jar
if [ ! -f "$jar" ] || [ ! -f target/test-classes/chatbridge/demo/DemoApplication.class ] \
   || [ -n "$(find pom.xml src artemis/broker.xml -newer "$jar" -print -quit)" ]; then
  echo "building $jar (about a minute the first time) ..." >&2
  mvn -q -B -Dstyle.color=never package -DskipTests
fi
exec java -cp "$jar:target/test-classes" chatbridge.demo.DemoApplication "$@"
