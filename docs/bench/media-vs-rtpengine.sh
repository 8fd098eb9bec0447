#!/usr/bin/env bash
# Tandem's RTP relay next to Kamailio + rtpengine (userspace, --table=-1), side by side in one invocation
# (issue #17, docs/media.md, docs/performance.md).
#
#   docs/bench/media-vs-rtpengine.sh [--calls "100 500 1000 2000"] [--window 30] [--settle 10] [--rate 50] [--force]
#                                    [--targets "direct tandem rtpengine"]
#
# For each N: N concurrent G.711 calls from a sipp UAC (rtp_stream: 172-octet RTP packets, 50 per second)
# through the target to a sipp UAS whose answer names RtpEchoProbe's port; the probe echoes every packet
# back from that port (so media flows 50 packets/s each way) and measures what arrives from the customer
# side: loss from the sequence numbers and the per-packet transit difference |D| (RFC 3550 §6.4.1), from the
# kernel's arrival time stamps. The probe reads and echoes in batches (recvmmsg/sendmmsg, JDK 22+ foreign
# functions) with a 16 MiB receive buffer, so that at 1,000 calls (50,000 packets/s on its one socket) it is not
# what loses packets on a 2-core machine (see its header).
# Targets, one after the other on the same machine:
#   direct     sipp UAC -> sipp UAS, media straight to the probe: the harness's own jitter (the baseline)
#   tandem     a Tandem node (embedded PostgreSQL, demo data, trunk mediaMode relay) anchoring every call
#   rtpengine  Kamailio (docs/bench/kamailio-rtpengine.cfg) driving rtpengine over ng, userspace forwarding
# Once every call is up the script waits SETTLE seconds (default 10: the JIT compiles the relay's path) and then
# reads the relay process's CPU time (utime + stime from /proc/PID/stat) at the start and the end of a
# WINDOW-second window: Tandem's node (SIP is idle then: no calls start or end in the window) against
# rtpengine's daemon (Kamailio's CPU is printed beside it). Each relay's idle CPU is measured the same way over
# WINDOW seconds before its first call (a JVM has background work: housekeeping, heartbeats, metrics) and
# subtracted; it is printed as idle_%.
#
# Output, one line per target and N:
#   target N calls_up cpu_core_pct cpu_us_per_call_s loss_pct jitter_p99_ms added_p99_ms idle_core_pct
#   drops_relay drops_probe drops_sipp
# cpu_us_per_call_s: microseconds of CPU per second per call (2 x 50 packets); added_p99_ms: the target's
# |D| p99 minus direct's at the same N. drops_*: datagrams the kernel dropped during the window because a
# socket's receive buffer was full (the `d` of `ss -uam`), summed over the relay's ports (MEDIA_PORTS), the
# probe's port and the UAC's media ports: they tell whose sockets lost what loss_% counts (relay, or a
# starved probe). sipp's rtp_stream never reads its socket, so once that fills drops_sipp is simply the echo
# direction arriving (N x 50 per second when nothing was lost on the way): not a loss of the target.
# Tandem's line ends with its relayed packets per second (tandem_media_relayed_total over the window) and the CPU
# per relayed packet in microseconds (us/call/s flatters a relay that drops: it divides by calls, not packets).
#
# It refuses to measure while /proc/loadavg's 1-minute load is >= 1.5 (other work skews CPU and jitter);
# --force measures anyway (for trying the script out, not for numbers).
#
# Ports (defaults; override with the environment): SIP_BASE=29500 (Tandem SIP +10, HTTP +80, Kamailio +20,
# UAS +30, UAC +40, rtpengine ng +50), MEDIA_PORTS=16384-32767 (Tandem's relay, then rtpengine's; N calls need
# 4N ports), SIPP_MEDIA_BASE=50000 (the UAC's rtp_stream ports), PROBE_PORT=49998.
# TANDEM_JAR (default console/target/tandem.jar) runs another build of the node, for an A/B of two jars;
# TANDEM_JAVA_OPTS replaces the node's JVM options (default: 2 GiB ZGC heap, Netty's leak detector off as in production).
# Needs: a built jar (./mvnw -B -o -q package -DskipTests), sipp with RTPSTREAM (Debian 3.6.1), kamailio with its
# rtpengine module, rtpengine-daemon (apt-get install -y rtpengine-daemon), JAVA_HOME >= 21, curl, ss.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
calls="100 500 1000 2000"
window=30
settle=10
rate=50
force=no
targets="direct tandem rtpengine"
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --force) force=yes; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
load=$(cut -d' ' -f1 /proc/loadavg)
if [ "$force" != yes ] && awk -v l="$load" 'BEGIN { exit !(l >= 1.5) }'; then
  echo "load average $load >= 1.5: other work would skew CPU and jitter; run on a quiet machine or pass --force" >&2
  exit 3
