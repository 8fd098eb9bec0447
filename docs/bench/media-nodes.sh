#!/usr/bin/env bash
# Two role-separated nodes on one database, end to end (issue #17, docs/media.md "Media nodes"): a signalling
# node (tandem.roles=sip) and a media node (tandem.roles=media), both from the packaged jar, and sipp calls with
# RTP through them. Every check prints PASS or FAIL; the exit code is 0 only when all passed.
#
#   docs/bench/media-nodes.sh
#
# What it does:
#   1. Debian's PostgreSQL 15 on 127.0.0.1 (one database for both nodes). The media node starts first and seeds
#      the demo data; a `peer` API key made on it (stored in the shared database) is the signalling node's key
#      for the media node. The signalling node names the media node in tandem.media.nodes / cluster.peers.
#   2. The demo trunk (customer 127.0.0.21, mediaMode relay) and vendor A's gateway (sipp UAS on 127.0.0.22,
#      mediaMode bypass) set through the REST API; vendor B's gateway disabled.
#   3. Call 1: the customer (sipp rtp_stream, G.711, 50 packets/s) talks for 6 s to the vendor (sipp -rtp_echo).
#      Checks: each sipp's SDP names only the media node (its address, a port of its range); the signalling node's
#      Cluster API shows the media node with its sessions and cap during the call; sipp's own packet counts on both
#      sides; the media node's relayed-packet counter and the signalling node's per-call counters; the CDR's media
#      figures each way against sipp's counts; the call billed to its billsec.
#   4. Call 2 (gateway media mode on a remote media node): the trunk set to bypass and the gateway to relay; the
#      call is still anchored on the media node (SDP on both legs names it) and its RTP flows both ways.
#   5. Call 3: kill -9 of the media node 4 s into an answered call. Checks: both legs get a BYE with
#      `Reason: ...;text="media node lost"` within seconds; the CDR says `media node lost`, hang-up side switch,
#      no media figures (the node is gone), billsec = answer to BYE, billed exactly that; the Cluster API shows the
#      media node offline.
#
# Addresses (loopback aliases work without configuration on Linux): signalling node 127.0.0.20, customer
# 127.0.0.21, vendor 127.0.0.22, media node's relay 127.0.0.30. Ports (override with the environment):
# SIP_BASE=30000 (signalling node's SIP +10, customer +21, vendor +22), HTTP_BASE=30500 (signalling node +10,
# media node +20, PostgreSQL +90), MEDIA_BASE=48000 (media node's relay range MEDIA_BASE..+999, the signalling
# node's own unused relay +1000..+1099, customer RTP +2000, vendor RTP +2100).
# Needs: the packaged jar (./mvnw -B -o -q package -DskipTests), sipp 3.6.1 with RTPSTREAM, /usr/lib/postgresql/15,
# root (PostgreSQL runs as the postgres user), curl, jq. Logs and data in a fresh /tmp/tandem-media-nodes.XXXXXX.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:?set JAVA_HOME to a JDK >= 21}/bin/java
jar=$here/console/target/tandem.jar
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
sip_base=${SIP_BASE:-30000}
http_base=${HTTP_BASE:-30500}
media_base=${MEDIA_BASE:-48000}
sip_ip=127.0.0.20; customer_ip=127.0.0.21; vendor_ip=127.0.0.22; media_ip=127.0.0.30
sip_port=$((sip_base + 10)); customer_port=$((sip_base + 21)); vendor_port=$((sip_base + 22))
sip_http=$((http_base + 10)); media_http=$((http_base + 20)); pg_port=$((http_base + 90))
media_lo=$media_base; media_hi=$((media_base + 999))
customer_rtp=$((media_base + 2000)); vendor_rtp=$((media_base + 2100))
key=media-nodes-bootstrap-$(date +%s%N)
for tool in sipp curl jq runuser; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
[ -f "$jar" ] || { echo "build first: ./mvnw -B -o -q package -DskipTests" >&2; exit 2; }
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL 15 is not installed under $pg_bin (apt-get install postgresql-15)" >&2; exit 2; }
work=$(mktemp -d /tmp/tandem-media-nodes.XXXXXX)
chmod 755 "$work"
pids=()
failures=0
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

