package io.tandem.console.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.api.ApiClient;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tandem.softswitch.call.CallEngine;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A freshly started node warms its call path up before it takes calls, and says so to load balancers:
 * while warming up or draining, readiness is OUT_OF_SERVICE and keep-alive OPTIONS and INVITEs get 503.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NodeWarmupTest {

    static final String KEY = "test-bootstrap-key-warmup-0123456789";
    static final int SIP_PORT = freeUdpPort();
    static final AtomicInteger BRANCHES = new AtomicInteger();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.api.bootstrap-key", () -> KEY);
        registry.add("tandem.sip.address", () -> "127.0.0.1");
        registry.add("tandem.sip.port", () -> SIP_PORT);
        registry.add("tandem.sip.tls-port", () -> -1);
        registry.add("tandem.warmup.enabled", () -> "true");
        registry.add("tandem.warmup.duration", () -> "3s");
    }

    @LocalServerPort
    int port;

    @Autowired
    CallPathWarmupOnStart warmup;

    @Autowired
    CallEngine engine;

    @Test
    void theNodeWarmsUpBeforeTakingCallsAndRefusesTrafficWhileWarmingUpOrDraining() throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        ApiClient anonymous = api.withKey(null);

        awaitReady(anonymous);
        assertThat(anonymous.get("/actuator/health/readiness").status()).as("readiness once warm").isEqualTo(200);
        CallPathWarmup.Result run = warmup.lastRun().orElseThrow(() -> new AssertionError("ready without a warm-up"));
        assertThat(run.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(run.parsed()).isPositive();
        assertThat(run.overTheWire()).as("SIP exchanges with the node's own listener").isPositive();
        assertThat(sipStatus(options())).as("keep-alive once warm").isEqualTo(200);

        engine.setWarmingUp(true);
        try {
            assertThat(anonymous.get("/actuator/health/readiness").status()).as("readiness while warming up").isEqualTo(503);
            assertThat(anonymous.get("/actuator/health/liveness").status()).as("alive all the same").isEqualTo(200);
            assertThat(sipStatus(options())).as("keep-alive while warming up").isEqualTo(503);
            assertThat(sipStatus(invite())).as("a call while warming up").isEqualTo(503);
        } finally {
            engine.setWarmingUp(false);
        }

        assertThat(api.post("/api/v1/node/drain", "{\"draining\": true}").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).as("readiness while draining").isEqualTo(503);
        assertThat(sipStatus(options())).as("keep-alive while draining").isEqualTo(503);

        assertThat(api.post("/api/v1/node/drain", "{\"draining\": false}").status()).isEqualTo(200);
        assertThat(sipStatus(options())).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    /** CallFlowTest.aCallIsCountedPerCustomerVendorMethodStatusAndReason sees them after calls. */
    private static final String PER_ACCOUNT = "per customer or vendor account, from its first call on the node";

    /**
     * Prometheus-produced or traffic-made series the dashboards and alerts query that a node without
     * traffic does not export yet, each with the reason. Everything else they name must be on this
     * node's /actuator/prometheus.
     */
    private static final java.util.Map<String, String> AFTER_TRAFFIC = java.util.Map.ofEntries(
            java.util.Map.entry("up", "made by Prometheus for every scrape target, not by the node"),
            java.util.Map.entry("resilience4j_circuitbreaker_state", "a vendor gateway's breaker is registered at its first attempt on the node"),
            java.util.Map.entry("resilience4j_circuitbreaker_failure_rate", "per vendor gateway, from its first attempt"),
            java.util.Map.entry("resilience4j_circuitbreaker_calls_seconds_count", "per vendor gateway, from its first attempt"),
            java.util.Map.entry("resilience4j_circuitbreaker_calls_seconds_sum", "per vendor gateway, from its first attempt"),
            java.util.Map.entry("resilience4j_circuitbreaker_not_permitted_calls_total", "per vendor gateway, from its first attempt"),
            java.util.Map.entry("jvm_gc_concurrent_phase_time_seconds_sum", "recorded from the first concurrent GC cycle: ZGC (the image's default) has "
                    + "them from the start, the test JVM's G1 maybe not within a short test"),
            java.util.Map.entry("jvm_gc_pause_seconds_sum", "recorded from the first GC pause, which a test JVM with a large heap may not have had yet"),
            java.util.Map.entry("tandem_customer_calls_total", PER_ACCOUNT),
            java.util.Map.entry("tandem_customer_billed_seconds_total", PER_ACCOUNT),
            java.util.Map.entry("tandem_customer_pdd_seconds_sum", PER_ACCOUNT),
            java.util.Map.entry("tandem_customer_pdd_seconds_count", PER_ACCOUNT),
            java.util.Map.entry("tandem_customer_revenue_total", PER_ACCOUNT),
            java.util.Map.entry("tandem_vendor_attempts_total", PER_ACCOUNT),
            java.util.Map.entry("tandem_vendor_billed_seconds_total", PER_ACCOUNT),
            java.util.Map.entry("tandem_vendor_pdd_seconds_sum", PER_ACCOUNT),
            java.util.Map.entry("tandem_vendor_pdd_seconds_count", PER_ACCOUNT),
            java.util.Map.entry("tandem_vendor_cost_total", PER_ACCOUNT));

    /** PromQL words that are not metric names. */
    private static final java.util.Set<String> PROMQL_WORDS = java.util.Set.of(
            "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan");

    @Test
    void dashboardsAndAlertsQueryOnlyMetricsTheNodeExports() throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        awaitReady(api.withKey(null));
        assertThat(api.withKey(null).get("/actuator/health").status()).isEqualTo(200);
        ApiClient.Response scrape = api.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        java.util.Set<String> exported = scrape.raw().lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(java.util.stream.Collectors.toSet());

        Path deploy = Path.of("..", "docs", "deploy");
        java.util.Map<String, java.util.Set<String>> queried = new java.util.TreeMap<>();
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        try (java.util.stream.Stream<Path> boards = java.nio.file.Files.list(deploy.resolve("grafana/dashboards"))) {
            for (Path board : boards.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (tools.jackson.databind.JsonNode panel : json.readTree(java.nio.file.Files.readString(board)).get("panels")) {
                    for (tools.jackson.databind.JsonNode target : panel.path("targets")) {
                        for (String metric : metricNames(target.get("expr").asString())) {
                            queried.computeIfAbsent(metric, m -> new java.util.TreeSet<>())
                                    .add(board.getFileName() + ": " + panel.get("title").asString());
                        }
                    }
                }
            }
        }
        java.util.Map<String, Object> alerts = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(deploy.resolve("alerts.yml")));
        for (Object group : (java.util.List<?>) alerts.get("groups")) {
            for (Object rule : (java.util.List<?>) ((java.util.Map<?, ?>) group).get("rules")) {
                java.util.Map<?, ?> r = (java.util.Map<?, ?>) rule;
                for (String metric : metricNames(String.valueOf(r.get("expr")))) {
                    queried.computeIfAbsent(metric, m -> new java.util.TreeSet<>()).add("alerts.yml: " + r.get("alert"));
                }
            }
        }

        assertThat(queried).as("metric names found in the dashboards and alerts").hasSizeGreaterThan(30);
        java.util.Map<String, java.util.Set<String>> missing = new java.util.TreeMap<>(queried);
        missing.keySet().removeAll(exported);
        missing.keySet().removeAll(AFTER_TRAFFIC.keySet());
        assertThat(missing).as("queried by dashboards or alerts but not exported by a node").isEmpty();
        assertThat(queried.keySet()).as("every allow-listed name is still queried somewhere").containsAll(AFTER_TRAFFIC.keySet());
        assertThat(queried.keySet()).as("the node's own figures").contains("tandem_calls_offered_total", "tandem_settlements_spooled",
                "tandem_settlements_parked", "hikaricp_connections_timeout_total");
    }

    /**
     * The metric names in a PromQL expression: identifiers that are not functions (followed by a
     * parenthesis), keywords, label names (inside braces or a by/without/on/ignoring list), durations
     * (inside brackets) or Grafana variables.
     */
    static java.util.Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*\\}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Until the warm-up after the start is over (the test methods run in any order). */
    private static void awaitReady(ApiClient anonymous) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (anonymous.get("/actuator/health/readiness").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    private static String options() {
        int branch = BRANCHES.incrementAndGet();
        return "OPTIONS sip:127.0.0.1:" + SIP_PORT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bK-probe-" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p" + branch + "\r\n"
                + "To: <sip:127.0.0.1:" + SIP_PORT + ">\r\n"
                + "Call-ID: probe-" + branch + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String invite() {
        int branch = BRANCHES.incrementAndGet();
        return "INVITE sip:44123456789@127.0.0.1:" + SIP_PORT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bK-call-" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:4930123456@127.0.0.1>;tag=c" + branch + "\r\n"
                + "To: <sip:44123456789@127.0.0.1:" + SIP_PORT + ">\r\n"
                + "Call-ID: call-" + branch + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:PORT>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends a request from a fresh socket (PORT in it becomes that socket's port) and returns the first final status. */
    private static int sipStatus(String request) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(2000);
            byte[] wire = request.replace("PORT", Integer.toString(socket.getLocalPort())).getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), SIP_PORT));
            while (true) {
                DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
                socket.receive(answer);
                String statusLine = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
                int status = Integer.parseInt(statusLine.split(" ")[1]);
                if (status >= 200) {
                    return status;
                }
            }
        }
    }

    /** Below the ephemeral range (so no client socket of another test takes it meanwhile) and below CallFlowTest's. */
    private static int freeUdpPort() {
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int tries = 0; tries < 200; tries++) {
            int candidate = 12_000 + random.nextInt(8_000);
            try (DatagramSocket socket = new DatagramSocket(candidate, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (SocketException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free UDP port between 12000 and 20000");
    }
}
