#!/usr/bin/env bash
# Registrations across 3 nodes (issue #18): memory per binding and cluster sync lag.
#
#   docs/bench/registrations-sync.sh [registrations=50000] [per-second=2000]
#
# Runs RegistrationSyncProbe: three real SIP stacks with their registrars on loopback (random UDP
# ports on 127.0.0.1), each a peer of the other two with a shared event key, in one JVM. The
# registrations are spread round-robin over the nodes at the given rate, each from its own 127.x.y.z
# address; every change goes to both peers as a sealed SIP MESSAGE over UDP. Prints the sync lag
# (sender's clock at send to receiver's clock when applied; same host, same clock) and the heap
# each node spends per binding (used heap after GC, before and after, divided by 3 x N; measured
# after the SIP transactions' Timer J/K have run out). Run it when /proc/loadavg is below 1.5.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q -o -pl softswitch -am test-compile -Dmaven.test.skip.exec=true >/dev/null
./mvnw -B -q -o -pl softswitch dependency:build-classpath -Dmdep.outputFile=/tmp/registrations-sync-cp.txt -Dmdep.includeScope=test >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The reactor's own modules come first: the classpath built for softswitch alone names the tandem-* jars of
# ~/.m2, which are whatever was last installed there (possibly older than this tree).
"$JAVA_HOME/bin/java" -Xmx2g -XX:+UseG1GC -cp "softswitch/target/test-classes:softswitch/target/classes:routing/target/classes:billing/target/classes:db/target/classes:$(cat /tmp/registrations-sync-cp.txt)" \
  io.tandem.softswitch.registrar.RegistrationSyncProbe "${1:-50000}" "${2:-2000}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
