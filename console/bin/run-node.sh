#!/usr/bin/env bash
# Runs a Tandem node from console/target/tandem.jar (built by `./mvnw -q -DskipTests install`),
# started from the JDK's ahead-of-time cache when the JDK has one (JDK 25+: JEPs 483, 514, 515):
# classes loaded and linked ahead of time and method profiles recorded in a training run, so the
# node starts faster and its call path is compiled sooner.
#
# The first run after each build makes the cache: it extracts the jar into console/target/aot/
# (the cache needs plain jars on the class path), then runs a training node on a throw-away data
# directory and ports (demo data, the built-in warm-up, then it stops), which records
# console/target/aot/tandem.aot. Later runs use it. Arguments are passed to the node.
#
#   TANDEM_AOT=off console/bin/run-node.sh   # run without the cache (the plain `java -jar`)
#   JAVA_OPTS="-Xms8g -Xmx8g -XX:+UseZGC" console/bin/run-node.sh   # JVM options, for the training run too
set -euo pipefail

console_dir=$(cd "$(dirname "$0")/.." && pwd)
jar=$console_dir/target/tandem.jar
aot_dir=$console_dir/target/aot
java_opts=${JAVA_OPTS:-}

# The node needs Java 21+: JAVA_HOME when it is one, else the newest JDK/JRE >= 21 under /usr/lib/jvm (a machine's
# default java may be older), else a clear error instead of the JVM's UnsupportedClassVersionError.
java_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [[ $(java_version "$java_cmd" 2>/dev/null | cut -d. -f1) -lt 21 ]] 2>/dev/null; then
  best=""; best_major=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x $candidate ]] || continue
    major=$(java_version "$candidate" 2>/dev/null | cut -d. -f1)
    if [[ ${major:-0} -ge 21 && $major -gt $best_major ]]; then best=$candidate; best_major=$major; fi
  done
  if [[ -z $best ]]; then
    echo "run-node.sh: Tandem needs Java 21 or newer; set JAVA_HOME to such a JDK (found: $("$java_cmd" -version 2>&1 | head -1))" >&2
    exit 1
  fi
  echo "run-node.sh: using $best (Java $best_major); set JAVA_HOME to choose another" >&2
  java_cmd=$best
fi

if [[ ! -f $jar ]]; then
  echo "run-node.sh: $jar is missing: build it first with ./mvnw -q -DskipTests install" >&2
  exit 1
fi

java_major=$(java_version "$java_cmd")
if [[ ${TANDEM_AOT:-on} == off || ${java_major%%.*} -lt 25 ]]; then
  exec "$java_cmd" $java_opts -jar "$jar" "$@"
fi

if [[ ! -f $aot_dir/tandem.aot || $jar -nt $aot_dir/tandem.aot ]]; then
  echo "run-node.sh: making the AOT cache for this build (a training run of up to a minute, once per build)" >&2
  rm -rf "$aot_dir"
  "$java_cmd" -Djarmode=tools -jar "$jar" extract --destination "$aot_dir" >/dev/null
  training_dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-training.XXXXXX")
  trap 'rm -rf "$training_dir"' EXIT
  if ! "$java_cmd" $java_opts -XX:AOTCacheOutput="$aot_dir/tandem.aot" -jar "$aot_dir/tandem.jar" \
      --tandem.data-dir="$training_dir" --server.port=0 --tandem.sip.address=127.0.0.1 --tandem.sip.port=0 \
      --tandem.sip.tls-port=-1 --tandem.warmup.exit-when-done=true --tandem.node-id=aot-training \
      > "$training_dir/training.log" 2>&1; then
    echo "run-node.sh: the training run failed (its log follows); starting without the AOT cache" >&2
    tail -40 "$training_dir/training.log" >&2
    rm -rf "$aot_dir"
    exec "$java_cmd" $java_opts -jar "$jar" "$@"
  fi
  rm -rf "$training_dir"
  trap - EXIT
fi

exec "$java_cmd" $java_opts -XX:AOTCache="$aot_dir/tandem.aot" -jar "$aot_dir/tandem.jar" "$@"
