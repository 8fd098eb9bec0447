#!/usr/bin/env bash
# Overload (issue #15): the node offered 2x and 4x what it carries, next to Kamailio with dialog at the
# same rates, in one invocation of the shared harness per rate (A = Kamailio, B = Tandem).
#
#   docs/bench/overload.sh MAX_CPS [BENCH_DIR]
#
# MAX_CPS is the node's own maximum on this machine (docs/bench/switch-vs-kamailio.sh's --find-max, or
# the latest figure in docs/performance.md). For each of 2x and 4x MAX_CPS the script runs 10 s of
# calls through both targets, then, 2 s after the overload ends, 10 s at MAX_CPS / 2 through Tandem
# alone ("full success after the overload"). After each step it prints the node's shed counter and
# admitted share, both vendor breakers (they must stay CLOSED) and the heap after a full collection
# (jcmd GC.heap_info). Everything stays on 127.0.0.1; run it only on an otherwise idle machine
# (/proc/loadavg below 1.5). The harness's own default ports are used (UAC 5061, UAS 5090); the node
# listens on TANDEM_SIP_PORT (default 5082) and TANDEM_HTTP_PORT (default 18082).
# Needs: a built jar (./mvnw -B -o -q package -DskipTests -pl console -am), sipp, kamailio, JAVA_HOME.
set -euo pipefail
max=${1:?usage: overload.sh MAX_CPS [BENCH_DIR]}
here=$(cd "$(dirname "$0")/../.." && pwd)
bench=${2:-$here/../shared/bench}
sip_port=${TANDEM_SIP_PORT:-5082}
http_port=${TANDEM_HTTP_PORT:-18082}
java=${JAVA_HOME:?set JAVA_HOME}/bin/java
jar=$here/console/target/tandem.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -o -q package -DskipTests -pl console -am" >&2; exit 2; }

work=$(mktemp -d /tmp/tandem-overload.XXXXXX)
key=bench-$(date +%s%N)
# shellcheck disable=SC2086
"$java" ${TANDEM_JAVA_OPTS:--Xms8g -Xmx8g -XX:+UseZGC -XX:+AlwaysPreTouch} -jar "$jar" --tandem.data-dir="$work/data" \
    --tandem.sip.address=127.0.0.1 --tandem.sip.port="$sip_port" --tandem.sip.tls-port=-1 --server.port="$http_port" \
    --tandem.api.bootstrap-key="$key" --logging.level.root=warn > "$work/node.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "localhost:$http_port/actuator/health/readiness" >/dev/null 2>&1 && break; sleep 0.5; done
api() { curl -sf -H "X-Api-Key: $key" -H 'Content-Type: application/json' "$@"; }
api -d '{"amount":"100000000"}' "localhost:$http_port/api/v1/accounts/1/top-ups" > /dev/null
echo "# tandem pid $pid, data $work, load $(cut -d' ' -f1 /proc/loadavg)" >&2

state() {
  echo "# after $1: $(curl -sf "localhost:$http_port/actuator/prometheus" | grep -E '^tandem_sip_overload_(shed_total|shed_unparsed_total|shed_acks_dropped_total|admitted_share|budget)' | tr '\n' ' ')"
  echo "# breakers: $(api "localhost:$http_port/api/v1/node/breakers")"
  echo "# heap: $("${JAVA_HOME}/bin/jcmd" "$pid" GC.run > /dev/null; "${JAVA_HOME}/bin/jcmd" "$pid" GC.heap_info | grep -m1 -iE 'used|ZHeap')"
}

# Warm-up, not measured: 30 s at a third of the maximum.
"$bench/run-cps.sh" "127.0.0.1:$sip_port" --rate $((max / 3)) --duration 30 --target-pid "$pid" --label warmup \
    --out "$work/warmup" > /dev/null 2>&1 || true
state warm-up
for factor in 2 4; do
  rate=$((max * factor))
  echo "== ${factor}x: $rate CPS for 10 s"
  "$bench/run-kamailio-baseline.sh" --variant dialog --vs "127.0.0.1:$sip_port" --vs-pid "$pid" --vs-label tandem -- \
      --rate "$rate" --duration 10 --cooldown 0 --cooldown-fail 2 --out "$work/x$factor" 2>/dev/null | tail -3 || true
  state "${factor}x"
  sleep 2
  echo "== 2 s after ${factor}x: $((max / 2)) CPS for 10 s through tandem"
  "$bench/run-cps.sh" "127.0.0.1:$sip_port" --rate $((max / 2)) --duration 10 --target-pid "$pid" --label after \
      --cooldown 0 --out "$work/after$factor" 2>/dev/null | tail -1 || true
  state "recovery after ${factor}x"
done