fi
java=${JAVA_HOME:?set JAVA_HOME to a JDK >= 21}/bin/java
jar=${TANDEM_JAR:-$here/console/target/tandem.jar}
sip_base=${SIP_BASE:-29500}
media_ports=${MEDIA_PORTS:-16384-32767}
sipp_media=${SIPP_MEDIA_BASE:-50000}
probe_port=${PROBE_PORT:-49998}
tandem_sip=$((sip_base + 10)); tandem_http=$((sip_base + 80)); kamailio_sip=$((sip_base + 20))
uas_port=$((sip_base + 30)); uac_port=$((sip_base + 40)); ng_port=$((sip_base + 50))
for tool in sipp kamailio rtpengine curl ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool (rtpengine: apt-get install -y rtpengine-daemon)" >&2; exit 2; }
done
case " $targets " in *" tandem "*) [ -f "$jar" ] || { echo "build first: ./mvnw -B -o -q package -DskipTests" >&2; exit 2; } ;; esac
hz=$(getconf CLK_TCK)
work=$(mktemp -d /tmp/tandem-media-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
echo "# $(date -u +%FT%TZ) load $load, $(nproc) cores, window ${window}s, ramp ${rate} calls/s, work $work" >&2

# ---------------------------------------------------------------- scenarios and audio
python3 - "$work/g711u.wav" <<'EOF'
import struct, sys
n = 8000 * 10  # 10 s of 8 kHz mu-law, looped by rtp_stream: 160 octets per 20 ms packet
data = bytes(0x7F if i % 2 == 0 else 0xFF for i in range(n))
fmt = struct.pack('<HHIIHH', 7, 1, 8000, 8000, 1, 8)
open(sys.argv[1], 'wb').write(b'RIFF' + struct.pack('<I', 4 + 8 + len(fmt) + 8 + len(data)) + b'WAVE' + b'fmt '
                              + struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(data)) + data)
