#!/usr/bin/env bash
# Console figures in a real browser for docs/performance.md (issue #16), with Debian's chromium and chromium-driver:
#  - Active calls: first render of 10,000 live calls aggregated from two peers (target < 1 s), 5 times each in-app
#    (signed in on the dashboard, a click on "Active calls" in the side navigation: the view's render, what the target
#    is held to), hot (a browser's fourth page load of /calls: scripts and their compiled code cached), warm (its
#    second) and cold (a fresh Chromium profile whose first page is /calls, nothing cached), timed by the test and in
#    the page, with where each page load went (requests fetched / revalidated / cached, bytes, server times);
#  - Dashboard: the node's CPU over 60 s with no console open, then with 5 headless dashboards open
#    (target < 2 % of a core per open console).
# Runs ConsoleBrowserBenchmark, which the normal test run skips. Waits for a quiet machine (load average < 1.5)
# unless QUIET=0; the load average is printed next to each figure.
#
#   docs/bench/console-browser.sh [seconds=60] [dashboards=5]
#   TEST='ConsoleBrowserBenchmark#pageLoadBreakdown' BENCH_ARGS=-Dtandem.bench.breakdown=5 docs/bench/console-browser.sh
#       where a page load goes (Chromium's long animation frames by script, each request's start and end)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "${QUIET:-1}" != 0 ]; then
    while awk '{ exit !($1 >= 1.5) }' /proc/loadavg; do
        echo "load average $(cut -d' ' -f1 /proc/loadavg) >= 1.5; waiting" >&2
        sleep 30
    done
fi
# the benchmark serves Vaadin's production bundle from console/target/classes, where only the package phase
# (build-frontend, after the tests) puts it: in a fresh checkout or after a clean every page answered 500
if [ ! -d console/target/classes/META-INF/VAADIN/webapp ]; then
    ./mvnw -B -o -q package -DskipTests -pl console -am
fi
./mvnw -B -o verify -pl console -am -Dtest="${TEST:-ConsoleBrowserBenchmark}" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.rerunFailingTestsCount=0 -Dtandem.bench.console=true -Dtandem.bench.seconds="${1:-60}" \
    -Dtandem.bench.dashboards="${2:-5}" ${BENCH_ARGS:-} 2>&1 | tee "${TMPDIR:-/tmp}/console-browser-bench.log" | grep '\[bench\]\|Tests run:\|BUILD'
