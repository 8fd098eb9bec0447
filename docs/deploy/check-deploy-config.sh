#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (CI runs it from .ci/run before Maven):
#
#   1. docker-compose.yml against the Compose Spec JSON schema (docs/deploy/compose-spec.schema.json),
#      with .env.example substituted the way `docker compose` would, plus the cross-file facts the
#      schema cannot know: dispatcher.list, nginx.conf and prometheus.yml name the nodes compose defines.
#   2. kamailio-dispatcher.cfg with `kamailio -c`.
#   3. nginx.conf with `nginx -t`, wrapped in a minimal nginx.conf in a temporary directory.
#   4. prometheus.yml with `promtool check config`, alerts.yml with `promtool check rules`.
#   5. every Grafana dashboard and provisioning file parses (JSON, YAML), every dashboard panel
#      queries the Prometheus data source the provisioning defines, and every query is valid PromQL.
#   6. tandem.service with `systemd-analyze verify`, where systemd is installed (said when skipped).
#
# Which metric names the dashboards and alerts may use is checked by a JUnit test against a running
# node (console: NodeWarmupTest#dashboardsAndAlertsQueryOnlyMetricsTheNodeExports).
#
# Needs: python3 with python3-yaml and python3-jsonschema, kamailio, nginx, promtool (Debian packages
# kamailio, nginx, prometheus). Exits non-zero on the first failure, saying which file and why.
set -euo pipefail

deploy_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$deploy_dir/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { printf '== %s\n' "$*"; }
fail() { printf 'check-deploy-config: %s\n' "$*" >&2; exit 1; }

for tool in python3 kamailio nginx promtool; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || fail "$tool is missing (apt-get install kamailio nginx prometheus python3-jsonschema)"
done
# Debian's python3 gets python3-yaml/python3-jsonschema from apt; another python3 first on PATH (pyenv) may not
py=python3
if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null; then py=/usr/bin/python3; fi
"$py" -c 'import yaml, jsonschema' 2>/dev/null || fail "python3 needs yaml and jsonschema (apt-get install python3-yaml python3-jsonschema)"

step "compose: docker-compose.yml against the Compose Spec schema, with .env.example"
"$py" - "$repo_dir/docker-compose.yml" "$repo_dir/.env.example" "$deploy_dir" <<'PY'
import ipaddress, json, os, re, sys
import jsonschema, yaml

compose_file, env_file, deploy_dir = sys.argv[1:4]

# .env.example as docker compose reads .env: KEY=VALUE lines, '#' comments. Every value must be
# present (empty is fine) so that ${VAR:?message} in the compose file is checked to be declared.
env = {}
for n, line in enumerate(open(env_file, encoding="utf-8"), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    if "=" not in line:
        sys.exit(f".env.example:{n}: not KEY=VALUE: {line}")
    key, value = line.split("=", 1)
    env[key.strip()] = value.strip()

# Compose interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err},
# ${VAR:+alt}, ${VAR+alt}. A required variable must at least be declared in .env.example; its
# empty value is replaced by a placeholder so the schema sees a value (as an operator's .env would).
pattern = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
missing = []

def substitute(text):
    def one(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3) or ""
        declared = name in env
        value = env.get(name, "")
        if op is None:
            if not declared:
                missing.append(name)
            return value
        if op in (":-", "-"):
            use_default = (not declared) or (op == ":-" and value == "")
            return substitute(arg) if use_default else value
        if op in (":?", "?"):
            if not declared:
                missing.append(f"{name} (required: {arg})")
            return value if value else "placeholder-for-check"
        if op in (":+", "+"):
            return substitute(arg) if (declared and (value != "" or op == "+")) else ""
        raise AssertionError(op)
    return pattern.sub(one, text)

# Like docker compose: parse the YAML first, then interpolate the values (never keys or comments).
def interpolate(node):
    if isinstance(node, dict):
        return {k: interpolate(v) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v) for v in node]
    return substitute(node) if isinstance(node, str) else node

raw = open(compose_file, encoding="utf-8").read()
model = interpolate(yaml.safe_load(raw))
if missing:
    sys.exit("docker-compose.yml uses variables .env.example does not declare: " + ", ".join(sorted(set(missing))))

