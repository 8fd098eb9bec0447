#!/usr/bin/env bash
# Three Tandem nodes on loopback behind Debian's Kamailio running docs/deploy/kamailio-dispatcher.cfg,
# sharing one database (Debian's PostgreSQL 15), and the cluster scenarios run against them with sipp
# (the shared harness, ../shared/bench/run-cps.sh). Each scenario checks its own outcome and exits
# non-zero when it fails, so this script is also the end-to-end test of the dispatcher config.
#
#   docs/deploy/loopback-cluster.sh up        # database, 3 nodes, Kamailio; waits until all are ready
#   docs/deploy/loopback-cluster.sh spread    # 20 s at 150 CPS through Kamailio: the split per node
#   docs/deploy/loopback-cluster.sh rolling   # 30 s calls at a steady rate; drain, wait, restart node 1, 2, 3
#   docs/deploy/loopback-cluster.sh kill      # kill -9 node 2 under load; its leases and CDR spool afterwards
#   docs/deploy/loopback-cluster.sh maxcps    # --find-max through Kamailio: 3 nodes, then 1 node
#   docs/deploy/loopback-cluster.sh down      # stops everything (the data stays in $CLUSTER_DIR)
#
# Needs the built jar (./mvnw -q -DskipTests install), kamailio, sipp, /usr/lib/postgresql/15 and
# root (PostgreSQL runs as the postgres user). Addresses: Kamailio 127.0.0.1:5160 (UDP); node N SIP
# 127.0.0.1:517N, HTTP 127.0.0.1:1818N; PostgreSQL 127.0.0.1:25432; the demo's vendors are the
# harness's sipp UAS on 127.0.0.1:5090 and :5091. Logs in $CLUSTER_DIR.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CLUSTER_DIR=${CLUSTER_DIR:-/tmp/tandem-cluster}
BENCH=${BENCH:-$ROOT/../shared/bench}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=25432
KAM_PORT=5160
KEY=tandem-loopback-cluster-bootstrap-key-0123456789
JAR=$ROOT/console/target/tandem.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
KAM_MODULES=/usr/lib/x86_64-linux-gnu/kamailio/modules/
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/tandem"
mkdir -p "$CLUSTER_DIR"

