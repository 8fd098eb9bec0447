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
}