schema = json.load(open(os.path.join(deploy_dir, "compose-spec.schema.json"), encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema)
errors = sorted(validator.iter_errors(model), key=lambda e: list(e.path))
for e in errors:
    print(f"docker-compose.yml: {'/'.join(map(str, e.path)) or '(top)'}: {e.message[:300]}", file=sys.stderr)
if errors:
    sys.exit(f"docker-compose.yml: {len(errors)} schema error(s)")

services = model["services"]
for name, svc in services.items():
    for dep in (svc.get("depends_on") or {}):
        if dep not in services:
            sys.exit(f"docker-compose.yml: {name} depends on {dep}, which is not a service")
    for net in (svc.get("networks") or {}):
        if net not in (model.get("networks") or {}):
            sys.exit(f"docker-compose.yml: {name} joins network {net}, which is not defined")
    for vol in svc.get("volumes") or []:
        source = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
        if source.startswith("./"):
            if not os.path.exists(os.path.join(os.path.dirname(compose_file), source)):
                sys.exit(f"docker-compose.yml: {name} mounts {source}, which does not exist")
        elif source and source not in (model.get("volumes") or {}):
            sys.exit(f"docker-compose.yml: {name} uses volume {source}, which is not declared")

# The nodes: every service whose environment names a TANDEM_NODE_ID.
nodes = {}
subnet = ipaddress.ip_network(model["networks"]["tandem"]["ipam"]["config"][0]["subnet"])
for name, svc in services.items():
    envs = svc.get("environment") or {}
    if "TANDEM_NODE_ID" in envs:
        address = svc["networks"]["tandem"]["ipv4_address"]
        if ipaddress.ip_address(address) not in subnet:
            sys.exit(f"docker-compose.yml: {name} has {address}, outside {subnet}")
        nodes[name] = (address, str(envs["TANDEM_SIP_PORT"]))
# Peers present peer-role keys, never the bootstrap (admin) key (checked before substitution).
for m in re.finditer(r"^\s*(TANDEM_CLUSTER_PEERS_\d+_API_KEY):\s*(.*)$", raw, re.M):
    if "BOOTSTRAP" in m.group(2).upper():
        sys.exit(f"docker-compose.yml: {m.group(1)} is the bootstrap (admin) key; give peers a peer-role key")
if len(nodes) != 3:
    sys.exit(f"docker-compose.yml: expected 3 nodes, found {sorted(nodes)}")
for name, svc in nodes.items():
    envs = services[name]["environment"]
    peer_urls = {v for k, v in envs.items() if re.fullmatch(r"TANDEM_CLUSTER_PEERS_\d+_URL", k)}
    expected = {f"http://{addr}:8080" for other, (addr, _) in nodes.items() if other != name}
    if peer_urls != expected:
        sys.exit(f"docker-compose.yml: {name}'s peers are {sorted(peer_urls)}, expected {sorted(expected)}")

prometheus_address = services["prometheus"]["networks"]["tandem"]["ipv4_address"]
allowed = services["tandem-1"]["environment"]["TANDEM_METRICS_ALLOWED_SOURCES"].split(",")
if not any(ipaddress.ip_address(prometheus_address) in ipaddress.ip_network(c.strip()) for c in allowed):
    sys.exit(f"docker-compose.yml: Prometheus ({prometheus_address}) is not in TANDEM_METRICS_ALLOWED_SOURCES {allowed}")

# dispatcher.list: exactly the nodes' SIP addresses.
destinations = set()
for line in open(os.path.join(deploy_dir, "dispatcher.list"), encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    fields = line.split()
    m = re.fullmatch(r"sip:([0-9.]+):(\d+)", fields[1])
    if fields[0] != "1" or not m:
        sys.exit(f"dispatcher.list: expected 'setid 1 sip:ADDRESS:PORT', got {line}")
    destinations.add((m.group(1), m.group(2)))
if destinations != set(nodes.values()):
    sys.exit(f"dispatcher.list names {sorted(destinations)}, the compose nodes are {sorted(nodes.values())}")

# nginx.conf and prometheus.yml: the nodes' HTTP addresses.
http = {f"{addr}:8080" for addr, _ in nodes.values()}
nginx_servers = set(re.findall(r"^\s*server\s+([0-9.]+:\d+)", open(os.path.join(deploy_dir, "nginx.conf"), encoding="utf-8").read(), re.M))
if nginx_servers != http:
    sys.exit(f"nginx.conf upstream has {sorted(nginx_servers)}, the compose nodes are {sorted(http)}")
prom = yaml.safe_load(open(os.path.join(deploy_dir, "prometheus.yml"), encoding="utf-8"))
targets = {t for job in prom["scrape_configs"] if job["job_name"] == "tandem"
           for sc in job["static_configs"] for t in sc["targets"]}
if targets != http:
    sys.exit(f"prometheus.yml job tandem scrapes {sorted(targets)}, the compose nodes are {sorted(http)}")
print(f"docker-compose.yml: valid ({len(services)} services, nodes {', '.join(sorted(nodes))}); "
      "dispatcher.list, nginx.conf and prometheus.yml agree with it")
PY

step "kamailio -c docs/deploy/kamailio-dispatcher.cfg"
kamailio_modules=${KAMAILIO_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules}
# The config names /etc/kamailio/dispatcher.list (where compose mounts it); `kamailio -c` does not
# read the list, but point it at ours anyway so the check never depends on /etc.
sed "s#/etc/kamailio/dispatcher.list#$deploy_dir/dispatcher.list#" "$deploy_dir/kamailio-dispatcher.cfg" > "$work/kamailio.cfg"
if ! kamailio -c -L "$kamailio_modules" -f "$work/kamailio.cfg" > "$work/kamailio.log" 2>&1; then
  cat "$work/kamailio.log" >&2
  fail "kamailio-dispatcher.cfg does not pass kamailio -c"
fi
grep -q "config file ok" "$work/kamailio.log" || { cat "$work/kamailio.log" >&2; fail "kamailio -c did not say the config is ok"; }
echo "kamailio-dispatcher.cfg: config file ok ($(kamailio -v | head -1))"

step "nginx -t docs/deploy/nginx.conf"
# A minimal main config around ours, as the nginx image has it (conf.d inside http). Everything
# nginx would write goes to the temporary directory; the upstreams are IP addresses, so no DNS.
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $work/nginx/client_body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $deploy_dir/nginx.conf;
}
EOF
if ! nginx -t -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx.log" 2>&1; then
  cat "$work/nginx.log" >&2
  fail "nginx.conf does not pass nginx -t"
fi
echo "nginx.conf: $(grep -o 'test is successful' "$work/nginx.log") ($(nginx -v 2>&1))"

step "promtool check config / rules"
# prometheus.yml names alerts.yml where compose mounts it (/etc/prometheus); check a copy beside it.
mkdir -p "$work/prometheus"
cp "$deploy_dir/alerts.yml" "$work/prometheus/alerts.yml"
sed "s#/etc/prometheus/alerts.yml#$work/prometheus/alerts.yml#" "$deploy_dir/prometheus.yml" > "$work/prometheus/prometheus.yml"
promtool check config "$work/prometheus/prometheus.yml"
promtool check rules "$deploy_dir/alerts.yml"

step "grafana: provisioning and dashboards"
"$py" - "$deploy_dir/grafana" <<'PY'
import glob, json, os, sys
import yaml

root = sys.argv[1]
datasources = yaml.safe_load(open(os.path.join(root, "provisioning/datasources/prometheus.yml"), encoding="utf-8"))
uids = {d["uid"] for d in datasources["datasources"]}
providers = yaml.safe_load(open(os.path.join(root, "provisioning/dashboards/tandem.yml"), encoding="utf-8"))
assert providers["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards", "dashboard provider path"

files = sorted(glob.glob(os.path.join(root, "dashboards/*.json")))
if not files:
    sys.exit("no dashboards under grafana/dashboards")
seen_uids = set()
for f in files:
    name = os.path.basename(f)
    try:
        board = json.load(open(f, encoding="utf-8"))
    except json.JSONDecodeError as e:
        sys.exit(f"{name}: not JSON: {e}")
    for key in ("uid", "title", "panels", "schemaVersion"):
        if key not in board:
            sys.exit(f"{name}: no {key}")
    if board["uid"] in seen_uids:
        sys.exit(f"{name}: uid {board['uid']} is used twice")
    seen_uids.add(board["uid"])
    queries = 0
    for panel in board["panels"]:
        if panel.get("type") in ("row", "text"):
            continue
        ds = panel.get("datasource", {})
        if ds.get("uid") not in uids:
            sys.exit(f"{name}: panel '{panel.get('title')}' uses data source {ds}, provisioned are {sorted(uids)}")
        for target in panel.get("targets", []):
            if not target.get("expr", "").strip():
                sys.exit(f"{name}: panel '{panel.get('title')}' has a target without expr")
            queries += 1
    print(f"{name}: '{board['title']}', {len(board['panels'])} panels, {queries} queries")
PY

step "grafana: every dashboard query is valid PromQL (promtool check rules on a generated rule file)"
# promtool parses the expressions of recording rules; Grafana's variables become what Grafana would
# put in their place ($node: the "All" value .*; $__rate_interval: 1m).
"$py" - "$deploy_dir/grafana/dashboards" "$work/dashboard-queries.yml" <<'PY'
import glob, json, os, sys
import yaml

rules = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    board = json.load(open(f, encoding="utf-8"))
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$__rate_interval", "1m").replace("$node", ".*")
            rules.append({"record": f"dashboard:{board['uid'].replace('-', '_')}:{panel['id']}_{target['refId']}", "expr": expr})
yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}, open(sys.argv[2], "w", encoding="utf-8"), sort_keys=False)
PY
promtool check rules "$work/dashboard-queries.yml"

step "systemd-analyze verify docs/deploy/tandem.service"
if command -v systemd-analyze >/dev/null 2>&1; then
  cp "$deploy_dir/tandem.service" "$work/tandem.service"
  systemd-analyze verify "$work/tandem.service"
  echo "tandem.service: verified ($(systemd-analyze --version | head -1))"
else
  echo "tandem.service: NOT checked: systemd-analyze is not installed here (Debian package systemd)"
fi

echo "== all deployment checks passed"
