#!/usr/bin/env bash
# The restore drill on a node's embedded database (docs/operations.md, "Backups and restore"):
# back the data directory up the documented way (node stopped, the whole directory as one), restore it
# into a new directory, start a console-only node on the copy and check that the books came back whole.
#
#   docs/deploy/restore-drill.sh DATA_DIR        # e.g. ./data (the node using it must be stopped)
#
# Steps: (1) start a console-only node on DATA_DIR and count accounts, balances, ledger entries and
# CDRs; stop it; (2) tar DATA_DIR's postgres/, postgres.password and spool/ into $DRILL_DIR/backup.tgz;
# (3) untar into $DRILL_DIR/restored; (4) start a console-only node on it, count again, and let its
# reconciliation run (every balance = the sum of its ledger, held = its leases and reservations);
# (5) compare. Exits non-zero on any difference. Needs the built jar and psql (any version >= 13).
set -uo pipefail
cd "$(dirname "$0")/../.."
SRC=${1:?usage: restore-drill.sh DATA_DIR}
DRILL_DIR=${DRILL_DIR:-/tmp/tandem-restore-drill}
JAR=console/target/tandem.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
DB_PORT=25590
HTTP_PORT=18590
say() { echo "[$(date +%T)] $*"; }
die() { echo "restore-drill: $*" >&2; exit 1; }

[[ -f $JAR ]] || die "$JAR is missing: ./mvnw -q -DskipTests install"
[[ -d $SRC/postgres && -f $SRC/postgres.password ]] || die "$SRC has no embedded database (postgres/, postgres.password)"
[[ -f $SRC/postgres/postmaster.pid ]] && die "$SRC/postgres is in use (postmaster.pid): stop its node first; a copy of a running database is not a backup"

# Starts a console-only node on $1, runs the counts, stops it. Prints the counts line.
counted() {
  local dir=$1 log=$2 pid
  "$JAVA" -jar "$JAR" --tandem.data-dir="$dir" --no-demo --tandem.sip.enabled=false --server.port=$HTTP_PORT \
      --tandem.embedded-database.port=$DB_PORT --tandem.reconciliation.initial-delay=PT2S --tandem.node-id=restore-drill \
      > "$log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 600))
  until curl -sf localhost:$HTTP_PORT/actuator/health/readiness >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || die "the node on $dir stopped: $(tail -20 "$log")"
    (( SECONDS < deadline )) || die "the node on $dir was not ready in 10 minutes"
    sleep 1
  done
  sleep 8   # the reconciliation's first run (initial delay 2 s)
  grep -q "Reconciliation could not run" "$log" && die "the reconciliation could not run on $dir: $(grep "Reconciliation could not run" "$log")"
  local mismatches; mismatches=$(grep -c "Reconciliation: account" "$log")
  PGPASSWORD=$(cat "$dir/postgres.password") psql -qtAX -h 127.0.0.1 -p $DB_PORT -U postgres tandem -c "
    select 'accounts=' || (select count(*) from account)
        || ' balances=' || (select coalesce(sum(balance), 0) from account)
        || ' ledger_entries=' || (select count(*) from ledger_entry)
        || ' ledger_sum=' || (select coalesce(sum(amount), 0) from ledger_entry)
        || ' cdrs=' || (select count(*) from cdr)
        || ' cdr_sell=' || (select coalesce(sum(sell_cost), 0) from cdr)
        || ' accounts_off_their_ledger=' || (select count(*) from account a where a.balance <>
               (select coalesce(sum(l.amount), 0) from ledger_entry l where l.account_id = a.id))" \
    || die "psql could not read the database on $dir"
  echo "reconciliation_errors=$mismatches"
  kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.5; done
}

rm -rf "$DRILL_DIR"; mkdir -p "$DRILL_DIR"
say "1. counting the source ($SRC)"
before=$(counted "$SRC" "$DRILL_DIR/source-node.log" | tr '\n' ' ')
say "   $before"
say "2. backup: the data directory as one, node stopped"
tar -C "$SRC" -czf "$DRILL_DIR/backup.tgz" postgres postgres.password $( [[ -d $SRC/spool ]] && echo spool )
say "   $(du -h "$DRILL_DIR/backup.tgz" | cut -f1) in $DRILL_DIR/backup.tgz"
say "3. restore into $DRILL_DIR/restored"
mkdir -p "$DRILL_DIR/restored" && tar -C "$DRILL_DIR/restored" -xzf "$DRILL_DIR/backup.tgz"
say "4. a console-only node on the restored copy"
after=$(counted "$DRILL_DIR/restored" "$DRILL_DIR/restored-node.log" | tr '\n' ' ')
say "   $after"
[[ $before == "$after" ]] || die "the restored database differs from the source: before [$before] after [$after]"
[[ $after == *"accounts_off_their_ledger=0 "* && $after == *"reconciliation_errors=0 "* ]] \
  || die "the restored books do not reconcile: $after"
say "5. restored: the same accounts, balances, ledger and CDRs, every balance the sum of its ledger"
