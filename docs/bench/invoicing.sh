#!/usr/bin/env bash
# Month-end figures for docs/performance.md (issue #20): invoicing N customers on embedded PostgreSQL,
# and reconciling a 10,000,000-row vendor CDR file (generated on first run, ~600 MB, kept in
# billing/target/reconciliation-bench). Waits until the machine is quiet (load average < 1.5) before each
# phase, as the figures mean nothing on a loaded 2-core box.
#
#   docs/bench/invoicing.sh [customers=1000] [calls-per-customer=200] [reconciliation-rows=10000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
customers=${1:-1000}
calls=${2:-200}
rows=${3:-10000000}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

wait_quiet() {
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

wait_quiet
echo "== invoicing $customers customers x $calls calls (load $(cut -d' ' -f1 /proc/loadavg))"
"$JAVA_HOME/bin/java" -Duser.timezone=UTC -Xmx1g -cp "$cp" \
    io.tandem.billing.benchmark.InvoiceRunBenchmark "$customers" "$calls" 20 postgres

wait_quiet
echo "== reconciling $rows rows (load $(cut -d' ' -f1 /proc/loadavg))"
"$JAVA_HOME/bin/java" -Duser.timezone=UTC -Xmx512m -cp "$cp" \
    io.tandem.billing.benchmark.ReconciliationBenchmark "$rows" billing/target/reconciliation-bench
