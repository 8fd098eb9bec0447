#!/usr/bin/env bash
# SIP capture on vs off at a fixed rate, one node at a time on the same ports, in the order
# on, off, off, on (so a drift of the shared box shows as a difference between the two blocks of the
# same setting rather than between the settings), each measured by the team's harness
# (../shared/bench/run-cps.sh: sipp UAC -> node -> sipp UAS, all on 127.0.0.1) with the node's CPU per call.
#
#   docs/bench/capture-on-off.sh [BENCH_DIR] [RATE] [DURATION_S]      (defaults: ../shared/bench 1000 20)
#
# The node: the built jar (./mvnw -B -o -q package -DskipTests -pl console -am), embedded PostgreSQL,
# ZGC with a pre-touched 4 GiB heap, SIP 127.0.0.1:25080, HTTP 28089, the demo's vendor A moved to the
# harness UAS on 127.0.0.1:25090, UAC on 127.0.0.1:25061 (ports of its own: 5080/18080 are another
# bench's). Each block: start, warm up 30 s at 300 CPS and 30 s at RATE (not measured), measure RATE
# for DURATION_S, stop. Capture "on" is the default settings; "off" is tandem.capture.enabled=false.
# Each block also prints the node's CPU per call by thread (event loops, sip-capture, GC, ...) over the
# measured run, from /proc/PID/task, with the voluntary context switches per call of each: a capture
# hand-off that wakes its thread per message shows as several switches per call on sip-capture.
# Run it only on a quiet box (/proc/loadavg < 1.5): it refuses otherwise unless FORCE=1.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bench=${1:-$here/../shared/bench}
rate=${2:-1000}
duration=${3:-20}
java=${JAVA_HOME:?set JAVA_HOME to a JDK >= 21}/bin/java
jar=$here/console/target/tandem.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -o -q package -DskipTests -pl console -am" >&2; exit 2; }
load=$(cut -d' ' -f1 /proc/loadavg)
if [ "${FORCE:-0}" != 1 ] && awk -v l="$load" 'BEGIN { exit !(l >= 1.5) }'; then
  echo "load average $load >= 1.5: the figures would measure the neighbours; FORCE=1 to run anyway" >&2
  exit 3
fi
out=${OUT:-$(mktemp -d /tmp/tandem-capture-bench.XXXXXX)}
sip=25080 http=28089 uas=127.0.0.1:25090 uac=127.0.0.1:25061

threads() { # threads PID: one line per thread, "name utime stime voluntary-switches" (clock ticks)
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s|%s %s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{print $14, $15}' "$t/stat" 2>/dev/null)" \
        "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null)"
  done
}

by_thread() { # by_thread BEFORE AFTER CALLS: CPU per call of each kind of thread between two snapshots
  python3 - "$1" "$2" "$3" "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
def load(path):
    rows = collections.defaultdict(lambda: [0, 0])
    for line in open(path):
        name, _, rest = line.rstrip('\n').partition('|')
        fields = rest.split()
        if len(fields) == 3:
            kind = re.sub(r'[-#]?\d+$', '', name)
            rows[kind][0] += int(fields[0]) + int(fields[1])
            rows[kind][1] += int(fields[2])
    return rows
before, after = load(sys.argv[1]), load(sys.argv[2])
calls, hz = float(sys.argv[3]), float(sys.argv[4])
rows = [(k, after[k][0] - before[k][0], after[k][1] - before[k][1]) for k in after]
for kind, ticks, switches in sorted(rows, key=lambda r: -r[1])[:8]:
    if ticks > 0:
        print("   %-24s %7.1f us CPU per call, %5.2f voluntary switches per call" % (kind, ticks / hz * 1e6 / calls, switches / calls))
PY
}

one() { # one SETTING (on|off) BLOCK
  local setting=$1 block=$2 work key pid
  work=$out/$block-$setting
  mkdir -p "$work"
  key=bench-$(date +%s%N)
  # shellcheck disable=SC2086
  "$java" ${TANDEM_JAVA_OPTS:--Xms4g -Xmx4g -XX:+UseZGC -XX:+AlwaysPreTouch} -jar "$jar" --tandem.data-dir="$work/data" \
      --tandem.sip.address=127.0.0.1 --tandem.sip.port=$sip --tandem.sip.tls-port=-1 --server.port=$http \
      --tandem.api.bootstrap-key="$key" --logging.level.root=warn \
      --tandem.capture.enabled=$([ "$setting" = on ] && echo true || echo false) > "$work/node.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 240); do curl -sf localhost:$http/actuator/health >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d '{"amount":"100000000"}' \
      localhost:$http/api/v1/accounts/1/top-ups > /dev/null
  # vendor A (the demo's first choice) to the harness UAS
  local gw
  gw=$(curl -sf -H "X-Api-Key: $key" localhost:$http/api/v1/vendor-gateways | python3 -c '
import json, sys
for g in json.load(sys.stdin):
    if g["name"] == "vendor-a-gw1":
        print(json.dumps({"accountId": g["accountId"], "name": g["name"], "host": "127.0.0.1", "port": int(sys.argv[1]),
                          "priority": g["priority"], "transport": "udp", "dnsLookup": "address", "enabled": True}))' "${uas##*:}")
  local id
  id=$(curl -sf -H "X-Api-Key: $key" localhost:$http/api/v1/vendor-gateways | python3 -c '
import json, sys
print(next(g["id"] for g in json.load(sys.stdin) if g["name"] == "vendor-a-gw1"))')
  curl -sf -X PUT -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "$gw" localhost:$http/api/v1/vendor-gateways/$id > /dev/null
  sleep 2
  "$bench/run-cps.sh" 127.0.0.1:$sip --rate 300 --duration 30 --hold 1000 --uas $uas --uac $uac --target-pid "$pid" \
      --label warmup --out "$work/warmup" > /dev/null 2>&1 || true
  "$bench/run-cps.sh" 127.0.0.1:$sip --rate "$rate" --duration 30 --hold 1000 --uas $uas --uac $uac --target-pid "$pid" \
      --label warmup2 --out "$work/warmup2" > /dev/null 2>&1 || true
  threads "$pid" > "$work/threads-before"
  "$bench/run-cps.sh" 127.0.0.1:$sip --rate "$rate" --duration "$duration" --hold 1000 --uas $uas --uac $uac --target-pid "$pid" \
      --label "capture-$setting-$block" --out "$work/run" > "$work/run.txt" 2>&1 || true
  sleep 6 # the measured calls' linger (5 s) ends and they are compressed: their capture's work is counted
  threads "$pid" > "$work/threads-after"
  echo "== block $block, capture $setting (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  grep -v '^#' "$work/run.txt" | tail -6
  echo "   by thread, over the measured run and the linger after it ($((rate * duration)) calls):"
  by_thread "$work/threads-before" "$work/threads-after" $((rate * duration))
  if [ "$setting" = on ]; then
    curl -s -H "X-Api-Key: $key" localhost:$http/actuator/prometheus | grep -E '^tandem_capture_(queue_full|dropped_caps|calls_delivered|stored_bytes|stored_calls)' || true
  fi
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
}

one on 1
one off 2
one off 3
one on 4
echo "# raw results under $out"
