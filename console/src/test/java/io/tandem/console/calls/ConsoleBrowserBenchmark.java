package io.tandem.console.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.ui.ConsoleBrowser;
import io.tandem.softswitch.call.ActiveCallView;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Figures for docs/performance.md, not a test of the normal run: enabled only with
 * {@code -Dtandem.bench.console=true} ({@code docs/bench/console-browser.sh}).
 *
 * <ul>
 *   <li>Active calls, first render in a real Chromium: this node (SIP off, no calls of its own) aggregates
 *       10,000 live calls from two peers of 5,000 each; the time from {@code driver.get("/calls")} until the grid
 *       shows call rows, 5 times: cold (a fresh profile whose first page is /calls, signed in by the session cookie
 *       of another browser) and warm (the same browser opening /calls again), with where each page load went
 *       (requests fetched, revalidated or cached, bytes, server times of the page and of Vaadin's first requests).</li>
 *   <li>Dashboard push cost: this JVM's CPU time over {@code tandem.bench.seconds} (default 60) with no console
 *       open, then with {@code tandem.bench.dashboards} (default 5) headless Chromium sessions on the dashboard.
 *       The browsers are other processes; what is counted is the node (and the two fake peers, which answer the
 *       same fan-out in both phases).</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "tandem.bench.console", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleBrowserBenchmark {

    static final String ADMIN_PASSWORD = "admin-password-0123";
    static final int CALLS_PER_PEER = 5_000;
    static final FakePeer NODE_B = withCalls(FakePeer.start(), "node-b");
    static final FakePeer NODE_C = withCalls(FakePeer.start(), "node-c");
    static final Path DATA_DIR = dataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", DATA_DIR::toString);
        registry.add("tandem.node-id", () -> "node-a");
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
        // what an operator runs: the packaged node serves Vaadin's production bundle (the build puts it in target/classes)
        registry.add("vaadin.productionMode", () -> "true");
        registry.add("tandem.cluster.peers[0].name", () -> "node-b");
        registry.add("tandem.cluster.peers[0].url", NODE_B::url);
        registry.add("tandem.cluster.peers[0].api-key", () -> "bench-key-b");
        registry.add("tandem.cluster.peers[1].name", () -> "node-c");
        registry.add("tandem.cluster.peers[1].url", NODE_C::url);
        registry.add("tandem.cluster.peers[1].api-key", () -> "bench-key-c");
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void activeCallsFirstRenderWith10000CallsAndDashboardPushCost() throws Exception {
        String base = "http://127.0.0.1:" + port;
        peerAnswerSizeAndParseCost();
        // cold: a fresh Chromium profile (nothing cached) whose first page is /calls, already signed in (the session
        // cookie of a sign-in in another browser), so nothing of Vaadin's bundle was loaded before;
        // warm: the same browser opening /calls again (a new page load, the bundle in its cache), as an operator who
        // had the console open once does in a new tab or after a reload
        double[] cold = new double[5];
        double[] coldShells = new double[cold.length];
        double[] warm = new double[cold.length];
        double[] warmShells = new double[cold.length];
        List<String> summaries = new ArrayList<>();
        List<String> coldLoads = new ArrayList<>();
        List<String> warmLoads = new ArrayList<>();
        for (int i = 0; i < cold.length; i++) {
            Cookie session;
            try (ConsoleBrowser signIn = ConsoleBrowser.open(base)) {
                signIn.signIn("admin", ADMIN_PASSWORD);
                session = signIn.driver().manage().getCookieNamed("JSESSIONID");
            }
            try (ConsoleBrowser browser = ConsoleBrowser.open(base)) {
                browser.driver().get(base + "/tandem.css");
                browser.driver().manage().deleteAllCookies();
                browser.driver().manage().addCookie(new Cookie(session.getName(), session.getValue(), "/"));
                double[] times = openCalls(browser, base, summaries);
                coldShells[i] = times[0];
                cold[i] = times[1];
                coldLoads.add(pageLoad(browser));
                browser.driver().get("about:blank");
                times = openCalls(browser, base, summaries);
                warmShells[i] = times[0];
                warm[i] = times[1];
                warmLoads.add(pageLoad(browser));
            }
        }
        System.out.printf(Locale.ROOT, "[bench] Active calls, cold browser (fresh profile, first page), page shown: %s ms; median %.0f ms%n",
                Arrays.toString(Arrays.stream(coldShells).mapToLong(Math::round).toArray()), median(coldShells));
        System.out.printf(Locale.ROOT, "[bench] Active calls first render, cold browser (fresh profile, first page), 10,000 calls over 2 peers: "
                + "%s ms; median %.0f ms (load %s)%n", Arrays.toString(Arrays.stream(cold).mapToLong(Math::round).toArray()), median(cold), load());
        System.out.printf(Locale.ROOT, "[bench] Active calls, warm browser (the console opened before), page shown: %s ms; median %.0f ms%n",
                Arrays.toString(Arrays.stream(warmShells).mapToLong(Math::round).toArray()), median(warmShells));
        System.out.printf(Locale.ROOT, "[bench] Active calls first render, warm browser (the console opened before), 10,000 calls over 2 peers: "
                + "%s ms; median %.0f ms (load %s)%n", Arrays.toString(Arrays.stream(warm).mapToLong(Math::round).toArray()), median(warm), load());
        coldLoads.forEach(line -> System.out.println("[bench] cold page load: " + line));
        warmLoads.forEach(line -> System.out.println("[bench] warm page load: " + line));
        System.out.printf(Locale.ROOT, "[bench] Active calls summaries at first render: %s%n", summaries);

        int seconds = Integer.getInteger("tandem.bench.seconds", 60);
        int dashboards = Integer.getInteger("tandem.bench.dashboards", 5);
        double idle = cpuSeconds(seconds);
        System.out.printf(Locale.ROOT, "[bench] node CPU, no console open: %.2f s over %d s = %.2f %% of a core (load %s)%n", idle, seconds,
                100 * idle / seconds, load());
        List<ConsoleBrowser> open = new ArrayList<>();
        try {
            for (int i = 0; i < dashboards; i++) {
                ConsoleBrowser browser = ConsoleBrowser.open(base);
                open.add(browser);
                browser.signIn("admin", ADMIN_PASSWORD);
                browser.waitFor(d -> d.findElement(By.id("dashboard-summary")).getText().contains("nodes reporting") ? Boolean.TRUE : null);
            }
            Thread.sleep(5_000);
            double busy = cpuSeconds(seconds);
            double perConsole = (busy - idle) / dashboards / seconds * 100;
            System.out.printf(Locale.ROOT, "[bench] node CPU, %d dashboards open: %.2f s over %d s = %.2f %% of a core; "
                    + "%.2f %% of a core per open dashboard (load %s)%n", dashboards, busy, seconds, 100 * busy / seconds, perConsole, load());
        } finally {
            open.forEach(ConsoleBrowser::close);
        }
    }

    /** Opens /calls: the time until the grid element is there and until it shows call rows, in ms. */
    private static double[] openCalls(ConsoleBrowser browser, String base, List<String> summaries) {
        long start = System.nanoTime();
        browser.driver().get(base + "/calls");
        // the page itself (Vaadin's client loaded, the view's components sent), then the grid's first rows
        browser.waitFor(d -> d.findElements(By.id("calls-grid")).isEmpty() ? null : Boolean.TRUE);
        double shell = (System.nanoTime() - start) / 1e6;
        browser.waitFor(d -> d.findElements(By.xpath("//vaadin-grid-cell-content[starts-with(normalize-space(), '4930')]")).isEmpty()
                ? null : Boolean.TRUE);
        double rows = (System.nanoTime() - start) / 1e6;
        String summary = browser.driver().findElement(By.id("calls-summary")).getText();
        summaries.add(summary);
        // the rows shown are the peers' (numbers 4930…); a push may already have replaced the list read here, and on
        // a loaded box with a peer or two timed out (700 ms), so the summary is recorded, not required to say 10,000
        assertThat(summary).contains("calls on");
        return new double[] {shell, rows};
    }

    /**
     * Where the page load went, from the browser's navigation and resource timing: the page's server time, the
     * requests (fetched, revalidated with a 304, or taken from the cache without asking), the bytes, and the server
     * time of Vaadin's first requests.
     */
    private static String pageLoad(ConsoleBrowser browser) {
        Object line = browser.script("""
                const nav = performance.getEntriesByType('navigation')[0];
                const res = performance.getEntriesByType('resource');
                const fetched = res.filter(r => r.transferSize > 0 && r.encodedBodySize > 0 && r.transferSize > 400);
                const revalidated = res.filter(r => r.transferSize > 0 && !fetched.includes(r));
                const cached = res.filter(r => r.transferSize === 0);
                const uidl = res.filter(r => r.name.includes('v-r='));
                const kb = n => Math.round(n / 1024);
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                return `page ${Math.round(nav.responseStart - nav.requestStart)} ms server, scripts started ${Math.round(nav.domContentLoadedEventEnd)} ms; `
                  + `${res.length} requests: ${fetched.length} fetched (${kb(fetched.reduce((a, r) => a + r.transferSize, 0))} kB on the wire, `
                  + `${kb(fetched.reduce((a, r) => a + r.decodedBodySize, 0))} kB unpacked), ${revalidated.length} revalidated (304), `
                  + `${cached.length} from the cache; Vaadin requests (server ms): `
                  + uidl.slice(0, 3).map(r => r.name.replace(/.*v-r=([a-z]+).*/, '$1') + ' ' + Math.round(r.responseStart - r.requestStart)).join(', ')
                  + `; first paint ${fcp ? Math.round(fcp.startTime) : '?'} ms`;
                """);
        return String.valueOf(line);
    }

    /**
     * What one peer's answer costs: its size per call as a node writes it (this node's JSON mapper writing the calls
     * the fake peer lists) and the time to read 5,000 calls of it the way {@link ClusterCalls} does.
     */
    private void peerAnswerSizeAndParseCost() throws Exception {
        TypeReference<List<ActiveCallView>> type = new TypeReference<>() {
        };
        byte[] fake;
        try (HttpClient http = HttpClient.newHttpClient()) {
            fake = http.send(HttpRequest.newBuilder(URI.create(NODE_B.url() + "/api/v1/calls")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        }
        byte[] answer = json.writeValueAsBytes(json.readValue(fake, type));
        double[] parses = new double[20];
        for (int i = 0; i < parses.length; i++) {
            long start = System.nanoTime();
            assertThat(json.readValue(answer, type)).hasSize(CALLS_PER_PEER);
            parses[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(parses);
        System.out.printf(Locale.ROOT, "[bench] one peer's answer, %,d calls: %,d bytes (%d bytes a call); read in %.1f ms best, %.1f ms median "
                + "of %d (load %s)%n", CALLS_PER_PEER, answer.length, answer.length / CALLS_PER_PEER, parses[0], parses[parses.length / 2],
                parses.length, load());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** This JVM's CPU time (all threads) over the next {@code seconds}. */
    private static double cpuSeconds(int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        Thread.sleep(Duration.ofSeconds(seconds));
        return (os.getProcessCpuTime() - before) / 1e9;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).substring(0, 14).strip();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static FakePeer withCalls(FakePeer peer, String node) {
        Instant now = Instant.now();
        for (int i = 0; i < CALLS_PER_PEER; i++) {
            String id = UUID.randomUUID().toString();
            long seconds = i % 600;
            Instant started = now.minusSeconds(seconds + 3);
            boolean answered = i % 3 != 0;
            peer.withCall(id, """
                    {"id":"%s","nodeId":"%s","customerAccountId":%d,"trunk":"trunk-%d","vendorAccountId":%d,"vendor":"Vendor %d",
                     "caller":"4930%06d","callee":"44207946%04d","state":"%s","startedAt":"%s","answeredAt":%s,"durationSeconds":%d,
                     "currentCost":%s,"currency":"USD"}""".formatted(id, node, 1 + i % 50, i % 20, 2 + i % 7, i % 7, i, i % 10_000,
                    answered ? "answered" : "ringing", started, answered ? "\"" + started.plusSeconds(3) + "\"" : "null",
                    answered ? seconds : 0, answered ? "0.000333" : "0"));
        }
        return peer;
    }

    private static Path dataDir() {
        try {
            return Files.createTempDirectory("tandem-console-bench-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
