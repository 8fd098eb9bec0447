package io.tandem.console.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.TandemApplication;
import io.tandem.console.api.ApiClient;
import io.tandem.console.ui.ConsoleBrowser;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL database, as a carrier runs them: node A is this test's Spring context,
 * node B a second JVM. sipp places a call through node B; an operator signed in to node A's console
 * sees it in Active calls and hangs it up there, and the customer's sipp receives the BYE. Then node B
 * is killed (SIGKILL) and node A's calls page still answers, with node B offline.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TwoNodeCallsBrowserTest {

    static final String KEY = "two-node-test-bootstrap-key-42";
    static final String ADMIN_PASSWORD = "admin-password-0123";
    static final String NUMBER_UK = "442079460001";
    /** A peer key both nodes accept (stored in the shared database before they start). */
    static final String PEER_KEY = "tdm_peer2nod_" + "x".repeat(43);
    static final TestDatabase DATABASE = TestDatabases.postgres();
    static final int NODE_A_SIP = freeUdpPort();
    static final int NODE_B_SIP = freeUdpPort();
    static final int NODE_B_HTTP = freeTcpPort();
    static final int VENDOR_PORT = freeUdpPort();
    static final int UNUSED_VENDOR_PORT = freeUdpPort();
    static final int CUSTOMER_PORT = freeUdpPort();

    static {
        DATABASE.dsl().execute("INSERT INTO api_key (name, key_prefix, key_hash, role, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                "cluster-peers", "peer2nod", sha256Hex(PEER_KEY), "peer", "test", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
    }

    @TempDir
    static Path dataDir;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.node-id", () -> "node-a");
        registry.add("tandem.api.bootstrap-key", () -> KEY);
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
        registry.add("tandem.sip.address", () -> "127.0.0.1");
        registry.add("tandem.sip.port", () -> NODE_A_SIP);
        registry.add("tandem.sip.tls-port", () -> -1);
        registry.add("tandem.cluster.peers[0].name", () -> "node-b");
        registry.add("tandem.cluster.peers[0].url", () -> "http://127.0.0.1:" + NODE_B_HTTP);
        registry.add("tandem.cluster.peers[0].api-key", () -> PEER_KEY);
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
    }

    @BeforeAll
    static void needsSipp() {
        Sipp.assumeInstalled();
    }

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }

    @LocalServerPort
    int nodeAHttp;

    @Test
    void aCallThroughNodeBIsHungUpFromNodeAsConsoleAndTheCallsPageOutlivesNodeB() throws Exception {
        Process nodeB = startNodeB();
        try {
            ApiClient nodeA = new ApiClient("http://127.0.0.1:" + nodeAHttp, KEY);
            ApiClient nodeBApi = new ApiClient("http://127.0.0.1:" + NODE_B_HTTP, KEY);
            Path nodeBLog = work.resolve("node-b.log");
            awaitTrue("node B answers", Duration.ofSeconds(300), () -> !nodeB.isAlive() || answers(nodeBApi), () -> tail(nodeBLog));
            assertThat(nodeB.isAlive()).as(tail(nodeBLog)).isTrue();
            routeDemoVendorATo(nodeA, VENDOR_PORT);
            awaitTrue("node B routes to our vendor and knows the demo trunk", Duration.ofSeconds(30), () -> {
                JsonNode explain = nodeBApi.get("/api/v1/routes/explain?trunk=1&number=" + NUMBER_UK).body();
                JsonNode node = nodeBApi.get("/api/v1/node").body();
                return explain != null && explain.path("candidates").size() > 0
                        && explain.path("candidates").get(0).path("port").asInt() == VENDOR_PORT
                        && node != null && node.path("trunksVersion").asLong() == node.path("routingVersion").asLong();
            });

            try (Sipp vendor = Sipp.start(work, "vendor-answer.xml", Map.of(), "-i", "127.0.0.1", "-p", Integer.toString(VENDOR_PORT),
                    "-m", "1", "-timeout", "150s", "-timeout_error");
                 ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + nodeAHttp)) {
                // signed in and watching before the call starts: a slow browser must not eat the customer's patience
                browser.signIn("admin", ADMIN_PASSWORD);
                browser.go("calls");
                awaitTrue("the vendor's sipp listens", Duration.ofSeconds(15), () -> udpPortTaken(VENDOR_PORT));
                Sipp customer = Sipp.start(work, "customer-until-hang-up.xml", Map.of(), "-i", "127.0.0.1", "-p",
                        Integer.toString(CUSTOMER_PORT), "-s", NUMBER_UK, "-m", "1", "-timeout", "150s", "-timeout_error",
                        "127.0.0.1:" + NODE_B_SIP);
                browser.waitFor(d -> gridShows(browser, "node-b") && gridShows(browser, "answered") ? Boolean.TRUE : null);
                browser.screenshot("calls");

                browser.script("document.querySelector('#calls-grid vaadin-button.hang-up').click();");
                browser.waitFor(d -> Boolean.TRUE.equals(browser.script(CLICK_CONFIRM)) ? Boolean.TRUE : null);
                awaitTrue("node A audits the hang-up on node B", Duration.ofSeconds(20),
                        () -> nodeA.get("/api/v1/audit?action=hang-up").raw().contains("on node node-b"),
                        () -> "page: " + browser.script("return document.body.innerText") + "\nscreenshot: " + browser.screenshot("calls-hang-up-failed"));

                assertThat(customer.await(30)).as("the customer's sipp gets the BYE: " + customer.output()).isZero();
                assertThat(vendor.await(30)).as("the vendor's sipp gets the BYE: " + vendor.output()).isZero();
                JsonNode audit = nodeBApi.get("/api/v1/audit?action=hang-up").body();
                assertThat(audit.toString()).as("node B audits the peer acting for the console user").contains("on behalf of admin");

                browser.go("cluster");
                browser.waitFor(d -> gridShows(browser, "node-b") && gridShows(browser, "up") ? Boolean.TRUE : null);
                browser.screenshot("cluster");
                browser.go("");
                pause(Duration.ofSeconds(3));
                browser.waitFor(d -> String.valueOf(browser.script("return document.body.innerText")).contains("2 of 2 nodes reporting")
                        ? Boolean.TRUE : null);
                browser.screenshot("dashboard");

                // drain and undrain node B from node A: the peer changes, and audits the user it acted for
                ApiClient.Response drained = nodeA.post("/api/v1/cluster/nodes/node-b/drain", "{\"draining\": true}");
                assertThat(drained.status()).as(drained.raw()).isEqualTo(200);
                assertThat(drained.body().path("status").asString()).isEqualTo("draining");
                assertThat(nodeBApi.get("/api/v1/node").body().path("draining").asBoolean()).isTrue();
                assertThat(nodeA.post("/api/v1/cluster/nodes/node-b/drain", "{\"draining\": false}").body().path("status").asString())
                        .isEqualTo("up");
                assertThat(nodeBApi.get("/api/v1/audit?action=drain").raw()).contains("on behalf of api:bootstrap-key");

                nodeB.destroyForcibly().waitFor();
                Instant killed = Instant.now();
                browser.go("calls");
                browser.waitFor(d -> String.valueOf(browser.script("return document.getElementById('node-status')?.innerText"))
                        .contains("node-b · offline, last seen") ? Boolean.TRUE : null);
                assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(15));
                ApiClient.Response list = nodeA.get("/api/v1/cluster/calls");
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.raw()).contains("\"node\":\"node-b\"", "\"online\":false");
            }
        } finally {
            nodeB.destroyForcibly().waitFor();
        }
    }

    /**
     * Clicks the confirm dialog's confirm button, wherever the overlay put it (shadow roots included);
     * the button itself, not a {@code <slot>} that forwards it.
     */
    static final String CLICK_CONFIRM = """
            const walk = root => { for (const e of root.querySelectorAll('*')) {
                if (e.localName === 'vaadin-button' && e.getAttribute('slot') === 'confirm-button') { return e; }
                if (e.shadowRoot) { const found = walk(e.shadowRoot); if (found) { return found; } } } return null; };
            const button = walk(document);
            if (button) { button.click(); return true; }
            return false;""";

    private static boolean gridShows(ConsoleBrowser browser, String text) {
        return Boolean.TRUE.equals(browser.script(
                "return Array.from(document.querySelectorAll('vaadin-grid vaadin-grid-cell-content')).some(c => c.textContent.includes(arguments[0]));",
                text));
    }

    private Process startNodeB() throws IOException {
        Path dir = Files.createDirectories(work.resolve("node-b"));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TandemApplication.class.getName(),
                "--server.port=" + NODE_B_HTTP,
                "--spring.datasource.url=" + DATABASE.jdbcUrl(),
                "--spring.datasource.username=" + DATABASE.username(),
                "--spring.datasource.password=" + (DATABASE.password() == null ? "" : DATABASE.password()),
                "--tandem.data-dir=" + dir,
                "--tandem.node-id=node-b",
                "--tandem.api.bootstrap-key=" + KEY,
                "--tandem.admin.initial-password=" + ADMIN_PASSWORD,
                "--tandem.sip.address=127.0.0.1",
                "--tandem.sip.port=" + NODE_B_SIP,
                "--tandem.sip.tls-port=-1",
                "--tandem.cluster.peers[0].name=node-a",
                "--tandem.cluster.peers[0].url=http://127.0.0.1:" + nodeAHttp,
                "--tandem.cluster.peers[0].api-key=" + PEER_KEY,
                "--vaadin.devmode.devTools.enabled=false"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("node-b.log").toFile()).start();
    }

    private static boolean answers(ApiClient api) {
        try {
            return api.get("/api/v1/cluster/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void routeDemoVendorATo(ApiClient api, int port) {
        for (JsonNode gateway : api.get("/api/v1/vendor-gateways").body()) {
            String name = gateway.path("name").asString();
            int target = name.equals("vendor-a-gw1") ? port : UNUSED_VENDOR_PORT;
            ApiClient.Response updated = api.put("/api/v1/vendor-gateways/" + gateway.path("id").asLong(), """
                    {"accountId": %d, "name": "%s", "host": "127.0.0.1", "port": %d, "priority": %d}"""
                    .formatted(gateway.path("accountId").asLong(), name, target, gateway.path("priority").asInt()));
            assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void awaitTrue(String what, Duration limit, BooleanSupplier condition) {
        awaitTrue(what, limit, condition, () -> "");
    }

    private static void awaitTrue(String what, Duration limit, BooleanSupplier condition, java.util.function.Supplier<String> details) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause(Duration.ofMillis(250));
        }
        throw new AssertionError("timed out waiting for: " + what + "\n" + details.get());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean udpPortTaken(int port) {
        try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** A free UDP port below the kernel's ephemeral range, as CallFlowTest picks them. */
    private static int freeUdpPort() {
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int tries = 0; tries < 200; tries++) {
            int port = 20_000 + random.nextInt(12_000);
            if (!udpPortTaken(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP port between 20000 and 32000");
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
