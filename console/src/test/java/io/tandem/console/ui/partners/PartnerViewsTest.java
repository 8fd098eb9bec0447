package io.tandem.console.ui.partners;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.api.ApiClient;
import io.tandem.console.calls.ClusterFixture;
import io.tandem.console.partners.DeckSubmission;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.routing.deck.RateDeck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The partner's page and the operator's review of submissions, browserless on the shared node of {@link ClusterFixture}. */
class PartnerViewsTest extends ClusterFixture {

    @LocalServerPort
    int port;

    ApiClient carrier;

    @BeforeEach
    void client() {
        carrier = new ApiClient("http://127.0.0.1:" + port, KEY);
    }

    private long account(String kind) {
        return carrier.post("/api/v1/accounts", "{\"name\": \"" + kind + " " + java.util.UUID.randomUUID().toString().substring(0, 8)
                + "\", \"kind\": \"" + kind + "\", \"currency\": \"EUR\"}").body().path("id").asLong();
    }

    private long deck(long account, String direction) {
        return carrier.post("/api/v1/rate-decks", "{\"accountId\": " + account + ", \"name\": \"" + direction + "\", \"direction\": \""
                + direction + "\", \"currency\": \"EUR\"}").body().path("id").asLong();
    }

    private ApiClient partnerKey(long account) {
        return carrier.withKey(carrier.post("/api/v1/accounts/" + account + "/partner-keys", "{\"name\": \"portal\"}").body()
                .path("key").asString());
    }

    @Test
    void aPartnerUserLandsOnItsOwnPageAndAnOperatorRejectsItsSubmissionInTheConsole() {
        long vendor = account("vendor");
        long deck = deck(vendor, "buy");
        String username = "vendor-" + vendor;
        ApiClient.Response user = carrier.post("/api/v1/accounts/" + vendor + "/partner-users",
                "{\"username\": \"" + username + "\", \"password\": \"partner-password-1\"}");
        assertThat(user.status()).as(user.raw()).isEqualTo(201);
        ApiClient partner = partnerKey(vendor);
        long submission = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions",
                "prefix,destination,rate\n4420,UK London,0.004000\n").body().path("id").asLong();
        partner.post("/api/v1/partner/submissions/" + submission + "/submit", "");

        signedInAs(username, ConsoleRole.PARTNER);
        PartnerView page = navigate("", PartnerView.class);
        assertThat(page.balance.getText()).isEqualTo("Balance 0.000000 EUR · available 0.000000 EUR");
        assertThat(page.decks.getListDataView().getItems()).extracting(RateDeck::id).containsExactly(deck);
        assertThat(page.submissions.getListDataView().getItems()).extracting(DeckSubmission::id).containsExactly(submission);
        assertThat(carrier.get("/api/v1/audit?limit=500").raw()).contains("\"actor\":\"" + username + "\"");

        signedInAs("olga", ConsoleRole.OPERATOR);
        SubmissionsView review = navigate(SubmissionsView.class);
        DeckSubmission waiting = review.pending.getListDataView().getItems().filter(s -> s.id() == submission).findFirst().orElseThrow();
        review.pending.asSingleSelect().setValue(waiting);
        test(review.reason).setValue("London must be 0.0035");
        test(review.reject).click();

