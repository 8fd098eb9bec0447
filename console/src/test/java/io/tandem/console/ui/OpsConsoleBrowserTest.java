package io.tandem.console.ui;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operations views in a real Chromium: an admin creates an OPERATOR, who then signs in and is
 * not offered the users page; a number is tested against a trunk's translation rules; and the
 * screenshots for docs/console.md are taken.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpsConsoleBrowserTest {

    static final String ADMIN_PASSWORD = "admin-password-0123";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    DSLContext dsl;

    @Test
    void anAdminCreatesAnOperatorWhoIsNotOfferedUsersAndNumbersAreTestedOnATrunk() {
        someTraffic();
        String base = "http://127.0.0.1:" + port;
        try (ConsoleBrowser admin = ConsoleBrowser.open(base)) {
            admin.signIn("admin", ADMIN_PASSWORD);
            assertThat(admin.navigationPaths()).contains("trunks", "gateways", "routing", "reports", "users", "audit");

            admin.go("users");
            // the view may still be rendering when the Flow client reports idle: wait for its button
            admin.waitFor(d -> d.findElement(By.id("users-new"))).click();
            type(admin, "#new-user-name input", "nadia");
            type(admin, "#new-user-password input", "nadia-password-1");
            // OPERATOR only: tick it and untick the VIEWER the form starts with
            admin.script("const boxes = Array.from(document.querySelectorAll('#new-user-roles vaadin-checkbox'));"
                    + "boxes.find(c => c.textContent.includes('OPERATOR')).querySelector('input').click();"
                    + "boxes.find(c => c.textContent.includes('VIEWER')).querySelector('input').click();");
            admin.driver().findElement(By.id("new-user-create")).click();
            admin.waitFor(d -> d.getPageSource().contains("nadia") && d.findElements(By.id("new-user-create")).isEmpty() ? Boolean.TRUE : null);
            admin.waitForVaadin();
            admin.screenshot("users");

            admin.go("trunks");
            admin.waitFor(d -> d.findElement(By.id("trunks-new"))).click();
            WebElement rules = admin.waitFor(d -> d.findElement(By.cssSelector("#trunk-callee-rules textarea")));
            rules.sendKeys("^00 =>");
            rules.sendKeys(Keys.ENTER);
            rules.sendKeys("^0([1-9]) => 49$1");
            type(admin, "#trunk-test-number input", "0044201234");
            admin.waitFor(d -> "→ 44201234".equals(d.findElement(By.id("trunk-test-result")).getText()) ? Boolean.TRUE : null);
            WebElement number = admin.driver().findElement(By.cssSelector("#trunk-test-number input"));
            number.sendKeys(Keys.chord(Keys.CONTROL, "a"), "030123456");
            admin.waitFor(d -> "→ 4930123456".equals(d.findElement(By.id("trunk-test-result")).getText()) ? Boolean.TRUE : null);
            admin.screenshot("trunks");

            admin.go("gateways");
            admin.screenshot("gateways");
            admin.go("routing");
            clickFirstRow(admin, "routing-profiles");
            admin.screenshot("routing");
            admin.go("reports");
            admin.screenshot("reports");
            admin.go("audit");
            admin.screenshot("audit");
            admin.go("registrations");
            admin.screenshot("registrations");
        }
        try (ConsoleBrowser operator = ConsoleBrowser.open(base)) {
            operator.signIn("nadia", "nadia-password-1");
            List<String> paths = operator.navigationPaths();
            assertThat(paths).contains("trunks", "gateways", "routing").doesNotContain("users", "reports", "audit");
        }
    }

    private static void type(ConsoleBrowser browser, String css, String text) {
        WebElement input = browser.waitFor(d -> d.findElement(By.cssSelector(css)));
        input.sendKeys(text);
    }

    /** Clicks the first body row of a Vaadin grid (its cells are slotted into the light DOM). */
    private static void clickFirstRow(ConsoleBrowser browser, String gridId) {
        browser.waitFor(d -> !d.findElements(By.cssSelector("#" + gridId + " vaadin-grid-cell-content")).isEmpty() ? Boolean.TRUE : null);
        browser.script("const grid = document.getElementById(arguments[0]);"
                + "const row = grid.shadowRoot.querySelector('#items tr');"
                + "const cell = row.querySelector('td');"
                + "const content = cell.querySelector('slot').assignedNodes()[0];"
                + "content.click();", gridId);
        browser.waitForVaadin();
    }

    /** A few calls of the demo customer today, so the reports screenshot has lines. */
    private void someTraffic() {
        List<Long> customers = dsl.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.KIND.eq("customer")).fetch(ACCOUNT.ID);
        java.util.Map<Long, String> currencies = dsl.select(ACCOUNT.ID, ACCOUNT.CURRENCY).from(ACCOUNT).fetchMap(ACCOUNT.ID, ACCOUNT.CURRENCY);
        List<Long> vendors = dsl.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.KIND.eq("vendor")).fetch(ACCOUNT.ID);
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS);
        String[] prefixes = {"4930", "4915", "4420"};
        for (int i = 0; i < 12; i++) {
            boolean answered = i % 4 != 3;
            int billsec = answered ? 30 + i * 17 : 0;
            BigDecimal sell = new BigDecimal("0.012000").multiply(BigDecimal.valueOf(billsec)).divide(BigDecimal.valueOf(60), 6, java.math.RoundingMode.HALF_UP);
            BigDecimal buy = new BigDecimal("0.008500").multiply(BigDecimal.valueOf(billsec)).divide(BigDecimal.valueOf(60), 6, java.math.RoundingMode.HALF_UP);
            String call = UUID.randomUUID().toString();
            Instant at = start.plusSeconds(60L * i);
            dsl.insertInto(CDR)
                    .set(CDR.CALL_UUID, call).set(CDR.ATTEMPT, (short) 1).set(CDR.NODE_ID, "demo").set(CDR.SIP_CALL_ID, call)
                    .set(CDR.CUSTOMER_ACCOUNT_ID, customers.get(i % customers.size())).set(CDR.VENDOR_ACCOUNT_ID, vendors.get(i % vendors.size()))
                    .set(CDR.STARTED_AT, at).set(CDR.ANSWERED_AT, answered ? at.plusSeconds(3) : null)
                    .set(CDR.ENDED_AT, at.plusSeconds(3 + billsec)).set(CDR.BILLSEC, billsec).set(CDR.SIP_CODE, (short) (answered ? 200 : 486))
                    .set(CDR.HANGUP_SIDE, "caller").set(CDR.CURRENCY, currencies.get(customers.get(i % customers.size()))).set(CDR.SELL_PREFIX, prefixes[i % prefixes.length])
                    .set(CDR.SELL_COST, sell).set(CDR.BUY_COST, buy).set(CDR.MARGIN, sell.subtract(buy))
                    .execute();
        }
    }
}