say() { echo "[$(date -u +%T)] $*"; }
check() { # description, then a command that succeeds when the check passes
  local what=$1; shift
  if "$@"; then echo "  PASS  $what"; else echo "  FAIL  $what"; failures=$((failures + 1)); fi
}
api() { # node-http-port method path [json]
  curl -sf -X "$2" -H "X-Api-Key: $key" -H 'Content-Type: application/json' ${4:+-d "$4"} "http://127.0.0.1:$1$3"
}
metric() { # node-http-port name [label]: the value of the series (every node adds application="tandem"), 0 when absent
  curl -sf "http://127.0.0.1:$1/actuator/prometheus" | awk -v m="$2" -v l="${3:-}" '
    index($1, m "{") == 1 && index($1, l) > 0 { printf "%d", $2; found = 1; exit } END { if (!found) print 0 }'
}
udp_no_ports() { awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "NoPorts") c = i; h = 1 } else { print $c; exit } }' /proc/net/snmp; }
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'; }
await() { # seconds description command...
  local seconds=$1 deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    (( SECONDS < deadline )) || { echo "timed out after $seconds s waiting for: $what" >&2; return 1; }
    sleep 0.5
  done
}

# ---------------------------------------------------------------- database
say "PostgreSQL 15 on 127.0.0.1:$pg_port, work directory $work"
install -d -o postgres -g postgres "$work/pg" "$work/pg-run"
echo tandem > "$work/pg.pw"; chown postgres "$work/pg.pw"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=scram-sha-256 --pwfile="$work/pg.pw" >/dev/null \
  || { echo "initdb failed" >&2; exit 4; }
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg-run/pg.log" -w start \
  -o "-p $pg_port -k $work/pg-run -c listen_addresses=127.0.0.1" >/dev/null || { echo "PostgreSQL did not start" >&2; exit 4; }
PGPASSWORD=tandem "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres postgres \
  -c "create role tandem login password 'tandem'" -c "create database tandem owner tandem" >/dev/null || exit 4
db=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:$pg_port/tandem" --spring.datasource.username=tandem
    --spring.datasource.password=tandem)

# ---------------------------------------------------------------- nodes
node_ready() { curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null 2>&1; }
start_media_node() {
  "$java" ${JAVA_OPTS:--Xms256m -Xmx1g} -jar "$jar" --tandem.roles=media --tandem.node-id=media-1 \
      --tandem.data-dir="$work/media-1" "${db[@]}" --server.port="$media_http" --tandem.api.bootstrap-key="$key" \
      --tandem.media.address=$media_ip --tandem.media.port-range="$media_lo-$media_hi" --tandem.media.max-sessions=500 \
      --tandem.cluster.heartbeat-interval=2s --tandem.demo.enabled=true >> "$work/media-1.log" 2>&1 &
  media_pid=$!
  pids+=("$media_pid")
}
say "media node (tandem.roles=media): relay on $media_ip:$media_lo-$media_hi, HTTP $media_http"
start_media_node
await 300 "the media node" node_ready "$media_http" || { tail -30 "$work/media-1.log"; exit 4; }
peer_key=$(api "$media_http" POST /api/v1/api-keys '{"name": "sip-1 to the media nodes", "role": "peer"}' | jq -r .key)
[[ $peer_key == tdm_* ]] || { echo "no peer key: $peer_key" >&2; exit 4; }
say "signalling node (tandem.roles=sip): SIP $sip_ip:$sip_port, HTTP $sip_http; its peer key for media-1 is a stored 'peer' key"
"$java" ${JAVA_OPTS:--Xms256m -Xmx1g} -jar "$jar" --tandem.roles=sip --tandem.node-id=sip-1 --tandem.data-dir="$work/sip-1" \
    "${db[@]}" --server.port="$sip_http" --tandem.api.bootstrap-key="$key" --tandem.demo.enabled=false \
    --tandem.sip.address=$sip_ip --tandem.sip.port="$sip_port" --tandem.sip.tls-port=-1 \
    --tandem.media.port-range="$((media_base + 1000))-$((media_base + 1099))" --tandem.media.nodes=media-1 \
    --tandem.cluster.peers[0].name=media-1 --tandem.cluster.peers[0].url="http://127.0.0.1:$media_http" \
    --tandem.cluster.peers[0].api-key="$peer_key" --tandem.cluster.heartbeat-interval=2s >> "$work/sip-1.log" 2>&1 &
