#!/usr/bin/env bash
# Entry point of the Tandem container image (Dockerfile): starts the node from the JDK's
# ahead-of-time cache that the image build recorded in a training run (see run-node.sh for the idea).
#
#   JAVA_OPTS   JVM options (the image sets ZGC and -XX:MaxRAMPercentage=70)
#   TANDEM_AOT  "off" starts without the cache (a plain java -jar)
#
# Arguments go to the node, e.g. --no-demo. The JVM replaces this shell (exec), so SIGTERM from
# `docker stop` reaches it and the node drains and stops in order.
set -euo pipefail

home=/opt/tandem
aot=()
if [[ ${TANDEM_AOT:-on} != off && -f $home/tandem.aot ]]; then
  aot=(-XX:AOTCache="$home/tandem.aot")
fi
# JAVA_OPTS is a list of options separated by blanks, deliberately split here.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} "${aot[@]}" -jar "$home/tandem.jar" "$@"
