#!/usr/bin/env bash
# The first minute of a fresh node (#21's goal): >= 50 % of its warm max CPS in the first 10 s of
# being ready, and 100 % within 60 s.
#
#   docs/bench/first-minute.sh [FIRST_RATE] [FULL_RATE]     # defaults: 1000 and 1828
#
# Starts the README's node command (console/bin/run-node.sh, AOT cache on unless TANDEM_AOT=off) on
# /tmp/coldnode, and the moment /actuator/health/readiness says UP runs the shared harness at
# FIRST_RATE CPS for 10 s (the goal: >= half the warm max), then twice FULL_RATE (the warm max)
# for 10 s each, then - the node now warm - the harness's --find-max search from 1400 for the warm
# max of this very run. Every line carries its seconds since ready. Same preparation as
# cold-start.sh: run a start once to seed /tmp/coldnode (and make the AOT cache), top the demo customer up.
set -uo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/bench}
first_rate=${1:-1000}
full_rate=${2:-1828}
args=(--tandem.data-dir=/tmp/coldnode --server.port=18080 --tandem.sip.address=127.0.0.1 --tandem.sip.port=5080 --tandem.sip.tls-port=-1)
t0=$(date +%s.%N)
console/bin/run-node.sh "${args[@]}" > /tmp/first-minute-node.log 2>&1 &
node=$!
until curl -sf localhost:18080/actuator/health/readiness >/dev/null 2>&1; do
  if ! kill -0 "$node" 2>/dev/null; then echo "the node stopped before it was ready:" >&2; tail -20 /tmp/first-minute-node.log >&2; exit 1; fi
  sleep 0.1
done
ready=$(date +%s.%N)
since() { printf '%5.1f s' "$(echo "$(date +%s.%N) - $ready" | bc)"; }
pid=$(pgrep -f "tandem.data-dir=/tmp/coldnode" | grep -v "^$$\$" | tail -1)
echo "== ready after $(echo "$ready - $t0" | bc) s (AOT=${TANDEM_AOT:-on}); load $(cut -d' ' -f1 /proc/loadavg)"
echo "[$(since)] $first_rate CPS for 10 s"
"$BENCH/run-cps.sh" 127.0.0.1:5080 --rate "$first_rate" --duration 10 --target-pid "$pid" --label first-10s 2>/dev/null | tail -1
for round in 1 2; do
  echo "[$(since)] $full_rate CPS for 10 s"
  "$BENCH/run-cps.sh" 127.0.0.1:5080 --rate "$full_rate" --duration 10 --target-pid "$pid" --label "full-$round" 2>/dev/null | tail -1
done
echo "[$(since)] --find-max from 1400 (warm)"
"$BENCH/run-cps.sh" 127.0.0.1:5080 --find-max --start 1400 --factor 1.3 --steps 5 --duration 10 \
    --target-pid "$pid" --label find-max 2>/dev/null | grep -E 'max_cps|^run|cps=' | tail -6
echo "[$(since)] done"
kill "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
