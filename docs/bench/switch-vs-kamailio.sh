#!/usr/bin/env bash
# Tandem next to Kamailio (dialog-stateful proxy), measured in one invocation by the team's SIP
# load harness (../shared/bench, sipp UAC -> target -> sipp UAS on 127.0.0.1).
#
#   docs/bench/switch-vs-kamailio.sh [BENCH_DIR] [-- run-cps.sh options]
#   TANDEM_VS=direct docs/bench/switch-vs-kamailio.sh [BENCH_DIR] [-- run-cps.sh options]
#
# TANDEM_VS=direct compares Tandem with the harness alone (sipp UAC calling the UAS directly) instead
# of Kamailio: B's PDD minus A's is the PDD Tandem adds.
#
# Defaults: a fixed-rate run at 200 CPS (PDD), then a --find-max search. Tandem runs with full
# routing and billing on its embedded PostgreSQL (demo customer trunk 127.0.0.1, vendor A on
# 127.0.0.1:5090 = the harness UAS), SIP on 127.0.0.1:5080, HTTP on 8089, data in a temp dir, ZGC with
# an 8 GiB heap.
# Needs: a built jar (./mvnw -q -DskipTests install), sipp, kamailio, JAVA_HOME >= 21.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bench=${1:-$here/../shared/bench}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
java=${JAVA_HOME:?set JAVA_HOME to a JDK >= 21}/bin/java
jar=$here/console/target/tandem.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests install" >&2; exit 2; }

work=$(mktemp -d /tmp/tandem-bench.XXXXXX)
key=bench-$(date +%s%N)
# TANDEM_JAVA_OPTS replaces the node's JVM options (heap, collector) for experiments. The default heap
# is 8 GiB: ZGC's young collections copy every call still up, so a 2 GiB heap collects ~2.5x as often
# (51 % vs 21 % of a core in GC at 2,500 CPS; docs/performance.md).
# shellcheck disable=SC2086
"$java" ${TANDEM_JAVA_OPTS:--Xms8g -Xmx8g -XX:+UseZGC -XX:+AlwaysPreTouch} -jar "$jar" --tandem.data-dir="$work/data" \
    --tandem.sip.address=127.0.0.1 --tandem.sip.port=5080 --tandem.sip.tls-port=-1 --server.port=8089 \
    --tandem.api.bootstrap-key="$key" --logging.level.root=warn > "$work/node.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf localhost:8089/actuator/health >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d '{"amount":"100000000"}' \
    localhost:8089/api/v1/accounts/1/top-ups > /dev/null
echo "# tandem pid $pid, data $work, JVM options: ${TANDEM_JAVA_OPTS:-default}" >&2

# Warm-up (not measured): 30 s at 300 CPS, then ${TANDEM_WARMUP_CPS:-1000} CPS for 30 s, so the JIT has
# compiled the hot paths at a rate like the measured one and the collector has left its start-up
# cycles behind (ZGC's "Warmup" collections at 10, 20 and 30 % of the heap).
"$bench/run-cps.sh" 127.0.0.1:5080 --rate 300 --duration 30 --hold 1000 --target-pid "$pid" --label warmup \
    --out "$work/warmup" > /dev/null 2>&1 || true
if [ "${TANDEM_WARMUP_CPS:-1000}" -gt 0 ]; then
  "$bench/run-cps.sh" 127.0.0.1:5080 --rate "${TANDEM_WARMUP_CPS:-1000}" --duration 30 --hold 1000 --target-pid "$pid" \
      --label warmup2 --out "$work/warmup2" > /dev/null 2>&1 || true
fi

if [ $# -eq 0 ]; then
  "$bench/run-kamailio-baseline.sh" --variant dialog --vs 127.0.0.1:5080 --vs-pid "$pid" --vs-label tandem -- \
      --rate 200 --duration 20 --repeat 2
  "$bench/run-kamailio-baseline.sh" --variant dialog --vs 127.0.0.1:5080 --vs-pid "$pid" --vs-label tandem -- \
      --find-max --start 500 --steps 8 --duration 15
elif [ "${TANDEM_VS:-kamailio}" = direct ]; then
  "$bench/run-cps.sh" 127.0.0.1:5090 127.0.0.1:5080 --target-pid-b "$pid" --label direct --label-b tandem "$@"
else
  "$bench/run-kamailio-baseline.sh" --variant dialog --vs 127.0.0.1:5080 --vs-pid "$pid" --vs-label tandem -- "$@"
fi
echo "# heap after: $(curl -s localhost:8089/actuator/metrics/jvm.memory.used | grep -o '"value":[0-9.E]*' | head -1)" >&2
