#!/usr/bin/env bash
# Cold start: a node's first seconds after readiness, with and without the JDK's AOT cache (#21).
#
#   docs/bench/cold-start.sh off on off on off on      # one node start per argument, in that order
#
# Each start runs the README's node command (console/bin/run-node.sh; TANDEM_AOT=off|on) on
# /tmp/coldnode, polls /actuator/health/readiness every 0.1 s, and the moment the node is ready runs
# the shared harness at 500 CPS for 10 s and then at 1,000 CPS for 10 s, then stops the node.
# Leave out the first start of each kind (migrations and demo seeding; the AOT training run), and top
# the demo customer up once it runs (its 100 USD are all held by live calls at about 650 concurrent):
#   curl -H "X-Api-Key: $(grep -o 'tdm_[A-Za-z0-9_]*' /tmp/coldnode/first-start-secrets.txt)" \
#        -H 'Content-Type: application/json' -d '{"amount":"1000000.00","reference":"benchmark"}' \
#        localhost:18080/api/v1/accounts/1/top-ups
# Needs the built jar (./mvnw -q -DskipTests install) and ../shared/bench (BENCH= to point elsewhere).
set -uo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/bench}
args=(--tandem.data-dir=/tmp/coldnode --server.port=18080 --tandem.sip.address=127.0.0.1 --tandem.sip.port=5080 --tandem.sip.tls-port=-1)
for mode in "$@"; do
  t0=$(date +%s.%N)
  TANDEM_AOT=$mode console/bin/run-node.sh "${args[@]}" > "/tmp/cold-$mode.log" 2>&1 &
  until curl -sf localhost:18080/actuator/health/readiness >/dev/null 2>&1; do sleep 0.1; done
  t1=$(date +%s.%N)
  pid=$(pgrep -f "tandem.data-dir=/tmp/coldnode" | head -1)
  echo "== AOT=$mode ready after $(echo "$t1 - $t0" | bc) s ($(grep -o 'Started TandemApplication in [0-9.]* seconds' "/tmp/cold-$mode.log")); load $(cut -d' ' -f1 /proc/loadavg)"
  "$BENCH/run-cps.sh" 127.0.0.1:5080 --rate 500 --duration 10 --target-pid "$pid" --label "aot-$mode-first" 2>/dev/null | tail -1
  "$BENCH/run-cps.sh" 127.0.0.1:5080 --rate 1000 --duration 10 --target-pid "$pid" --label "aot-$mode-second" 2>/dev/null | tail -1
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  sleep 2
done