say() { echo "[$(date +%T)] $*"; }
die() { echo "loopback-cluster: $*" >&2; exit 1; }
http() { echo $((18180 + $1)); }
sip() { echo $((5170 + $1)); }
api() { local node=$1 method=$2 path=$3; shift 3
  curl -sf -X "$method" -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' "$@" "http://127.0.0.1:$(http "$node")$path"; }
psql_q() { PGPASSWORD=tandem "$PG_BIN/psql" -qtAX -h 127.0.0.1 -p $PG_PORT -U tandem tandem -c "$1"; }
node_pid() { cat "$CLUSTER_DIR/node$1.pid" 2>/dev/null; }
alive() { local pid; pid=$(node_pid "$1"); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }
ready() { curl -sf "http://127.0.0.1:$(http "$1")/actuator/health/readiness" >/dev/null 2>&1; }
metric() { # node metric-name: the value of an unlabelled-except-application series
  curl -sf -H "X-Api-Key: $KEY" "http://127.0.0.1:$(http "$1")/actuator/prometheus" | awk -v m="$2" 'index($1, m) == 1 && (length($1) == length(m) || substr($1, length(m) + 1, 1) == "{") {print int($2); exit}'; }

database_up() {
  [[ -x $PG_BIN/initdb ]] || die "PostgreSQL 15 is not installed under $PG_BIN (apt-get install postgresql-15)"
  local data=$CLUSTER_DIR/pg
  if [[ ! -d $data ]]; then
    install -d -o postgres -g postgres "$data" "$CLUSTER_DIR/pg-run"
    echo tandem > "$CLUSTER_DIR/pg.pw"; chown postgres "$CLUSTER_DIR/pg.pw"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -U postgres --auth=scram-sha-256 --pwfile="$CLUSTER_DIR/pg.pw" >/dev/null
  fi
  if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -l "$CLUSTER_DIR/pg-run/pg.log" -w start \
      -o "-p $PG_PORT -k $CLUSTER_DIR/pg-run -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" >/dev/null \
      || die "PostgreSQL did not start: $(tail -5 "$CLUSTER_DIR/pg-run/pg.log")"
  fi
  if ! PGPASSWORD=tandem "$PG_BIN/psql" -qtAX -h 127.0.0.1 -p $PG_PORT -U postgres -c "select 1 from pg_database where datname='tandem'" postgres | grep -q 1; then
    PGPASSWORD=tandem "$PG_BIN/psql" -q -h 127.0.0.1 -p $PG_PORT -U postgres postgres \
      -c "create role tandem login password 'tandem'" -c "create database tandem owner tandem" >/dev/null
  fi
}

node_up() {
  local n=$1
  alive "$n" && return 0
  # Node 1 seeds the demo on the empty database; the others must not race it.
  local demo=false; [[ $n == 1 ]] && demo=true
  "$JAVA" ${JAVA_OPTS:--Xms1g -Xmx2g} -jar "$JAR" --tandem.node-id="node-$n" --tandem.data-dir="$CLUSTER_DIR/node$n" \
    --spring.datasource.url="$DB_URL" --spring.datasource.username=tandem --spring.datasource.password=tandem \
    --server.port="$(http "$n")" --tandem.sip.address=127.0.0.1 --tandem.sip.port="$(sip "$n")" --tandem.sip.tls-port=-1 \
    --tandem.sip.trusted-proxies=127.0.0.1/32 --tandem.api.bootstrap-key=$KEY --tandem.demo.enabled=$demo \
    --tandem.metrics.allowed-sources=127.0.0.1/32 \
    >> "$CLUSTER_DIR/node$n.log" 2>&1 &
  echo $! > "$CLUSTER_DIR/node$n.pid"
}

await_ready() {
  local n=$1 deadline=$((SECONDS + ${READY_TIMEOUT:-600}))
  until ready "$n"; do
    alive "$n" || die "node $n stopped: $(tail -20 "$CLUSTER_DIR/node$n.log")"
    (( SECONDS < deadline )) || die "node $n not ready after ${READY_TIMEOUT:-600} s"
    sleep 0.5
  done
}

kamailio_up() {
  [[ -x /usr/sbin/kamailio ]] || die "kamailio is not installed"
  if [[ -f $CLUSTER_DIR/kamailio.pid ]] && kill -0 "$(cat "$CLUSTER_DIR/kamailio.pid")" 2>/dev/null; then return 0; fi
  printf '1 sip:127.0.0.1:%s 0 0\n' "$(sip 1)" "$(sip 2)" "$(sip 3)" > "$CLUSTER_DIR/dispatcher.list"
  sed -e "s|#!KAMAILIO|#!KAMAILIO\nmpath=\"$KAM_MODULES\"|" \
      -e "s|listen=udp:0.0.0.0:5060|listen=udp:127.0.0.1:$KAM_PORT|" -e "/listen=tcp:0.0.0.0:5060/d" \
      -e "s|/etc/kamailio/dispatcher.list|$CLUSTER_DIR/dispatcher.list|" -e "s|children=4|children=2|" \
      -e 's|ds_ping_interval", 5|ds_ping_interval", 2|' \
      docs/deploy/kamailio-dispatcher.cfg > "$CLUSTER_DIR/kamailio.cfg"
  mkdir -p "$CLUSTER_DIR/kamailio-run"
  /usr/sbin/kamailio -f "$CLUSTER_DIR/kamailio.cfg" -DD -E -Y "$CLUSTER_DIR/kamailio-run" > "$CLUSTER_DIR/kamailio.log" 2>&1 &
  echo $! > "$CLUSTER_DIR/kamailio.pid"
  sleep 3
  kill -0 "$(cat "$CLUSTER_DIR/kamailio.pid")" 2>/dev/null || die "kamailio did not start: $(tail -5 "$CLUSTER_DIR/kamailio.log")"
}

up() {
  [[ -f $JAR ]] || die "$JAR is missing: ./mvnw -q -DskipTests install"
  database_up
  say "database up on 127.0.0.1:$PG_PORT"
  node_up 1; await_ready 1
  node_up 2; node_up 3; await_ready 2; await_ready 3
  # Demo money: the demo customer's 100 USD are held by ~650 live calls; give it room for long scenarios.
  api 1 POST /api/v1/accounts/1/top-ups -d '{"amount":"1000000.00","reference":"loopback cluster"}' >/dev/null || true
  kamailio_up
  sleep 5   # one probing round marks the nodes up
  say "3 nodes ready (SIP $(sip 1)-$(sip 3), HTTP $(http 1)-$(http 3)); Kamailio on 127.0.0.1:$KAM_PORT"
}

down() {
  [[ -f $CLUSTER_DIR/kamailio.pid ]] && kill "$(cat "$CLUSTER_DIR/kamailio.pid")" 2>/dev/null
  for n in 1 2 3; do alive "$n" && kill "$(node_pid "$n")"; done
  for n in 1 2 3; do while alive "$n"; do sleep 0.5; done; done
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/pg" -m fast stop >/dev/null 2>&1
  say "stopped"
}

offered() { local total=0 v; for n in 1 2 3; do v=$(metric "$n" tandem_calls_offered_total); echo -n "node-$n=${v:-down} "; done; echo; }

# The harness through Kamailio; extra arguments go to run-cps.sh. Prints its result line.
load() { "$BENCH/run-cps.sh" 127.0.0.1:$KAM_PORT --uas2 127.0.0.1:5091 "$@" 2>>"$CLUSTER_DIR/harness.log" | tail -1; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

spread() {
  local after
  declare -A b d
  for n in 1 2 3; do b[$n]=$(metric "$n" tandem_calls_offered_total); done
  local line; line=$(load --rate "${RATE:-150}" --duration 20 --label spread)
  echo "$line"
  local total=0
  for n in 1 2 3; do after=$(metric "$n" tandem_calls_offered_total); d[$n]=$((after - b[$n])); total=$((total + d[$n])); done
  say "split: node-1 ${d[1]}, node-2 ${d[2]}, node-3 ${d[3]} of $total calls"
  [[ $(field result "$line") == PASS ]] || die "spread: the harness failed"
  for n in 1 2 3; do (( d[$n] * 10 > total )) || die "spread: node $n got under 10 % of the calls"; done
}

# Answered calls as the database has them since $1 (epoch seconds): CDRs, distinct calls, charges.
billed_since() {
  psql_q "select count(*) filter (where answered_at is not null), count(distinct call_uuid) filter (where answered_at is not null),
          (select count(*) from (select call_uuid from ledger_entry where kind = 'call' and created_at >= to_timestamp($1)
                                 group by call_uuid having count(*) > 1) twice)
          from cdr where started_at >= to_timestamp($1)"
}

rolling() {
  local rate=${RATE:-20} hold_ms=30000 start
  start=$(date +%s)
  say "steady load: $rate CPS, 30 s calls, for ${DURATION:-240} s"
  load --rate "$rate" --duration "${DURATION:-240}" --hold $hold_ms --min-rate-frac 0.9 --label rolling > "$CLUSTER_DIR/rolling.result" &
  local harness=$!
  sleep 20
  for n in 1 2 3; do
    say "node $n: drain ($(metric "$n" tandem_calls_active) calls up)"
    api "$n" POST /api/v1/node/drain -d '{"draining":true}' >/dev/null || die "drain node $n failed"
    local deadline=$((SECONDS + 90))
    while (( $(metric "$n" tandem_calls_active) > 0 )); do
      (( SECONDS < deadline )) || die "node $n still has calls 90 s after drain"
      sleep 1
    done
    say "node $n: no calls left; restart"
    kill "$(node_pid "$n")"; while alive "$n"; do sleep 0.5; done
    node_up "$n"; await_ready "$n"
    say "node $n: ready again"
    sleep 5
  done
  wait "$harness"
  local line; line=$(cat "$CLUSTER_DIR/rolling.result"); echo "$line"
  sleep 5
  local billed; billed=$(billed_since "$start"); say "database: answered CDRs|distinct answered calls|calls charged twice = $billed"
  local success; success=$(field success "$line")
  local failed; failed=$(field failed "$line")
  IFS='|' read -r cdrs calls twice <<<"$billed"
  [[ $twice == 0 ]] || die "rolling: $twice calls charged more than once"
  [[ $cdrs == "$calls" ]] || die "rolling: $cdrs answered CDRs for $calls calls"
  awk -v s="$success" -v f="$failed" 'BEGIN { exit !((s / (s + f)) >= 0.999) }' || die "rolling: under 99.9 % of calls succeeded"
  say "rolling restart: $success calls answered and completed, $failed failed, every answered call billed once"
}

kill9() {
  local start; start=$(date +%s)
  load --rate 60 --duration 60 --hold 2000 --min-rate-frac 0.8 --min-success 95 --label kill > "$CLUSTER_DIR/kill.result" &
  local harness=$!
  sleep 15
  local victim=2 spool_before
  say "kill -9 node $victim ($(metric $victim tandem_calls_active) calls up)"
  kill -9 "$(node_pid $victim)"; rm -f "$CLUSTER_DIR/node$victim.pid"
  wait "$harness"
  cat "$CLUSTER_DIR/kill.result"
  say "money held by node-$victim: leases $(psql_q "select coalesce(sum(amount), 0) from balance_lease where node_id = 'node-$victim'"), reservations of $(psql_q "select count(*) from balance_reservation where node_id = 'node-$victim'") calls"
  say "waiting for node-$victim's heartbeat to expire and its leases to be reclaimed"
  local deadline=$((SECONDS + 120))
  until [[ $(psql_q "select (select count(*) from balance_lease where node_id = 'node-$victim' and amount > 0)
                           + (select count(*) from balance_reservation where node_id = 'node-$victim')") == 0 ]]; do
    (( SECONDS < deadline )) || die "kill: node-$victim's leases not reclaimed after 120 s"
    sleep 2
  done
  say "node-$victim's leases reclaimed by the others after $((SECONDS - deadline + 120)) s"
  local spooled; spooled=$(find "$CLUSTER_DIR/node$victim/spool" -type f 2>/dev/null | wc -l)
  say "node-$victim restarts with $spooled spool files"
  node_up $victim; await_ready $victim
  sleep 10
  local billed; billed=$(billed_since "$start"); say "database: answered CDRs|distinct answered calls|calls charged twice = $billed"
  IFS='|' read -r cdrs calls twice <<<"$billed"
  [[ $twice == 0 ]] || die "kill: $twice calls charged more than once"
}

maxcps() {
  say "3 nodes through Kamailio"; load --find-max --start 1000 --steps 6 --duration 10 --label three-nodes
  for n in 2 3; do api "$n" POST /api/v1/node/drain -d '{"draining":true}' >/dev/null; done
  sleep 5
  say "1 node through Kamailio (nodes 2 and 3 draining)"; load --find-max --start 1000 --steps 6 --duration 10 --label one-node
  for n in 2 3; do api "$n" POST /api/v1/node/drain -d '{"draining":false}' >/dev/null; done
}

case ${1:-} in
  up) up ;;
  down) down ;;
  spread) spread ;;
  rolling) rolling ;;
  kill) kill9 ;;
  maxcps) maxcps ;;
  status) for n in 1 2 3; do echo "node $n: $(alive "$n" && echo running || echo stopped), $(ready "$n" && echo ready || echo not ready)"; done; offered ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
