#!/usr/bin/env bash
# What rate-change notices cost on a big sell deck (docs/performance.md, "Rate-change notices"):
# RateNoticeBench on the test node (embedded PostgreSQL, aiosmtpd as the mail server) commits a full deck of
# CODES new codes, then reprices every code (half up, pushed to the end of the notice period, half down),
# and prints the commit time with the notice, the notice's line count, the CSV download and when the mail left.
# Usage: docs/bench/rate-notices.sh [CODES]   (default 100000; needs python3-aiosmtpd)
set -euo pipefail
cd "$(dirname "$0")/../.."
codes=${1:-100000}
./mvnw -B -o verify -pl console -am -Dtest=RateNoticeBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtandem.bench.notices=true -Dtandem.bench.codes="$codes" 2>&1 | tee /tmp/rate-notices-bench.log | grep '\[bench\]'