sip_pid=$!
pids+=("$sip_pid")
await 300 "the signalling node" node_ready "$sip_http" || { tail -30 "$work/sip-1.log"; exit 4; }

# ---------------------------------------------------------------- provisioning (REST API, demo data)
api "$sip_http" PUT /api/v1/ingress-trunks/1 "{\"sourceCidrs\": [\"$customer_ip/32\"], \"mediaMode\": \"relay\"}" >/dev/null || exit 4
api "$sip_http" PUT /api/v1/vendor-gateways/1 "{\"host\": \"$vendor_ip\", \"port\": $vendor_port, \"mediaMode\": \"bypass\"}" >/dev/null || exit 4
api "$sip_http" PUT /api/v1/vendor-gateways/2 '{"enabled": false}' >/dev/null || exit 4
media_node_report() { api "$sip_http" GET /api/v1/cluster/nodes | jq -c '.[] | select(.node == "media-1")'; }
media_node_healthy() { [[ $(media_node_report | jq -r .status) == up ]]; }
await 60 "the signalling node sees media-1" media_node_healthy || exit 4
sleep 3 # the routing reload (1 s version poll) and the first port lease
say "trunk 1: $customer_ip/32, mediaMode relay; gateway 1: $vendor_ip:$vendor_port, mediaMode bypass"

# ---------------------------------------------------------------- scenarios
python3 - "$work/g711u.wav" <<'EOF'
import struct, sys
n = 8000 * 10  # 10 s of 8 kHz mu-law, looped by rtp_stream: 160 octets a 20 ms packet
data = bytes(0x7F if i % 2 == 0 else 0xFF for i in range(n))
fmt = struct.pack('<HHIIHH', 7, 1, 8000, 8000, 1, 8)
open(sys.argv[1], 'wb').write(b'RIFF' + struct.pack('<I', 4 + 8 + len(fmt) + 8 + len(data)) + b'WAVE' + b'fmt '
                              + struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(data)) + data)
