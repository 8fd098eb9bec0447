package io.tandem.console.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.api.ApiClient;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.accounts.AccountService.MoneyRequest;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.console.service.Caller;
import io.tandem.softswitch.capture.CallCapture;
import io.tandem.softswitch.capture.CaptureCodec;
import io.tandem.softswitch.capture.CaptureLeg;
import io.tandem.softswitch.capture.CaptureStore;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Accounts, rate decks, the route simulator, CDRs, invoices, deck submissions, a call's ladder and a partner's own
 * page in a real Chromium, as an admin, a viewer and a partner, on a node with the demo data. Takes the screenshots
 * docs/console.md shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MoneyConsoleBrowserTest {

    static final String ADMIN_PASSWORD = "admin-password-0123";
    static final String VIEWER_PASSWORD = "viewer-password-0123";
    static final String API_KEY = "money-browser-test-key-0123";
    static final String PARTNER_PASSWORD = "partner-password-0123";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
        registry.add("tandem.api.bootstrap-key", () -> API_KEY);
        // no development-mode toolbar or banners over the screenshots
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    ConsoleUserRepository users;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    AccountService accounts;

    @Autowired
    CdrStore cdrs;

    @Autowired
    CaptureStore captures;

    @BeforeEach
    void viewerAndSomeCalls() {
        if (users.findByUsername("vera").isEmpty()) {
            users.create("vera", passwords.encode(VIEWER_PASSWORD), Set.of("viewer"), Instant.now());
            Account customer = accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
            Account vendor = accounts.search(new AccountSearch("Vendor A", null), 0, 1).getFirst();
            List<CdrRecord> calls = new ArrayList<>();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < 40; i++) {
                calls.add(call(customer.id(), vendor.id(), now.minusSeconds(600L * i), i % 4 != 3));
            }
            cdrs.insert(calls);
        }
    }

    private static CdrRecord call(long customer, long vendor, Instant started, boolean answered) {
        RateSnapshot sell = RateSnapshot.of("44", "0.020000", "0", 60, 60);
        RateSnapshot buy = RateSnapshot.of("44", "0.012000", "0", 1, 1);
        Instant answeredAt = answered ? started.plusMillis(2100) : null;
        Instant ended = answered ? answeredAt.plusSeconds(95) : started.plusMillis(900);
        return new CdrRecord(UUID.randomUUID(), 1, "node-a", UUID.randomUUID() + "@demo", customer, 1L, vendor, 1L, "+12025550100",
                "442071234567", "12025550100", "442071234567", started, answeredAt, ended, ended.toEpochMilli() - started.toEpochMilli(),
                answered ? 95 : 0, 2100, answered ? 200 : 486, answered ? "OK" : "Busy Here", answered ? 16 : 17,
                answered ? HangupSide.CALLER : HangupSide.CALLEE, "USD", sell, buy, null, null, null).priced();
    }

    private WebElement cell(ConsoleBrowser browser, String text) {
        return browser.waitFor(d -> d.findElements(By.xpath("//vaadin-grid-cell-content[normalize-space()='" + text + "']")).stream()
                .findFirst().orElse(null));
    }

    private static WebElement input(ConsoleBrowser browser, String componentId) {
        return browser.waitFor(d -> d.findElements(By.cssSelector("#" + componentId + " input")).stream().findFirst().orElse(null));
    }

    @Test
    void anOperatorUploadsADeckSeesThePreviewCommitsFindsTheRateAndSimulatesARoute() throws Exception {
        Path deck = dataDir.resolve("uk-update.csv");
        Files.writeString(deck, "prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from\n"
                + "4420,United Kingdom London,0.018000,0,60,60,\n"
                + "4479,United Kingdom Mobile,0.030000,0,60,60,\n"
                + "1,USA/Canada,0.009000,0,60,60,\n"
                + "99x,Broken,abc,0,60,60,\n", StandardCharsets.UTF_8);

        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port)) {
            browser.signIn("admin", ADMIN_PASSWORD);
            assertThat(browser.navigationPaths()).contains("accounts", "decks", "simulator", "cdrs");

            browser.go("accounts");
            cell(browser, "Demo Customer").click();
            browser.waitFor(d -> d.findElement(By.id("account-balance")).getText().endsWith("USD") ? Boolean.TRUE : null);
            browser.waitForVaadin();
            browser.screenshot("accounts");

            browser.go("decks");
            cell(browser, "Demo Customer sell").click();
            browser.waitForVaadin();
            browser.waitFor(d -> d.findElement(By.xpath("//vaadin-tab[normalize-space()='Upload']"))).click();
            browser.waitForVaadin();
            browser.driver().findElement(By.id("deck-upload-keep-valid")).click();
            browser.waitForVaadin();
            WebElement file = (WebElement) browser.script("const u = document.getElementById('deck-upload');"
                    + " return u.querySelector('input[type=file]') || (u.shadowRoot && u.shadowRoot.querySelector('input[type=file]'));");
            file.sendKeys(deck.toAbsolutePath().toString());
            browser.waitFor(d -> d.findElements(By.id("deck-preview")).isEmpty() ? null : Boolean.TRUE);
            browser.waitForVaadin();
            assertThat(count(browser, "new")).isEqualTo(2);
            assertThat(count(browser, "decreased")).isEqualTo(1);
            assertThat(count(browser, "errors")).as("the bad prefix and the bad rate of row 5").isEqualTo(2);
            assertThat(browser.driver().findElement(By.id("deck-preview-errors")).getText()).contains("5");
            browser.screenshot("deck-preview");

            WebElement commit = browser.driver().findElement(By.id("deck-commit"));
            browser.script("arguments[0].scrollIntoView({block: 'center'});", commit);
            commit.click();
            browser.waitFor(d -> d.findElements(By.id("deck-preview")).isEmpty() ? Boolean.TRUE : null);
            browser.waitForVaadin();
            browser.driver().findElement(By.xpath("//vaadin-tab[normalize-space()='Rates']")).click();
            browser.waitForVaadin();
            input(browser, "rates-prefix").sendKeys("4479");
            assertThat(cell(browser, "United Kingdom Mobile").isDisplayed()).isTrue();
            assertThat(cell(browser, "0.03 USD")).isNotNull();
            input(browser, "rates-prefix").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            cell(browser, "United Kingdom London");
            browser.waitForVaadin();
            browser.screenshot("decks");

            browser.go("simulator");
            WebElement trunk = input(browser, "simulator-trunk");
            trunk.click();
            trunk.sendKeys("demo");
            browser.waitForVaadin();
            trunk.sendKeys(Keys.ARROW_DOWN);
            trunk.sendKeys(Keys.ENTER);
            browser.waitForVaadin();
            input(browser, "simulator-number").sendKeys("442071234567");
            browser.driver().findElement(By.id("simulator-run")).click();
            browser.waitFor(d -> d.findElement(By.id("simulator-summary")).getText().startsWith("Routes") ? Boolean.TRUE : null);
            // the committed deck sells London (4420) at 0.018 now
            assertThat(browser.driver().findElement(By.id("simulator-summary")).getText()).contains("0.018 USD", "4420");
            cell(browser, "Vendor A");
            browser.waitForVaadin();
            browser.screenshot("simulator");

            browser.go("cdrs");
            cell(browser, "486 Busy Here");
            browser.waitForVaadin();
            browser.screenshot("cdrs");
        }
    }

    @Test
    void aViewerSeesBalancesButCannotTopUpAndTheServerRefusesHer() {
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port)) {
            browser.signIn("vera", VIEWER_PASSWORD);
            browser.go("accounts");
            cell(browser, "Demo Customer").click();
            browser.waitFor(d -> d.findElement(By.id("account-balance")).getText().endsWith("USD") ? Boolean.TRUE : null);

            assertThat(browser.driver().findElements(By.id("account-top-up"))).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());
            assertThat(browser.driver().findElements(By.id("accounts-create"))).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());
        }
        Account customer = accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("vera", null,
                List.of(new SimpleGrantedAuthority("ROLE_" + ConsoleRole.VIEWER))));
        try {
            assertThatThrownBy(() -> accounts.topUp(Caller.current("127.0.0.1"), customer.id(), new MoneyRequest("50.00", "viewer"), "k-1"))
                    .isInstanceOf(AccessDeniedException.class);
        } finally {
            SecurityContextHolder.clearContext();
        }
        assertThat(accounts.find(customer.id()).orElseThrow().balance()).isEqualByComparingTo(customer.balance());
    }

    @Test
    void invoicesSubmissionsTheLadderAndThePartnersOwnPageInARealBrowser() {
        String base = "http://127.0.0.1:" + port;
        ApiClient carrier = new ApiClient(base, API_KEY);
        String vendorName = "Vendor Portal " + UUID.randomUUID().toString().substring(0, 6);
        long vendor = carrier.post("/api/v1/accounts", "{\"name\": \"" + vendorName + "\", \"kind\": \"vendor\", \"currency\": \"USD\"}")
                .body().path("id").asLong();
        long deck = carrier.post("/api/v1/rate-decks", "{\"accountId\": " + vendor + ", \"name\": \"portal buy\", \"direction\": \"buy\","
                + " \"currency\": \"USD\"}").body().path("id").asLong();
        String partnerUser = "portal-" + vendor;
        assertThat(carrier.post("/api/v1/accounts/" + vendor + "/partner-users",
                "{\"username\": \"" + partnerUser + "\", \"password\": \"" + PARTNER_PASSWORD + "\"}").status()).isEqualTo(201);
        ApiClient partner = carrier.withKey(carrier.post("/api/v1/accounts/" + vendor + "/partner-keys", "{\"name\": \"portal\"}").body()
                .path("key").asString());
        long submission = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions",
                "prefix,destination,rate\n4420,UK London,0.004000\n4479,UK Mobile,0.011000\n").body().path("id").asLong();
        assertThat(partner.post("/api/v1/partner/submissions/" + submission + "/submit", "").status()).isLessThan(300);
        UUID captured = capturedCall();

        try (ConsoleBrowser browser = ConsoleBrowser.open(base)) {
            browser.go("login");
            browser.waitFor(d -> d.findElement(By.cssSelector("input[name=username]")));
            browser.screenshot("login");
            browser.signIn("admin", ADMIN_PASSWORD);

            browser.go("invoices");
            WebElement month = input(browser, "invoices-month");
            month.sendKeys(Keys.chord(Keys.CONTROL, "a"), java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1).toString());
            browser.driver().findElement(By.id("invoices-issue")).click();
            browser.waitFor(d -> d.findElements(By.xpath("//vaadin-grid-cell-content[starts-with(normalize-space(), 'INV-')]")).isEmpty()
                    ? null : Boolean.TRUE);
            browser.waitForVaadin();
            browser.screenshot("invoices");

            browser.go("deck-submissions");
            cell(browser, vendorName);
            browser.waitForVaadin();
            browser.screenshot("submissions");

            browser.go("calls/" + captured + "/ladder");
            browser.waitFor(d -> d.findElement(By.id("ladder-summary")).getText().contains("4 messages") ? Boolean.TRUE : null);
            assertThat(browser.driver().findElement(By.id("ladder-diagram")).getText()).contains("INVITE", "486 Busy Here");
            browser.screenshot("ladder");

            browser.go("password");
            browser.waitForVaadin();
            browser.screenshot("password");
        }
        try (ConsoleBrowser browser = ConsoleBrowser.open(base)) {
            browser.signIn(partnerUser, PARTNER_PASSWORD);
            // a partner lands on its own page and is offered nothing of the carrier's
            browser.waitFor(d -> d.findElement(By.id("partner-balance")).getText().startsWith("Balance") ? Boolean.TRUE : null);
            assertThat(browser.navigationPaths()).doesNotContain("accounts", "cdrs", "decks", "calls");
            cell(browser, "portal buy");
            browser.waitForVaadin();
            browser.screenshot("partner");
        }
    }

    /** A call the switch captured (a failed INVITE: customer, switch, one vendor attempt) and its CDR. */
    private UUID capturedCall() {
        UUID id = UUID.randomUUID();
        InetSocketAddress self = new InetSocketAddress("192.0.2.1", 5060);
        InetSocketAddress customer = new InetSocketAddress("198.51.100.10", 5060);
        InetSocketAddress vendor = new InetSocketAddress("203.0.113.5", 5060);
        long t = Instant.now().toEpochMilli() * 1000;
        captures.put(id, CaptureCodec.encode(new CallCapture(id, List.of(new CaptureLeg("in-1@customer", 0, 0), new CaptureLeg("out-1@switch", 1, 1)),
                List.of(wire(t, WireMessage.Direction.IN, self, customer, "in-1@customer", "INVITE sip:442071234567@192.0.2.1 SIP/2.0", "1 INVITE"),
                        wire(t + 1_200, WireMessage.Direction.OUT, self, vendor, "out-1@switch", "INVITE sip:442071234567@203.0.113.5 SIP/2.0", "1 INVITE"),
                        wire(t + 180_000, WireMessage.Direction.IN, self, vendor, "out-1@switch", "SIP/2.0 486 Busy Here", "1 INVITE"),
                        wire(t + 181_000, WireMessage.Direction.OUT, self, customer, "in-1@customer", "SIP/2.0 486 Busy Here", "1 INVITE")),
                0, false)));
        Account customerAccount = accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
        Account vendorAccount = accounts.search(new AccountSearch("Vendor A", null), 0, 1).getFirst();
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20);
        cdrs.insert(List.of(new CdrRecord(id, 1, "node-a", "in-1@customer", customerAccount.id(), 1L, vendorAccount.id(), 1L, "+12025550100",
                "442071234567", "12025550100", "442071234567", started, null, started.plusMillis(181), 181, 0, 181, 486, "Busy Here", 17,
                HangupSide.CALLEE, "USD", RateSnapshot.of("44", "0.020000", "0", 60, 60), RateSnapshot.of("44", "0.012000", "0", 1, 1), null, null,
                null).priced()));
        return id;
    }

    private static WireMessage wire(long micros, WireMessage.Direction direction, InetSocketAddress self, InetSocketAddress remote, String callId,
                                    String startLine, String cseq) {
        String text = startLine + "\r\nVia: SIP/2.0/UDP " + (direction == WireMessage.Direction.IN ? remote : self).getHostString()
                + ";branch=z9hG4bK" + micros + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n";
        return new WireMessage(micros, direction, SipTransport.UDP, self, remote, callId, text.getBytes(StandardCharsets.UTF_8));
    }

    private static int count(ConsoleBrowser browser, String kind) {
        return Integer.parseInt(browser.driver().findElement(By.id("preview-count-" + kind)).getAttribute("data-count"));
    }
}
