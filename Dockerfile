# syntax=docker/dockerfile:1
#
# The Tandem node image.
#
#   docker build -t tandem .                       # or: docker compose build
#   docker run -p 8080:8080 -p 5060:5060/udp -p 5060:5060/tcp -v tandem-data:/data tandem
#
# Three stages:
#   build  - JDK 25: ./mvnw package (tests are CI's job, not the image's) and the jar extracted for
#            the AOT cache (-Djarmode=tools; the cache needs plain jars on the class path).
#   train  - the runtime JRE image: one training run of the node (demo data on a throw-away data
#            directory, the built-in warm-up, then it exits) records the JDK's ahead-of-time cache,
#            exactly as console/bin/run-node.sh does on a workstation. It runs on the runtime image,
#            not the JDK, because a cache is only used by the very JVM build that wrote it.
#   runtime - JRE 25, a non-root user, data in the /data volume, started with -XX:AOTCache.
#
# JVM options come from JAVA_OPTS (defaults below: ZGC, heap as a share of the container's memory
# limit). The training run uses the same collector. Tried outside Docker with Temurin 25.0.3 and these
# exact commands (2026-12-06): under ZGC the cache maps (classes parsed ahead of time) but the JVM logs
# "Using AOT-linked classes: false (static archive: no aot-linked classes)": on JDK 25 the linked
# classes of the cache need G1 (JEP 516 is to lift that in a later JDK); trained and run under G1 it
# logs "true". We keep ZGC because a node under carrier load spends far less on collection with it
# (docs/configuration.md, "JVM options"); start-up is the price. Options the cache does not fit are
# not fatal: the JVM (AOTMode=auto) says so and starts without it. TANDEM_AOT=off skips it.

ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
# The local Maven repository lives in a BuildKit cache mount, so a rebuild after a source change does
# not download Maven and the dependencies again (and they never end up in an image layer).
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar console/target/tandem.jar extract --destination /opt/tandem

FROM ${JRE_IMAGE} AS train
# The node's embedded PostgreSQL refuses to run as root (as root it would need a user namespace,
# which a build sandbox does not grant), so the training run is a plain user, as at runtime.
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin tandem
COPY --from=build /opt/tandem /opt/tandem
USER tandem
RUN mkdir -p /tmp/training \
 && java -XX:+UseZGC -XX:MaxRAMPercentage=70 -XX:AOTCacheOutput=/tmp/training/tandem.aot \
        -jar /opt/tandem/tandem.jar \
        --tandem.data-dir=/tmp/training/data --server.port=0 --tandem.sip.address=127.0.0.1 \
        --tandem.sip.port=0 --tandem.sip.tls-port=-1 --tandem.node-id=aot-training \
        --tandem.warmup.exit-when-done=true > /tmp/training/training.log 2>&1 \
 || { tail -60 /tmp/training/training.log; exit 1; }

FROM ${JRE_IMAGE} AS runtime
# curl for the HEALTHCHECK; nothing else is added to the JRE image.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin tandem \
 && mkdir -p /data && chown tandem:tandem /data
COPY --from=build /opt/tandem /opt/tandem
COPY --from=train /tmp/training/tandem.aot /opt/tandem/tandem.aot
COPY console/bin/container-entrypoint.sh /opt/tandem/bin/container-entrypoint.sh

# ZGC (short pauses while thousands of transactions are alive) and a heap of 70 % of the container's
# memory limit: the rest is the JVM's own (code cache, metaspace, thread stacks, Netty's direct
# buffers). Exit on OutOfMemoryError so the orchestrator restarts a clean node. Override as a whole:
#   JAVA_OPTS="-Xms8g -Xmx8g -XX:+UseZGC -XX:+AlwaysPreTouch"
ENV JAVA_OPTS="-XX:+UseZGC -XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    TANDEM_DATA_DIR=/data

USER tandem
WORKDIR /data
VOLUME ["/data"]
# HTTP (console, API, actuator); SIP over UDP and TCP; SIP over TLS.
EXPOSE 8080 5060/udp 5060/tcp 5061/tcp

# Liveness of the process, not readiness: /actuator/health is UP while the node warms up or drains
# (load balancers use /actuator/health/readiness or SIP OPTIONS for that). The start period covers
# Flyway migrations on a first start.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=6 \
    CMD curl -fsS http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health || exit 1

# The JVM is PID 1 (exec in the script): SIGTERM reaches it, and the node drains and stops in order
# (calls ended with BYE, settlements written, leases given back). Give it time: stop_grace_period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/tandem/bin/container-entrypoint.sh"]
CMD []