EOF
leak_from_customer="${sip_ip//./\\.}|${vendor_ip//./\\.}|a=candidate"
leak_from_vendor="${sip_ip//./\\.}|${customer_ip//./\\.}|a=candidate"
customer_head() {
  cat <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="media-nodes-customer">
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
o=customer 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=candidate:1 1 UDP 2130706431 [media_ip] $customer_rtp typ host
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true">
    <action>
      <ereg regexp="c=IN IP4 ([0-9.]+)" search_in="body" check_it="true" assign_to="c,addr"/>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="m,port"/>
      <ereg regexp="$leak_from_customer" search_in="body" check_it_inverse="true" assign_to="leak"/>
      <log message="ANSWER_SDP addr=[\$addr] port=[\$port] call-id=[call_id] ([\$c], [\$m], no leak: [\$leak])"/>
    </action>
  </recv>
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
  <nop><action><exec rtp_stream="$work/g711u.wav,-1,0"/><log message="TALKING"/></action></nop>
EOF
}
# The customer talks $1 ms, stops, waits 3 s (the script reads sipp's counters then) and hangs up.
customer_talks() {
  customer_head
  cat <<EOF
  <pause milliseconds="$1"/>
  <nop><action><exec rtp_stream="pause"/><log message="RTP_DONE"/></action></nop>
  <pause milliseconds="3000"/>
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
# The customer talks until the switch hangs up; the BYE must carry the given Reason text.
customer_until_bye() {
  customer_head
  cat <<EOF
  <recv request="BYE" timeout="60000">
    <action>
      <ereg regexp="text=.$1" search_in="hdr" header="Reason:" check_it="true" assign_to="reason"/>
      <log message="BYE_RECEIVED Reason [\$reason]"/>
    </action>
  </recv>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
  <nop><action><exec rtp_stream="pause"/></action></nop>
</scenario>
EOF
}
cat > "$work/vendor.xml" <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="media-nodes-vendor">
  <recv request="INVITE" crlf="true">
    <action>
      <ereg regexp="c=IN IP4 ([0-9.]+)" search_in="body" check_it="true" assign_to="c,addr"/>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="m,port"/>
      <ereg regexp="$leak_from_vendor" search_in="body" check_it_inverse="true" assign_to="leak"/>
      <log message="OFFER_SDP addr=[\$addr] port=[\$port] ([\$c], [\$m], no leak: [\$leak])"/>
    </action>
  </recv>
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
o=vendor 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE">
    <action>
      <ereg regexp="text=.([a-z ]*)" search_in="hdr" header="Reason:" assign_to="r,reason"/>
      <log message="BYE_RECEIVED Reason [\$reason] ([\$r])"/>
    </action>
  </recv>
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

# ---------------------------------------------------------------- helpers for one call
# Starts the vendor (RTP echo) and the customer with the given scenario; leaves vendor_pid, customer_pid, call_dir.
place_call() { # name scenario-file
  call_dir=$work/$1
  mkdir -p "$call_dir"
  (cd "$call_dir" && exec sipp -sf "$work/vendor.xml" -i $vendor_ip -p "$vendor_port" -mi $vendor_ip -mp "$vendor_rtp" -rtp_echo \
      -m 1 -nostdin -trace_logs -trace_screen -timeout 90s > vendor.out 2>&1) &
  vendor_pid=$!
  pids+=("$vendor_pid")
  sleep 0.5
  (cd "$call_dir" && exec sipp -sf "$2" -i $customer_ip -p "$customer_port" -mi $customer_ip -mp "$customer_rtp" -s 442079460001 \
      -m 1 -nostdin -trace_logs -trace_screen -timeout 90s "$sip_ip:$sip_port" > customer.out 2>&1) &
  customer_pid=$!
  pids+=("$customer_pid")
}
logged() { grep -hs "$1" "$call_dir"/*"$2"*_logs.log | head -1; }
logged_yet() { grep -qs "$1" "$call_dir"/*"$2"*_logs.log; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2" | head -1; }
# sipp's own RTP counters: SIGUSR2 makes each sipp write its screens (while the call is up: the screens written at
# exit, with the media sockets closed, leave the RTP lines out), whose RTP lines count packets. The screen file is
# flushed when sipp exits: read it after finish_call.
sipp_dump_counts() { kill -USR2 "$customer_pid" "$vendor_pid" 2>/dev/null; }
sipp_counts() {
  sent=$(grep -ho '[0-9]* Total RTP pckts sent *[0-9.]* kB/s RTP OUT' "$call_dir"/*customer*_screen.log | awk '{ print $1 }' | sort -n | tail -1)
  echoed=$(grep -ho '[0-9]* Total echo RTP pckts 1st stream' "$call_dir"/*vendor*_screen.log | awk '{ print $1 }' | sort -n | tail -1)
}
finish_call() { # waits for both sipps; their exit codes (0: every check in the scenario passed) in customer_rc, vendor_rc
  wait "$customer_pid"; customer_rc=$?
  wait "$vendor_pid"; vendor_rc=$?
}
cdr_of() { # sipp Call-ID -> the call's CDR JSON (first attempt), via the account's ledger and GET /api/v1/cdrs/{uuid}
  local uuid
  for uuid in $(api "$sip_http" GET /api/v1/accounts/1/ledger | jq -r '.[] | select(.callUuid != null) | .callUuid' | head -20); do
    local cdr; cdr=$(api "$sip_http" GET "/api/v1/cdrs/$uuid")
    if [[ $(jq -r '.[0].sipCallId' <<<"$cdr") == "$1" ]]; then jq -c '.[0]' <<<"$cdr"; return 0; fi
  done
  return 1
}
ledger_amount() { api "$sip_http" GET /api/v1/accounts/1/ledger | jq -r --arg u "$1" '[.[] | select(.callUuid == $u) | .amount] | first // empty'; }
expected_charge() { awk -v s="$1" 'BEGIN { printf "%.6f", 0.02 * s / 60 }'; } # demo sell rate for 44: 0.02/min, 1 s increments
same_money() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 0.0000005) }'; }
answered_seconds() { # a CDR's answered time in seconds, a started second counting (how billsec is defined)
  local a e; a=$(date -d "$(jq -r .answeredAt <<<"$1")" +%s.%N); e=$(date -d "$(jq -r .endedAt <<<"$1")" +%s.%N)
  awk -v a="$a" -v e="$e" 'BEGIN { d = e - a; s = int(d); if (s < d) s++; print s }'
}
sdp_names_media_node() { # "addr=... port=..." logged by a sipp
  local addr port; addr=$(field addr "$1"); port=$(field port "$1")
  [[ $addr == "$media_ip" ]] && between "$port" "$media_lo" "$media_hi"
}

# ---------------------------------------------------------------- call 1: RTP both ways through the media node
echo
say "call 1: 6 s of G.711 from the customer, echoed by the vendor; trunk relay, gateway bypass"
relayed_before=$(metric "$media_http" tandem_media_relayed_total)
noports_before=$(udp_no_ports)
sip_relayed_before=$(metric "$sip_http" tandem_media_relayed_total)
pkts_c_before=$(metric "$sip_http" tandem_media_packets_total 'from="customer"')
pkts_v_before=$(metric "$sip_http" tandem_media_packets_total 'from="vendor"')
customer_talks 6000 > "$work/customer-talks.xml"
place_call call1 "$work/customer-talks.xml"
await 30 "call 1 talking" logged_yet TALKING customer
sleep 2
during=$(media_node_report)
media_sessions_during=$(metric "$media_http" tandem_media_sessions)
await 20 "call 1's RTP done" logged_yet RTP_DONE customer
sleep 0.5
sipp_dump_counts
finish_call
sipp_counts
answer=$(logged ANSWER_SDP customer); offer=$(logged OFFER_SDP vendor)
call_id=$(field call-id "$answer")
echo "  customer saw: $answer"
echo "  vendor saw:   $offer"
echo "  Cluster API on sip-1, during the call: $during"
echo "  sipp: customer sent $sent RTP packets; vendor echoed $echoed"
check "both sipp scenarios passed (answer/offer SDP without the other side's or the signalling node's address, no ICE)" \
  test "$customer_rc$vendor_rc" = 00
check "customer's SDP names only the media node ($media_ip, port in $media_lo-$media_hi)" sdp_names_media_node "$answer"
check "vendor's SDP names only the media node ($media_ip, port in $media_lo-$media_hi)" sdp_names_media_node "$offer"
check "Cluster API: media-1 up with 1 session of its cap 500" \
  test "$(jq -r '"\(.status) \(.media.sessions) \(.media.maxSessions)"' <<<"$during")" = "up 1 500"
check "media node's tandem_media_sessions was 1 during the call" test "$media_sessions_during" = 1
check "sipp: the customer sent >= 250 packets (6 s at 50/s)" between "${sent:-0}" 250 310
sleep 3 # the release's figures, the CDR write
relayed=$(( $(metric "$media_http" tandem_media_relayed_total) - relayed_before ))
sip_relayed=$(( $(metric "$sip_http" tandem_media_relayed_total) - sip_relayed_before ))
pkts_c=$(( $(metric "$sip_http" tandem_media_packets_total 'from="customer"') - pkts_c_before ))
pkts_v=$(( $(metric "$sip_http" tandem_media_packets_total 'from="vendor"') - pkts_v_before ))
cdr=$(cdr_of "$call_id")
echo "  kernel: $(( $(udp_no_ports) - noports_before )) UDP datagrams to closed ports during the call (Udp NoPorts, whole host):" \
     "what the customer sent before the media node had bound the call's ports"
echo "  media node tandem_media_relayed_total +$relayed; signalling node's own relay +$sip_relayed;" \
     "signalling node tandem_media_packets_total customer +$pkts_c vendor +$pkts_v"
echo "  CDR: $(jq -c '{sipCallId, billsec, sipReason, hangupSide, sellCost, media}' <<<"$cdr")"
from_c=$(jq -r '.media.fromCustomer.packets // -1' <<<"$cdr"); from_v=$(jq -r '.media.fromVendor.packets // -1' <<<"$cdr")
check "the media node took >= 90 % of the customer's packets (CDR from customer / sipp's sent count)" \
  awk -v c="$from_c" -v s="${sent:-0}" 'BEGIN { exit !(s > 0 && c >= 0.9 * s && c <= s) }'
check "every packet the media node took from the customer reached the vendor (CDR from customer = vendor sipp's echo count)" \
  test "$from_c" = "${echoed:-x}"
check "every echo came back through the media node (CDR from vendor = vendor sipp's echo count)" test "$from_v" = "${echoed:-x}"
check "CDR media figures: 172 octets a packet, no loss" \
  test "$(jq -r '"\(.media.fromCustomer.octets == 172 * .media.fromCustomer.packets) \(.media.fromCustomer.lost) \(.media.fromVendor.lost)"' <<<"$cdr")" = "true 0 0"
check "media node relayed both directions (relayed = from customer + from vendor)" test "$relayed" = "$((from_c + from_v))"
check "the signalling node relayed nothing itself" test "$sip_relayed" = 0
check "signalling node's per-call metrics = the CDR's figures" test "$pkts_c/$pkts_v" = "$from_c/$from_v"
call1_uuid=$(jq -r .callUuid <<<"$cdr"); billsec=$(jq -r .billsec <<<"$cdr")
charge=$(ledger_amount "$call1_uuid")
echo "  billed: billsec $billsec, CDR sell cost $(jq -r .sellCost <<<"$cdr"), ledger $charge"
check "billsec = answer to hang-up (6 s talking, 3 s quiet: 9-11 s) and billed 0.02/min for it, CDR and ledger" \
  eval 'between "$billsec" 9 11 && test "$billsec" = "$(answered_seconds "$cdr")" && same_money "$(jq -r .sellCost <<<"$cdr")" "$(expected_charge "$billsec")" && same_money "${charge#-}" "$(expected_charge "$billsec")"'

# ---------------------------------------------------------------- call 2: the gateway asks for relay
echo
say "call 2: trunk mediaMode bypass, gateway mediaMode relay (\"a call is anchored when either side asks\")"
api "$sip_http" PUT /api/v1/ingress-trunks/1 '{"mediaMode": "bypass"}' >/dev/null
api "$sip_http" PUT /api/v1/vendor-gateways/1 '{"mediaMode": "relay"}' >/dev/null
sleep 3 # the routing reload
relayed_before=$(metric "$media_http" tandem_media_relayed_total)
customer_talks 2000 > "$work/customer-talks-2s.xml"
place_call call2 "$work/customer-talks-2s.xml"
await 30 "call 2's RTP done" logged_yet RTP_DONE customer
sleep 0.5
sipp_dump_counts
finish_call
sipp_counts
answer=$(logged ANSWER_SDP customer); offer=$(logged OFFER_SDP vendor)
echo "  customer saw: $answer"
echo "  vendor saw:   $offer"
echo "  sipp: customer sent $sent RTP packets; vendor echoed $echoed"
sleep 1
relayed=$(( $(metric "$media_http" tandem_media_relayed_total) - relayed_before ))
echo "  media node tandem_media_relayed_total +$relayed"
check "both sipp scenarios passed" test "$customer_rc$vendor_rc" = 00
check "bypass trunk + relay gateway: both legs' SDP name the media node" \
  eval 'sdp_names_media_node "$answer" && sdp_names_media_node "$offer"'
check "RTP both ways through the media node (it relayed the vendor's echo count each way, >= 90 % of what the customer sent)" \
  awk -v r="$relayed" -v s="${sent:-0}" -v e="${echoed:-0}" 'BEGIN { exit !(s >= 90 && e >= 0.9 * s && r == 2 * e) }'
api "$sip_http" PUT /api/v1/ingress-trunks/1 '{"mediaMode": "relay"}' >/dev/null
api "$sip_http" PUT /api/v1/vendor-gateways/1 '{"mediaMode": "bypass"}' >/dev/null
sleep 3

# ---------------------------------------------------------------- call 3: the media node dies during the call
echo
say "call 3: kill -9 of the media node during an answered call"
customer_until_bye "media node lost" > "$work/customer-until-bye.xml"
place_call call3 "$work/customer-until-bye.xml"
await 30 "call 3 talking" logged_yet TALKING customer
sleep 4
killed_at=$(date +%s.%N)
{ kill -9 "$media_pid"; wait "$media_pid"; } 2>/dev/null
say "media node killed (pid $media_pid)"
await 30 "the BYE" logged_yet BYE_RECEIVED customer
bye_at=$(date +%s.%N)
finish_call
answer=$(logged ANSWER_SDP customer); call_id=$(field call-id "$answer")
echo "  customer: $(logged BYE_RECEIVED customer)"
echo "  vendor:   $(logged BYE_RECEIVED vendor)"
detect=$(awk -v a="$killed_at" -v b="$bye_at" 'BEGIN { printf "%.1f", b - a }')
echo "  BYE seen ${detect} s after the kill (the signalling node asks each media node's status every 2 s)"
check "both legs got a BYE with Reason text \"media node lost\" (customer's scenario checks it)" test "$customer_rc" = 0
check "the vendor's BYE says media node lost" eval '[[ "$(logged BYE_RECEIVED vendor)" == *"media node lost"* ]]'
check "the call ended within 5 s of the kill" between "$detect" 0 5
sleep 3
cdr=$(cdr_of "$call_id")
echo "  CDR: $(jq -c '{sipCallId, answeredAt, endedAt, billsec, sipReason, hangupSide, sellCost, media}' <<<"$cdr")"
uuid=$(jq -r .callUuid <<<"$cdr"); billsec=$(jq -r .billsec <<<"$cdr"); charge=$(ledger_amount "$uuid")
echo "  billed: billsec $billsec, CDR sell cost $(jq -r .sellCost <<<"$cdr"), ledger $charge"
check "CDR: reason 'media node lost', hang-up side switch, no media figures (the node's are gone with it)" \
  test "$(jq -r '"\(.sipReason)|\(.hangupSide)|\(.media)"' <<<"$cdr")" = "media node lost|switch|null"
check "billsec = answer to BYE (4 s talking + detection: 4-10 s), a started second counting" \
  eval 'between "$billsec" 4 10 && test "$billsec" = "$(answered_seconds "$cdr")"'
check "billed exactly billsec at 0.02/min, CDR and ledger" \
  eval 'same_money "$(jq -r .sellCost <<<"$cdr")" "$(expected_charge "$billsec")" && same_money "${charge#-}" "$(expected_charge "$billsec")"'
lost_report=$(media_node_report)
echo "  Cluster API on sip-1 after the kill: $lost_report"
check "Cluster API shows media-1 offline" test "$(jq -r .status <<<"$lost_report")" = offline

echo
if (( failures == 0 )); then say "all checks passed (logs in $work)"; else say "$failures checks FAILED (logs in $work)"; fi
exit $(( failures == 0 ? 0 : 1 ))