EOF
uac_scenario() { # $1 hold in ms
  cat <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="media-bench-uac">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:441632960001@[local_ip]:[local_port]>;tag=[pid]T[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:441632960001@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=uac 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [auto_media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:441632960001@[local_ip]:[local_port]>;tag=[pid]T[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
  <nop><action><exec rtp_stream="$work/g711u.wav,-1,0"/></action></nop>
  <pause milliseconds="$1"/>
  <nop><action><exec rtp_stream="pause"/></action></nop>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:441632960001@[local_ip]:[local_port]>;tag=[pid]T[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
</scenario>
EOF
}
cat > "$work/uas.xml" <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="media-bench-uas">
  <recv request="INVITE" crlf="true"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]V[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:vendor@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=uas 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio $probe_port RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
</scenario>
EOF

# ---------------------------------------------------------------- helpers
await_udp() { # port, seconds
  for _ in $(seq 1 $(($2 * 2))); do ss -Hlun "sport = :$1" | grep -q . && return 0; sleep 0.5; done
  echo "nothing listens on UDP $1" >&2; return 1
}
# utime + stime of a process (all its threads) and of its child processes (Kamailio's workers)
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo "$total"
}

# Kernel receive-buffer drops (ss -uam `d`) summed over the UDP sockets whose local port is in [$1, $2]
socket_drops() {
  ss -Huamn | awk -v lo="$1" -v hi="$2" '
    /^UNCONN|^ESTAB/ { n = split($4, a, ":"); port = a[n] + 0; mine = (port >= lo && port <= hi); next }
    mine && match($0, /,d[0-9]+\)/) { d += substr($0, RSTART + 2, RLENGTH - 3) }
    END { print d + 0 }'
}
drops_now() { # relay range, probe, sipp's media ports for N calls
  echo "$(socket_drops "${media_ports%-*}" "${media_ports#*-}") $(socket_drops "$probe_port" "$probe_port") $(socket_drops "$sipp_media" $((sipp_media + 4 * $1 + 3)))"
}

# Packets Tandem's relay sent on so far (its Prometheus counter; loopback may read metrics without a key)
relayed_total() {
  curl -sf "localhost:$tandem_http/actuator/prometheus" | awk '/^tandem_media_relayed_total/ { printf "%d", $2 }'
}

# One measured run: $1 target, $2 N, $3 where the UAC sends INVITEs, $4 pid whose CPU counts, $5 other pid (or "")
declare -A direct_p99
idle_pct=0
# The idle CPU of a relay process over one window, in % of a core (subtracted from its measured runs)
measure_idle() {
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(cpu_ticks "$1"); sleep "$window"; t1=$(date +%s.%N); c1=$(cpu_ticks "$1")
  idle_pct=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * (c1 - c0) / hz / (t1 - t0) }')
}
run() {
  local target=$1 n=$2 dest=$3 pid=$4 other=$5
  local ramp=$(( (n + rate - 1) / rate ))
  local hold_ms=$(( (ramp + settle + window + 3) * 1000 ))
  local out="$work/$target-$n"
  rm -f "$out.stop" "$out.probe"
  "$java" --enable-native-access=ALL-UNNAMED "$here/docs/bench/RtpEchoProbe.java" 127.0.0.1 "$probe_port" "$out.stop" "$out.probe" 2>"$out.probe.log" &
  local probe=$!
  pids+=("$probe")
  await_udp "$probe_port" 60
  sipp -sf "$work/uas.xml" -i 127.0.0.1 -p "$uas_port" -m "$n" -nostdin > "$out.uas.log" 2>&1 &
  local uas=$!
  pids+=("$uas")
  await_udp "$uas_port" 30
  uac_scenario "$hold_ms" > "$out.uac.xml"
  sipp -sf "$out.uac.xml" -i 127.0.0.1 -p "$uac_port" -mi 127.0.0.1 -mp "$sipp_media" -s 442079460001 \
      -r "$rate" -l "$n" -m "$n" -timeout $((hold_ms / 1000 + ramp + 60))s -nostdin -trace_stat -stf "$out.uac.csv" \
      "$dest" > "$out.uac.log" 2>&1 &
  local uac=$!
  pids+=("$uac")
  sleep $((ramp + settle))
  local t0 c0 k0=0 t1 c1 k1=0
  local d0 d1 r0=0 r1=0
  d0=$(drops_now "$n")
  [ "$target" = tandem ] && r0=$(relayed_total)
  t0=$(date +%s.%N); c0=$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0); [ -n "$other" ] && k0=$(cpu_ticks "$other")
  sleep "$window"
  t1=$(date +%s.%N); c1=$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0); [ -n "$other" ] && k1=$(cpu_ticks "$other")
  [ "$target" = tandem ] && r1=$(relayed_total)
  d1=$(drops_now "$n")
  wait "$uac" || echo "# $target N=$n: sipp UAC exited $? (see $out.uac.log)" >&2
  touch "$out.stop"
  wait "$probe" || true
  kill "$uas" 2>/dev/null || true
  wait "$uas" 2>/dev/null || true
  local result up
  result=$(cat "$out.probe")
  up=$(grep -o 'streams=[0-9]*' <<<"$result" | cut -d= -f2)
  local loss p99
  loss=$(grep -o 'loss_pct=[0-9.]*' <<<"$result" | cut -d= -f2)
  p99=$(grep -o 'jitter_p99_ms=[0-9.]*' <<<"$result" | cut -d= -f2)
  [ "$target" = direct ] && direct_p99[$n]=$p99
  awk -v target="$target" -v n="$n" -v up="$up" -v c0="$c0" -v c1="$c1" -v k0="$k0" -v k1="$k1" -v t0="$t0" -v t1="$t1" \
      -v hz="$hz" -v loss="$loss" -v p99="$p99" -v base="${direct_p99[$n]:-}" -v idle="$idle_pct" \
      -v d0="$d0" -v d1="$d1" -v r0="$r0" -v r1="$r1" 'BEGIN {
        secs = t1 - t0; cpu = (c1 - c0) / hz - idle / 100 * secs; other = (k1 - k0) / hz
        if (cpu < 0) cpu = 0
        printf "%-9s %5d %5d %7.1f %9.1f %8.4f %8.3f %8s %6.2f", target, n, up, 100 * cpu / secs,
               (up > 0 ? 1e6 * cpu / secs / up : 0), loss, p99, (base == "" ? "-" : sprintf("%.3f", p99 - base)), idle
        split(d0, a, " "); split(d1, b, " ")
        printf " %11d %11d %10d", b[1] - a[1], b[2] - a[2], b[3] - a[3]
        if (other > 0) printf "   (kamailio %.1f %% of a core)", 100 * other / secs
        if (r1 > r0) printf "   (relayed %.0f packets/s, %.2f us per relayed packet)", (r1 - r0) / secs, 1e6 * cpu / (r1 - r0)
        printf "\n" }'
}

