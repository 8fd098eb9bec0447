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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
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
 *       10,000 live calls from two peers of 5,000 each; the time until the grid shows call rows, 5 times each: cold
 *       (a fresh profile whose first page is /calls, signed in by the session cookie of another browser), warm (the
 *       same browser opening /calls again), hot (its fourth page load, the bundle's compiled code cached) and in-app
 *       (on the dashboard, a click on "Active calls" in the side navigation), with where each page load went
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
    /** In-app switches to Active calls per browser (after its cold and warm page loads). */
    static final int IN_APP_PER_BROWSER = 2;

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
        // had the console open once does in a new tab or after a reload; hot: its fourth page load (see below); in-app:
        // the same browser, on the dashboard, clicking "Active calls" in the side navigation (no page load).
        // Each is timed twice: by this process (from driver.get or the click until Selenium finds a call row, which
        // adds WebDriver's round trips, 10 ms polls) and in the page (performance.now(): from the navigation start or
        // the click event to the animation frame whose DOM holds a call row, and to when Chromium reports the row's
        // text presented on the screen, Element Timing)
        double[] cold = new double[5];
        double[] coldShells = new double[cold.length];
        double[] coldInPage = new double[cold.length];
        double[] warm = new double[cold.length];
        double[] warmShells = new double[cold.length];
        double[] warmInPage = new double[cold.length];
        double[] inApp = new double[cold.length * IN_APP_PER_BROWSER];
        double[] inAppInPage = new double[inApp.length];
        double[] coldShown = new double[cold.length];
        double[] warmShown = new double[cold.length];
        double[] hot = new double[cold.length];
        double[] hotInPage = new double[cold.length];
        double[] hotShown = new double[cold.length];
        double[] inAppShown = new double[inApp.length];
        List<String> summaries = new ArrayList<>();
        List<String> coldLoads = new ArrayList<>();
        List<String> warmLoads = new ArrayList<>();
        List<String> coldMisses = new ArrayList<>();
        for (int i = 0; i < cold.length; i++) {
            ColdOpen opened = coldBrowserOnCalls(base, summaries, coldMisses);
            try (ConsoleBrowser browser = opened.browser()) {
                double[] times = opened.times();
                coldShells[i] = times[0];
                cold[i] = times[1];
                coldInPage[i] = times[2];
                coldShown[i] = times[3];
                coldLoads.add(pageLoad(browser));
                browser.driver().get("about:blank");
                times = openCalls(browser, base, summaries);
                warmShells[i] = times[0];
                warm[i] = times[1];
                warmInPage[i] = times[2];
                warmShown[i] = times[3];
                warmLoads.add(pageLoad(browser));
                // hot: the fourth page load of the browser; Chromium keeps the compiled code of a script it has run
                // twice (V8's code cache, next to the HTTP cache), so from then on the bundle is neither fetched nor
                // compiled: an operator's browser that has opened the console a few times
                browser.driver().get("about:blank");
                openCalls(browser, base, summaries);
                browser.driver().get("about:blank");
                times = openCalls(browser, base, summaries);
                hot[i] = times[1];
                hotInPage[i] = times[2];
                hotShown[i] = times[3];
                // in-app navigation: the operator, signed in with the console open on another view (the dashboard),
                // clicks "Active calls" in the side navigation; no page load, Vaadin's client is running
                for (int j = 0; j < IN_APP_PER_BROWSER; j++) {
                    times = navigateToCalls(browser, summaries);
                    inApp[i * IN_APP_PER_BROWSER + j] = times[1];
                    inAppInPage[i * IN_APP_PER_BROWSER + j] = times[2];
                    inAppShown[i * IN_APP_PER_BROWSER + j] = times[3];
                }
            }
        }
        printTimes("Active calls, cold browser (fresh profile, first page), page shown", coldShells);
        printTimes("Active calls first render, cold browser (fresh profile, first page), 10,000 calls over 2 peers", cold);
        printTimes("  same, in the browser: navigation start to the frame with call rows", coldInPage);
        printTimes("  same, in the browser: navigation start to the rows' text presented (Element Timing)", coldShown);
        printTimes("Active calls, warm browser (the console opened before), page shown", warmShells);
        printTimes("Active calls first render, warm browser (the console opened before, new page load), 10,000 calls over 2 peers", warm);
        printTimes("  same, in the browser: navigation start to the frame with call rows", warmInPage);
        printTimes("  same, in the browser: navigation start to the rows' text presented (Element Timing)", warmShown);
        printTimes("Active calls first render, hot browser (fourth page load: the bundle's code cached), 10,000 calls over 2 peers", hot);
        printTimes("  same, in the browser: navigation start to the frame with call rows", hotInPage);
        printTimes("  same, in the browser: navigation start to the rows' text presented (Element Timing)", hotShown);
        printTimes("Active calls first render, in-app navigation (dashboard open, click on Active calls), 10,000 calls over 2 peers", inApp);
        printTimes("  same, in the browser: the click's event time to the frame with call rows", inAppInPage);
        printTimes("  same, in the browser: the click's event time to the rows' text presented (Element Timing)", inAppShown);
        coldLoads.forEach(line -> System.out.println("[bench] cold page load: " + line));
        warmLoads.forEach(line -> System.out.println("[bench] warm page load: " + line));
        System.out.printf(Locale.ROOT, "[bench] cold page loads that did not show /calls and were retried: %d%s%n", coldMisses.size(),
                coldMisses.isEmpty() ? "" : " " + coldMisses);
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

    /**
     * Where a page load of /calls goes, from the browser's own records: the long animation frames (Chromium's
     * Long Animation Frames API: every frame that took over 50 ms, with the scripts that ran in it, their files and
     * the style and layout work) up to the frame that shows the call rows, and when each request of the page started
     * and ended. Loads /calls {@code tandem.bench.breakdown} times (default 4) in one signed-in browser, so the later
     * loads run on Chromium's code cache as an operator's browser does. Run alone:
     * {@code -Dtest=ConsoleBrowserBenchmark#pageLoadBreakdown -Dtandem.bench.breakdown=4}.
     */
    @Test
    @EnabledIfSystemProperty(named = "tandem.bench.breakdown", matches = "[0-9]+")
    void pageLoadBreakdown() throws Exception {
        String base = "http://127.0.0.1:" + port;
        try (ConsoleBrowser browser = ConsoleBrowser.open(base)) {
            browser.signIn("admin", ADMIN_PASSWORD);
            watchForCallRows(browser);
            List<String> summaries = new ArrayList<>();
            int loads = Integer.getInteger("tandem.bench.breakdown");
            for (int i = 1; i <= loads; i++) {
                browser.driver().get("about:blank");
                double[] times = openCalls(browser, base, summaries);
                Object breakdown = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(BREAKDOWN, times[2]);
                System.out.printf(Locale.ROOT, "[bench] page load %d of /calls: rows in the frame at %.0f ms, presented at %.0f ms; %s%n", i,
                        times[2], times[3], breakdown);
            }
        }
    }

    /** The browser's account of the page load up to {@code arguments[0]} (the frame with rows), as one line of text. */
    static final String BREAKDOWN = """
            const until = arguments[0], done = arguments[arguments.length - 1];
            const file = u => (u || '?').replace(/^https?:\\/\\/[^/]+/, '').replace(/\\?.*/, '').replace(/-[A-Za-z0-9_-]{8}\\.js$/, '.js')
              .replace(/chunk-([0-9a-f]{8})[0-9a-f]+/, 'chunk-$1');
            new PerformanceObserver(list => {
              const frames = list.getEntries().filter(f => f.startTime < until);
              const byScript = {};
              let scripts = 0, render = 0, styleLayout = 0;
              for (const f of frames) {
                const end = f.startTime + f.duration;
                render += f.renderStart ? end - f.renderStart : 0;
                styleLayout += f.styleAndLayoutStart ? end - f.styleAndLayoutStart : 0;
                for (const s of f.scripts) {
                  const key = file(s.sourceURL) + ' (' + s.invokerType + ')';
                  byScript[key] = (byScript[key] || 0) + s.duration;
                  scripts += s.duration;
                  styleLayout += s.forcedStyleAndLayoutDuration;
                }
              }
              const busy = frames.reduce((a, f) => a + f.duration, 0);
              const top = Object.entries(byScript).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, v]) => k + ' ' + Math.round(v)).join(', ');
              const requests = performance.getEntriesByType('resource').filter(r => r.startTime < until)
                .map(r => file(r.name) + (r.name.includes('v-r=') ? '[' + r.name.replace(/.*v-r=([a-z]+).*/, '$1') + ']' : '')
                  + ' ' + Math.round(r.startTime) + '-' + Math.round(r.responseEnd) + (r.transferSize === 0 ? 'c' : ''))
                .join(', ');
              const nav = performance.getEntriesByType('navigation')[0];
              done(`frames over 50 ms before the rows: ${frames.length}, ${Math.round(busy)} ms (scripts ${Math.round(scripts)}, `
                + `rendering ${Math.round(render)} of which style and layout ${Math.round(styleLayout)}); scripts by file: ${top}; `
                + `page ${Math.round(nav.responseStart)}-${Math.round(nav.responseEnd)}, DOMContentLoaded ${Math.round(nav.domContentLoadedEventEnd)}; `
                + `requests (start-end ms, c = from the cache): ${requests}`);
            }).observe({type: 'long-animation-frame', buffered: true});
            """;

    /**
     * The cold method's hand-over of a session to a fresh browser, repeated ({@code tandem.bench.handover}, default 15
     * times): how often the fresh browser lands elsewhere than on /calls, and what it had sent. Run alone:
     * {@code -Dtest=ConsoleBrowserBenchmark#coldHandOver -Dtandem.bench.handover=15}.
     */
    @Test
    @EnabledIfSystemProperty(named = "tandem.bench.handover", matches = "[0-9]+")
    void coldHandOver() throws Exception {
        String base = "http://127.0.0.1:" + port;
        List<String> misses = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        int rounds = Integer.getInteger("tandem.bench.handover");
        int attempts = 0;
        for (int i = 0; i < rounds; i++) {
            int before = misses.size();
            coldBrowserOnCalls(base, summaries, misses).browser().close();
            attempts += 1 + misses.size() - before;
        }
        System.out.printf(Locale.ROOT, "[bench] session handed over to a fresh browser: %d of %d page loads did not show /calls%s%n",
                misses.size(), attempts, misses.isEmpty() ? "" : ": " + misses);
    }

    /** A fresh browser that has just opened /calls (see {@link #coldBrowserOnCalls}) and the times of that page load. */
    record ColdOpen(ConsoleBrowser browser, double[] times) {
    }

    /**
     * Signs in in one browser, hands its session cookie to a fresh Chromium profile and opens /calls there. A page load
     * that does not show /calls (the sign-in page instead) is recorded with what the browser sent and retried.
     */
    private ColdOpen coldBrowserOnCalls(String base, List<String> summaries, List<String> misses) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Cookie session;
            try (ConsoleBrowser signIn = ConsoleBrowser.open(base)) {
                signIn.signIn("admin", ADMIN_PASSWORD);
                session = signIn.driver().manage().getCookieNamed("JSESSIONID");
            }
            ConsoleBrowser browser = ConsoleBrowser.open(base);
            try {
                watchForCallRows(browser);
                browser.driver().get(base + "/tandem.css");
                browser.driver().manage().deleteAllCookies();
                browser.driver().manage().addCookie(new Cookie(session.getName(), session.getValue(), "/"));
                double[] times = openCalls(browser, base, summaries);
                if (times != null) {
                    return new ColdOpen(browser, times);
                }
                Cookie sent = browser.driver().manage().getCookieNamed("JSESSIONID");
                misses.add("attempt %d: landed on %s; session handed over %s…, cookie in the browser now %s…, handed-over session signed in: %s"
                        .formatted(attempt, browser.driver().getCurrentUrl(), prefix(session.getValue()),
                                sent == null ? "none" : prefix(sent.getValue()), signedIn(base, session.getValue())));
            } catch (RuntimeException | Error e) {
                browser.close();
                throw e;
            }
            browser.close();
            assertThat(attempt).as("cold page loads that landed elsewhere than /calls: %s", misses).isLessThan(3);
        }
    }

    private static String prefix(String value) {
        return value.substring(0, Math.min(8, value.length()));
    }

    /** Whether the session is signed in on the server: the health endpoint shows its components only then. */
    private static boolean signedIn(String base, String sessionId) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).header("Cookie", "JSESSIONID=" + sessionId).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return health.contains("\"components\"");
        }
    }

    /**
     * On every page load of this browser, a watcher in the page notes (in {@code window.__tandemRows}) the time, on
     * the page's clock ({@code performance.now()}, 0 = navigation start), when an animation frame callback first finds
     * a call row in the DOM (that frame's style, layout and paint follow; not the frame's own time stamp, which is its
     * begin time and can lie before a long task that ran first), and (in {@code window.__tandemRowsShown}) when
     * Chromium reports the row's text presented on the screen (Element Timing).
     */
    private static void watchForCallRows(ConsoleBrowser browser) {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ROW_WATCHER
                + "window.__tandemWatchRows();"));
    }

    static final String CALL_ROW_XPATH = "//vaadin-grid-cell-content[starts-with(normalize-space(), '4930')]";

    static final String ROW_WATCHER = """
            window.__tandemWatchRows = () => {
              window.__tandemRows = null;
              window.__tandemRowsShown = null;
              const seen = () => document.evaluate("%s", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
              const frame = () => { if (seen()) { window.__tandemRows = performance.now(); } else { requestAnimationFrame(frame); } };
              requestAnimationFrame(frame);
              // when the rows were on the screen: Element Timing reports when a marked element's text was presented
              const mark = e => { if (e.nodeName === 'VAADIN-GRID-CELL-CONTENT' && !e.hasAttribute('elementtiming')) { e.setAttribute('elementtiming', 'tandem-cell'); } };
              new MutationObserver(records => { for (const r of records) { for (const n of r.addedNodes) {
                if (n.nodeType === 1) { mark(n); n.querySelectorAll('vaadin-grid-cell-content').forEach(mark); } } } })
                .observe(document, {childList: true, subtree: true});
              new PerformanceObserver(list => { for (const e of list.getEntries()) {
                if (window.__tandemRowsShown == null && e.identifier === 'tandem-cell' && e.element && e.element.textContent.trim().startsWith('4930')) {
                  window.__tandemRowsShown = e.renderTime || e.loadTime; } } }).observe({type: 'element', buffered: true});
            };
            """.formatted(CALL_ROW_XPATH);

    /**
     * Opens /calls as a new page load: the time until the grid element is there and until it shows call rows, in ms
     * (this process's clock, from {@code driver.get}), and the in-page time to the frame with rows; null when the page
     * shown is the sign-in page.
     */
    private static double[] openCalls(ConsoleBrowser browser, String base, List<String> summaries) {
        long start = System.nanoTime();
        browser.driver().get(base + "/calls");
        // the page itself (Vaadin's client loaded, the view's components sent), then the grid's first rows
        boolean calls = fast(browser).until(d -> !d.findElements(By.id("calls-grid")).isEmpty() ? Boolean.TRUE
                : !d.findElements(By.cssSelector("vaadin-login-form")).isEmpty() ? Boolean.FALSE : null);
        if (!calls) {
            return null;
        }
        double shell = (System.nanoTime() - start) / 1e6;
        fast(browser).until(d -> d.findElements(By.xpath(CALL_ROW_XPATH)).isEmpty() ? null : Boolean.TRUE);
        double rows = (System.nanoTime() - start) / 1e6;
        double inPage = ((Number) fast(browser).until(d -> browser.script("return window.__tandemRows;"))).doubleValue();
        summaries.add(summary(browser));
        return new double[] {shell, rows, inPage, shown(browser, "window.__tandemRowsShown")};
    }

    /**
     * In-app navigation: from the dashboard (opened through the side navigation and left to settle), a click on
     * "Active calls"; the time until call rows are shown, on this process's clock from the click and in the page from
     * the click event's time stamp to the frame with rows.
     */
    private static double[] navigateToCalls(ConsoleBrowser browser, List<String> summaries) throws InterruptedException {
        browser.driver().findElement(By.cssSelector("#tandem-navigation vaadin-side-nav-item[path='']")).click();
        browser.waitFor(d -> d.findElements(By.id("dashboard-summary")).isEmpty() ? null : Boolean.TRUE);
        browser.waitForVaadin();
        Thread.sleep(1_000);
        assertThat(browser.driver().findElements(By.xpath(CALL_ROW_XPATH))).isEmpty();
        browser.script(ROW_WATCHER + """
                window.__tandemClick = null;
                document.addEventListener('click', e => { window.__tandemClick = e.timeStamp; }, {capture: true, once: true});
                window.__tandemWatchRows();
                """);
        WebElement item = browser.driver().findElement(By.cssSelector("#tandem-navigation vaadin-side-nav-item[path='calls']"));
        long start = System.nanoTime();
        item.click();
        fast(browser).until(d -> d.findElements(By.xpath(CALL_ROW_XPATH)).isEmpty() ? null : Boolean.TRUE);
        double rows = (System.nanoTime() - start) / 1e6;
        double inPage = ((Number) fast(browser).until(d -> browser.script(
                "return window.__tandemRows == null || window.__tandemClick == null ? null : window.__tandemRows - window.__tandemClick;")))
                .doubleValue();
        summaries.add(summary(browser));
        return new double[] {0, rows, inPage, shown(browser, "window.__tandemRowsShown - window.__tandemClick")};
    }

    /** The in-page time when the rows' text was presented (Element Timing), or NaN if the browser reported none in 3 s. */
    private static double shown(ConsoleBrowser browser, String expression) {
        try {
            return ((Number) new WebDriverWait(browser.driver(), Duration.ofSeconds(3), Duration.ofMillis(50)).until(d -> browser.script(
                    "return window.__tandemRowsShown == null ? null : " + expression + ";"))).doubleValue();
        } catch (org.openqa.selenium.TimeoutException e) {
            return Double.NaN;
        }
    }

    private static String summary(ConsoleBrowser browser) {
        String summary = browser.driver().findElement(By.id("calls-summary")).getText();
        // the rows shown are the peers' (numbers 4930…); a push may already have replaced the list read here, and on
        // a loaded box with a peer or two timed out (700 ms), so the summary is recorded, not required to say 10,000
        assertThat(summary).contains("calls on");
        return summary;
    }

    /** A wait that looks every 10 ms (Selenium's default, 500 ms, would round every figure up by up to half a second). */
    private static WebDriverWait fast(ConsoleBrowser browser) {
        WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20), Duration.ofMillis(10));
        return wait;
    }

    private static void printTimes(String what, double[] times) {
        System.out.printf(Locale.ROOT, "[bench] %s: %s ms; median %.0f ms (load %s)%n", what, Arrays.stream(times)
                .mapToObj(t -> Double.isNaN(t) ? "none reported" : String.valueOf(Math.round(t)))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]")), median(times), load());
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

    /** The median of the figures taken (NaN: none reported). */
    private static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
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