        signedInAs(username, ConsoleRole.PARTNER);
        page = navigate(PartnerView.class);
        assertThat(page.submissions.getListDataView().getItems()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(DeckSubmission.Status.REJECTED))
                .satisfies(s -> assertThat(s.reason()).isEqualTo("London must be 0.0035"));
    }

    @Test
    void aCustomerPartnerUserSeesItsOwnInvoicesOnly() {
        long customer = account("customer");
        long other = account("customer");
        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1).toString();
        long own = carrier.post("/api/v1/invoices", "{\"account\": " + customer + ", \"month\": \"" + month + "\"}").body().path("id").asLong();
        carrier.post("/api/v1/invoices", "{\"account\": " + other + ", \"month\": \"" + month + "\"}");
        String username = "customer-" + customer;
        carrier.post("/api/v1/accounts/" + customer + "/partner-users", "{\"username\": \"" + username + "\", \"password\": \"partner-password-1\"}");

        signedInAs(username, ConsoleRole.PARTNER);
        PartnerView page = navigate(PartnerView.class);
        assertThat(page.invoices.getListDataView().getItems()).extracting(io.tandem.billing.invoicing.Invoice::id).containsExactly(own);
        assertThat(test(page.invoices).getCellText(0, 2)).isEqualTo(month);
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.tandem.console.users.ConsoleUsers consoleUsers;

    @Test
    void anAdminGivesAVendorAKeyAndAUserSetsItsTermsAndTakesThemBackInTheConsole() {
        long vendor = account("vendor");
        long other = account("vendor");
        signedInAs("admin", ConsoleRole.ADMIN);
        PartnerAccessView view = navigate("partner-access/" + vendor, PartnerAccessView.class);
        assertThat(view.account.getValue().id()).isEqualTo(vendor);

        test(view.newKey).click();
        test($(com.vaadin.flow.component.textfield.TextField.class).id("partner-key-name")).setValue("vendor portal");
        test($(com.vaadin.flow.component.button.Button.class).id("partner-key-create")).click();
        String secret = $(com.vaadin.flow.component.textfield.TextField.class).id("partner-key-secret").getValue();
        assertThat(secret).isEqualTo(view.lastSecret).startsWith("tdm_");
        ApiClient partner = carrier.withKey(secret);
        assertThat(partner.get("/api/v1/partner/account").body().path("id").asLong()).isEqualTo(vendor);
        assertThat(partner.get("/api/v1/partner/account").raw()).doesNotContain("\"id\":" + other + ",");
        assertThat(view.keys.getListDataView().getItems()).singleElement()
                .satisfies(k -> assertThat(k.name()).isEqualTo("vendor portal"))
                .satisfies(k -> assertThat(k.hash()).isNotEqualTo(secret));

        String username = "portal-" + vendor;
        test(view.newUser).click();
        test($(com.vaadin.flow.component.textfield.TextField.class).id("partner-user-name")).setValue(username);
        test($(com.vaadin.flow.component.textfield.PasswordField.class).id("partner-user-password")).setValue("partner-password-1");
        test($(com.vaadin.flow.component.button.Button.class).id("partner-user-create")).click();
        assertThat(view.users.getListDataView().getItems()).extracting(u -> u.username()).containsExactly(username);
        assertThat(carrier.get("/api/v1/accounts/" + other + "/partner-access").body().path("users").size()).isZero();

        view.submissionPolicy.setValue("auto");
        view.noticeDays.setValue(3);
        test(view.invoiceEmail).setValue("billing@vendor.example");
        test(view.saveTerms).click();
        var terms = carrier.get("/api/v1/accounts/" + vendor + "/partner-access").body().path("terms");
        assertThat(terms.path("submissionPolicy").asString()).isEqualTo("auto");
        assertThat(terms.path("invoiceEmail").asString()).isEqualTo("billing@vendor.example");
        assertThat(carrier.get("/api/v1/accounts/" + vendor).body().path("noticeDays").asInt()).isEqualTo(3);
        test(view.invoiceEmail).setValue("not an address");
        test(view.saveTerms).click();
        assertThat(view.invoiceEmail.isInvalid()).isTrue();

        var user = view.users.getListDataView().getItems().findFirst().orElseThrow();
        assertThat(consoleUsers.setRoles(user.id(), java.util.Set.of(ConsoleRole.ADMIN)))
                .as("the users view cannot turn a partner into a carrier user").isInstanceOf(io.tandem.console.service.Outcome.Invalid.class);
        view.disable(view.account.getValue(), user);
        assertThat(view.users.getListDataView().getItems()).singleElement().satisfies(u -> assertThat(u.enabled()).isFalse());
        view.revoke(view.account.getValue(), view.keys.getListDataView().getItems().findFirst().orElseThrow());
        assertThat(partner.get("/api/v1/partner/account").status()).as("a revoked key").isEqualTo(401);
        assertThat(carrier.get("/api/v1/audit?limit=500").raw()).contains("create partner key", "revoke partner key", "create partner user",
                "disable partner user");
    }
}