# ---------------------------------------------------------------- targets
echo "target        N    up  cpu_%  us/call/s    loss_%  p99_ms  added_ms idle_% drops_relay drops_probe drops_sipp"
for n in $calls; do
  for target in $targets; do
    case "$target" in
      direct)
        idle_pct=0
        run direct "$n" "127.0.0.1:$uas_port" "" ""
        ;;
      tandem)
        key=bench-$(date +%s%N)
        # Signalling is not what is measured: no warm-up pause, and no INVITE shed while the cold node's loops lag.
        # shellcheck disable=SC2086
        "$java" ${TANDEM_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseZGC -Dio.netty.leakDetection.level=disabled} -jar "$jar" --tandem.data-dir="$work/tandem-$n" \
            --tandem.sip.address=127.0.0.1 --tandem.sip.port="$tandem_sip" --tandem.sip.tls-port=-1 \
            --server.port="$tandem_http" --tandem.api.bootstrap-key="$key" --tandem.media.port-range="$media_ports" \
            --tandem.warmup.enabled=false --tandem.sip.overload.enabled=false --logging.level.root=warn > "$work/tandem-$n.log" 2>&1 &
        tandem=$!
        pids+=("$tandem")
        for _ in $(seq 1 600); do curl -sf "localhost:$tandem_http/actuator/health" >/dev/null 2>&1 && break; sleep 0.5; done
        curl -sf "localhost:$tandem_http/actuator/health" >/dev/null || { echo "Tandem did not start: $work/tandem-$n.log" >&2; exit 4; }
        api() { curl -sf -X "$1" -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "$3" "localhost:$tandem_http$2" >/dev/null; }
        api POST /api/v1/accounts/1/top-ups '{"amount":"100000000"}'
        api PUT /api/v1/ingress-trunks/1 '{"mediaMode":"relay","maxCps":null,"maxConcurrentCalls":null}'
        api PUT /api/v1/vendor-gateways/1 "{\"host\":\"127.0.0.1\",\"port\":$uas_port,\"maxCps\":null,\"maxConcurrentCalls\":null}"
        sleep 3 # the routing reload
        measure_idle "$tandem"
        run tandem "$n" "127.0.0.1:$tandem_sip" "$tandem" ""
        kill "$tandem"; wait "$tandem" 2>/dev/null || true
        ;;
      rtpengine)
        rtpengine --config-file=none --foreground --table=-1 --interface=127.0.0.1 --listen-ng="127.0.0.1:$ng_port" \
            --port-min="${media_ports%-*}" --port-max="${media_ports#*-}" --log-level=4 --log-stderr \
            --num-threads="$(nproc)" > "$work/rtpengine-$n.log" 2>&1 &
        engine=$!
        pids+=("$engine")
        await_udp "$ng_port" 30 # before Kamailio, whose start-up ping would otherwise find no rtpengine
        kamailio -DD -E -f "$here/docs/bench/kamailio-rtpengine.cfg" -A "LISTEN_ADDR=udp:127.0.0.1:$kamailio_sip" \
            -A "VENDOR_URI=\"sip:127.0.0.1:$uas_port\"" -A "RTPENGINE=\"udp:127.0.0.1:$ng_port\"" \
            > "$work/kamailio-$n.log" 2>&1 &
        kam=$!
        pids+=("$kam")
        await_udp "$kamailio_sip" 30
        measure_idle "$engine"
        run rtpengine "$n" "127.0.0.1:$kamailio_sip" "$engine" "$kam"
        kill "$kam" "$engine"; wait "$kam" "$engine" 2>/dev/null || true
        ;;
      *) echo "unknown target $target" >&2; exit 2 ;;
    esac
  done
done
echo "# logs in $work" >&2
