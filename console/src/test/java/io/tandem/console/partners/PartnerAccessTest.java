package io.tandem.console.partners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.console.api.ApiClient;
import io.tandem.console.calls.ClusterFixture;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Partner access over HTTP on the shared node of {@link ClusterFixture} (embedded PostgreSQL): partner keys scoped to
 * their account, vendor submissions applied at once or reviewed, sell-deck increases inside the notice period
 * refused or pushed, and the rate-change notice kept and mailed to a real SMTP server.
 */
class PartnerAccessTest extends ClusterFixture {

    @LocalServerPort
    int port;

    ApiClient carrier;

    @BeforeEach
    void client() {
        carrier = new ApiClient("http://127.0.0.1:" + port, KEY);
    }

    private String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private long account(String kind) {
        ApiClient.Response created = carrier.post("/api/v1/accounts", "{\"name\": \"" + unique(kind) + "\", \"kind\": \"" + kind
                + "\", \"currency\": \"EUR\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().path("id").asLong();
    }

    private long deck(long account, String direction) {
        ApiClient.Response created = carrier.post("/api/v1/rate-decks", "{\"accountId\": " + account + ", \"name\": \"" + unique(direction)
                + "\", \"direction\": \"" + direction + "\", \"currency\": \"EUR\", \"noticeDays\": 7}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().path("id").asLong();
    }

    private JsonNode commitUpload(long deck, String query, String csv, String commitQuery, int expected) {
        ApiClient.Response preview = carrier.postCsv("/api/v1/rate-decks/" + deck + "/imports?" + query, csv);
        assertThat(preview.status()).as(preview.raw()).isEqualTo(201);
        ApiClient.Response committed = carrier.post("/api/v1/rate-decks/" + deck + "/imports/" + preview.body().path("id").asLong()
                + "/commit" + commitQuery, "");
        assertThat(committed.status()).as(committed.raw()).isEqualTo(expected);
        return committed.body();
    }

    private ApiClient partnerKey(long account) {
        ApiClient.Response issued = carrier.post("/api/v1/accounts/" + account + "/partner-keys", "{\"name\": \"" + unique("portal") + "\"}");
        assertThat(issued.status()).as(issued.raw()).isEqualTo(201);
        assertThat(issued.body().path("accountId").asLong()).isEqualTo(account);
        return carrier.withKey(issued.body().path("key").asString());
    }

    @Test
    void aVendorPartnerKeySeesAndChangesOnlyItsOwnAccountAndEverythingElseIsNotFound() {
        long vendor = account("vendor");
        long otherVendor = account("vendor");
        long otherCustomer = account("customer");
        long ownDeck = deck(vendor, "buy");
        long otherDeck = deck(otherVendor, "buy");
        long otherSellDeck = deck(otherCustomer, "sell");
        commitUpload(otherDeck, "mode=full", "prefix,destination,rate\n4420,UK London,0.004000\n", "", 200);
        JsonNode notified = commitUpload(otherSellDeck, "mode=full", "prefix,destination,rate\n4420,UK London,0.010000\n", "", 200);
        long otherNotice = notified.path("notices").get(0).asLong();
        ApiClient otherPartner = partnerKey(otherVendor);
        long otherSubmission = otherPartner.postCsv("/api/v1/partner/rate-decks/" + otherDeck + "/submissions",
                "prefix,destination,rate\n4420,UK London,0.003000\n").body().path("id").asLong();

        ApiClient partner = partnerKey(vendor);

        assertThat(partner.get("/api/v1/partner/account").body().path("id").asLong()).isEqualTo(vendor);
        assertThat(partner.get("/api/v1/partner/rate-decks").body().findValuesAsString("id"))
                .containsExactly(String.valueOf(ownDeck));
        assertThat(partner.get("/api/v1/partner/notices").body().size()).isZero();
        assertThat(partner.get("/api/v1/partner/submissions").body().size()).isZero();
        Map<String, ApiClient.Response> othersThings = new java.util.LinkedHashMap<>();
        othersThings.put("another vendor's deck", partner.get("/api/v1/partner/rate-decks/" + otherDeck + "/rates.csv"));
        othersThings.put("another vendor's pending changes", partner.get("/api/v1/partner/rate-decks/" + otherDeck + "/pending.csv"));
        othersThings.put("a customer's sell deck", partner.get("/api/v1/partner/rate-decks/" + otherSellDeck + "/rates.csv"));
        othersThings.put("an upload to another vendor's deck", partner.postCsv("/api/v1/partner/rate-decks/" + otherDeck + "/submissions",
                "prefix,destination,rate\n4420,UK London,0.000100\n"));
        othersThings.put("another vendor's submission", partner.get("/api/v1/partner/submissions/" + otherSubmission));
        othersThings.put("submitting another vendor's upload", partner.post("/api/v1/partner/submissions/" + otherSubmission + "/submit", ""));
        othersThings.put("a customer's notice", partner.get("/api/v1/partner/notices/" + otherNotice));
        othersThings.put("a customer's notice CSV", partner.get("/api/v1/partner/notices/" + otherNotice + "/lines.csv"));
        othersThings.put("a deck that does not exist", partner.get("/api/v1/partner/rate-decks/987654321/rates.csv"));
        othersThings.forEach((what, answer) -> assertThat(answer.status()).as(what + ": " + answer.raw()).isEqualTo(404));
        assertThat(othersThings.get("another vendor's deck").raw()).as("the same answer as for an id nobody uses")
                .isEqualTo(othersThings.get("a deck that does not exist").raw().replace("987654321", String.valueOf(otherDeck)));
        assertThat(otherPartner.get("/api/v1/partner/submissions/" + otherSubmission).body().path("status").asString())
                .as("the other vendor's upload is untouched").isEqualTo("uploaded");
        assertThat(carrier.get("/api/v1/rate-decks/" + otherDeck + "/rates").raw()).contains("0.004000").doesNotContain("0.000100");

        for (String carrierPath : List.of("/api/v1/accounts", "/api/v1/accounts/" + otherVendor, "/api/v1/rate-decks/" + otherDeck + "/rates",
                "/api/v1/cdrs.csv?from=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z", "/api/v1/rate-notices", "/api/v1/audit")) {
            assertThat(partner.get(carrierPath).status()).as(carrierPath).isEqualTo(403);
        }
        assertThat(partner.post("/api/v1/accounts/" + vendor + "/partner-keys", "{\"name\": \"mine\"}").status()).isEqualTo(403);
        assertThat(carrier.get("/api/v1/partner/account").status()).as("the carrier's own key is no partner").isEqualTo(403);

        String audit = carrier.get("/api/v1/audit?limit=500").raw();
        assertThat(audit).contains("partner read account", "partner read decks", "create partner key");

        long keyId = carrier.get("/api/v1/accounts/" + vendor + "/partner-access").body().path("keys").get(0).path("id").asLong();
        assertThat(carrier.delete("/api/v1/accounts/" + otherVendor + "/partner-keys/" + keyId).status())
                .as("revoking through another account").isEqualTo(404);
        assertThat(carrier.delete("/api/v1/accounts/" + vendor + "/partner-keys/" + keyId).status()).isEqualTo(204);
        assertThat(partner.get("/api/v1/partner/account").status()).as("a revoked key").isEqualTo(401);
    }

    @Test
    void aVendorsSubmissionIsAppliedAtOnceUnderAutoAndWaitsForReviewOtherwiseWithEarlyIncreasesNeedingAnOverride() {
        long vendor = account("vendor");
        long deck = deck(vendor, "buy");
        ApiClient partner = partnerKey(vendor);
        assertThat(carrier.put("/api/v1/accounts/" + vendor + "/partner-terms", "{\"submissionPolicy\": \"auto\"}").body()
                .path("submissionPolicy").asString()).isEqualTo("auto");

        ApiClient.Response bad = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions",
                "prefix,destination,rate\n4420,UK,0.004\n44X,Bad,0.001\n");
        assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
        assertThat(bad.body().path("fields").path("row 3").asString()).isNotEmpty();

        JsonNode first = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions",
                "prefix,destination,rate\n4420,UK London,0.004000\n4930,Berlin,0.006000\n").body();
        assertThat(first.path("status").asString()).isEqualTo("uploaded");
        assertThat(first.path("preview").path("counts").path("new").asInt()).isEqualTo(2);
        JsonNode applied = partner.post("/api/v1/partner/submissions/" + first.path("id").asLong() + "/submit", "").body();
        assertThat(applied.path("status").asString()).isEqualTo("applied");
        assertThat(carrier.get("/api/v1/rate-decks/" + deck + "/rates").raw()).contains("0.004000", "0.006000");

        JsonNode early = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions",
                "prefix,destination,rate\n4420,UK London,0.005000\n").body();
        assertThat(early.path("earlyIncreases").asInt()).isEqualTo(1);
        JsonNode flagged = partner.post("/api/v1/partner/submissions/" + early.path("id").asLong() + "/submit", "").body();
        assertThat(flagged.path("status").asString()).as("an early increase is not applied automatically").isEqualTo("pending");
        assertThat(flagged.path("reason").asString()).contains("sooner than the deck's notice period");
        ApiClient.Response refused = carrier.post("/api/v1/deck-submissions/" + early.path("id").asLong() + "/approve", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error").asString()).contains("overrideEarlyIncreases");
        assertThat(carrier.get("/api/v1/rate-decks/" + deck + "/rates").raw()).doesNotContain("0.005000");
        JsonNode overridden = carrier.post("/api/v1/deck-submissions/" + early.path("id").asLong() + "/approve",
                "{\"overrideEarlyIncreases\": true, \"reason\": \"agreed by phone\"}").body();
        assertThat(overridden.path("status").asString()).isEqualTo("applied");
        assertThat(overridden.path("overridden").asBoolean()).isTrue();
        assertThat(carrier.get("/api/v1/rate-decks/" + deck + "/rates").raw()).contains("0.005000");
        assertThat(carrier.get("/api/v1/audit?limit=500").raw()).contains("approve submission with early-increase override");

        carrier.put("/api/v1/accounts/" + vendor + "/partner-terms", "{\"submissionPolicy\": \"review\"}");
        JsonNode cheaper = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions",
                "prefix,destination,rate\n4930,Berlin,0.001000\n").body();
        JsonNode waiting = partner.post("/api/v1/partner/submissions/" + cheaper.path("id").asLong() + "/submit", "").body();
        assertThat(waiting.path("status").asString()).isEqualTo("pending");
        assertThat(carrier.get("/api/v1/deck-submissions?status=pending&account=" + vendor).body().findValuesAsString("id"))
                .containsExactly(String.valueOf(cheaper.path("id").asLong()));
        assertThat(carrier.post("/api/v1/deck-submissions/" + cheaper.path("id").asLong() + "/reject", "{}").status())
                .as("a rejection says why").isEqualTo(400);
        carrier.post("/api/v1/deck-submissions/" + cheaper.path("id").asLong() + "/reject", "{\"reason\": \"Berlin below cost: resend\"}");

        JsonNode seen = partner.get("/api/v1/partner/submissions/" + cheaper.path("id").asLong()).body();
        assertThat(seen.path("status").asString()).isEqualTo("rejected");
        assertThat(seen.path("reason").asString()).isEqualTo("Berlin below cost: resend");
        assertThat(carrier.get("/api/v1/rate-decks/" + deck + "/rates").raw()).contains("0.006000").doesNotContain("0.001000");
    }

    @Test
    void aSellDeckIncreaseInsideTheNoticePeriodIsRefusedOrPushedAndTheCustomerGetsTheNoticeByMail() throws Exception {
        assumeTrue(SMTP != null, "python3-aiosmtpd is not installed");
        long customer = account("customer");
        long deck = deck(customer, "sell");
        String address = "rates-" + customer + "@customer.example";
        assertThat(carrier.put("/api/v1/accounts/" + customer + "/partner-terms", "{\"noticeEmail\": \"not an address\"}").status())
                .isEqualTo(400);
        carrier.put("/api/v1/accounts/" + customer + "/partner-terms", "{\"noticeEmail\": \"" + address + "\"}");
        commitUpload(deck, "mode=full", "prefix,destination,rate\n4420,UK London,0.010000\n4930,Berlin,0.020000\n33,France,0.030000\n", "", 200);

        String changes = "prefix,destination,rate\n4420,UK London,0.015000\n4930,Berlin,0.015000\n34,Spain,0.050000\n";
        ApiClient.Response preview = carrier.postCsv("/api/v1/rate-decks/" + deck + "/imports?mode=full", changes);
        long importId = preview.body().path("id").asLong();
        ApiClient.Response refused = carrier.post("/api/v1/rate-decks/" + deck + "/imports/" + importId + "/commit", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error").asString()).contains("notice period of 7 days; refused", "earlyIncreases=push");
        assertThat(refused.body().path("fields").has("4420")).isTrue();

        Instant beforePush = Instant.now();
        JsonNode pushed = carrier.post("/api/v1/rate-decks/" + deck + "/imports/" + importId + "/commit?earlyIncreases=push", "").body();
        assertThat(pushed.path("status").asString()).isEqualTo("committed");
        assertThat(pushed.path("pushedIncreases").asInt()).isEqualTo(1);
        Instant pushedTo = Instant.parse(pushed.path("pushedTo").asString());
        assertThat(pushedTo).isBetween(beforePush.plus(Duration.ofDays(7)).minusSeconds(1), Instant.now().plus(Duration.ofDays(7)));
        assertThat(pushed.path("summary").asString()).contains("1 increase(s) pushed to " + pushedTo);
        long noticeId = pushed.path("notices").get(0).asLong();

        JsonNode notice = carrier.get("/api/v1/rate-notices?account=" + customer).body().get(0);
        assertThat(notice.path("id").asLong()).isEqualTo(noticeId);
        assertThat(List.of(notice.path("increased").asInt(), notice.path("decreased").asInt(), notice.path("added").asInt(),
                notice.path("closed").asInt())).containsExactly(1, 1, 1, 1);
        String csv = carrier.get("/api/v1/rate-notices/" + noticeId + "/lines.csv").raw();
        assertThat(csv).startsWith("change,prefix,destination,old_rate,new_rate,connect_fee,increments,effective_from\n")
                .contains("closed,33,France,0.030000,", "increase,4420,UK London,0.010000,0.015000,0.000000,60/60," + pushedTo,
                        "decrease,4930,Berlin,0.020000,0.015000", "new,34,Spain,,0.050000");

        MimeMessage mail = SMTP.awaitMessage(m -> recipients(m).contains(address) && subject(m).startsWith("Rate change notice " + noticeId + ":"),
                Duration.ofSeconds(20));
        assertThat(mail.getSubject()).isEqualTo("Rate change notice " + noticeId + ": " + carrier.get("/api/v1/rate-decks/" + deck).body()
                .path("name").asString() + ", effective from " + notice.path("firstEffective").asString());
        assertThat(mail.getFrom()[0].toString()).isEqualTo("rates@carrier.example");
        Part attachment = attachment(mail);
        assertThat(attachment.getFileName()).isEqualTo("rate-notice-" + noticeId + ".csv");
        assertThat(new String(attachment.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(csv);
        assertThat(awaitMailed(noticeId)).isNotNull();

        ApiClient partner = partnerKey(customer);
        assertThat(partner.get("/api/v1/partner/notices").body().findValuesAsString("id")).containsExactly(
                carrier.get("/api/v1/rate-notices?account=" + customer).body().findValuesAsString("id").toArray(String[]::new));
        assertThat(partner.get("/api/v1/partner/notices/" + noticeId).body().path("lines").size()).isEqualTo(4);
        String current = partner.get("/api/v1/partner/rate-decks/" + deck + "/rates.csv").raw();
        assertThat(current).startsWith("prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from,effective_until\n")
                .contains("4420,UK London,0.010000,", "4930,Berlin,0.015000,", "34,Spain,0.050000,").doesNotContain("0.030000");
        assertThat(current.lines().skip(1).map(line -> line.split(",")[0]).toList()).as("A-Z by code").isSorted();
        String pending = partner.get("/api/v1/partner/rate-decks/" + deck + "/pending.csv").raw();
        assertThat(pending).contains("4420,UK London,0.015000,0.000000,60,60," + pushedTo + ",")
                .contains("4420,UK London,0.010000,0.000000,60,60,").doesNotContain("Spain");
    }

    private long accountWithNoticeDays(String kind, int noticeDays) {
        ApiClient.Response created = carrier.post("/api/v1/accounts", "{\"name\": \"" + unique(kind) + "\", \"kind\": \"" + kind
                + "\", \"currency\": \"EUR\", \"noticeDays\": " + noticeDays + "}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.body().path("noticeDays").asInt()).isEqualTo(noticeDays);
        return created.body().path("id").asLong();
    }

    @Test
    void anAccountsOwnNoticePeriodWinsOverItsDecks() {
        long patient = accountWithNoticeDays("customer", 14);
        long patientDeck = deck(patient, "sell");
        commitUpload(patientDeck, "mode=full", "prefix,destination,rate\n4420,UK London,0.010000\n", "", 200);
        Instant beforePush = Instant.now();
        JsonNode pushed = commitUpload(patientDeck, "mode=full", "prefix,destination,rate\n4420,UK London,0.015000\n", "?earlyIncreases=push", 200);
        assertThat(Instant.parse(pushed.path("pushedTo").asString())).as("the customer's 14 days, not the deck's 7")
                .isBetween(beforePush.plus(Duration.ofDays(14)).minusSeconds(1), Instant.now().plus(Duration.ofDays(14)));

        long hasty = accountWithNoticeDays("customer", 0);
        long hastyDeck = deck(hasty, "sell");
        commitUpload(hastyDeck, "mode=full", "prefix,destination,rate\n4420,UK London,0.010000\n", "", 200);
        JsonNode atOnce = commitUpload(hastyDeck, "mode=full", "prefix,destination,rate\n4420,UK London,0.015000\n", "", 200);
        assertThat(atOnce.path("status").asString()).as("no notice period: the increase is no early increase").isEqualTo("committed");

        long vendor = accountWithNoticeDays("vendor", 0);
        long buyDeck = deck(vendor, "buy");
        carrier.put("/api/v1/accounts/" + vendor + "/partner-terms", "{\"submissionPolicy\": \"auto\"}");
        ApiClient partner = partnerKey(vendor);
        JsonNode first = partner.postCsv("/api/v1/partner/rate-decks/" + buyDeck + "/submissions", "prefix,destination,rate\n4420,UK,0.004000\n").body();
        partner.post("/api/v1/partner/submissions/" + first.path("id").asLong() + "/submit", "");
        JsonNode increase = partner.postCsv("/api/v1/partner/rate-decks/" + buyDeck + "/submissions", "prefix,destination,rate\n4420,UK,0.005000\n")
                .body();
        assertThat(increase.path("earlyIncreases").asInt()).as("the vendor's own 0 days").isZero();
        assertThat(partner.post("/api/v1/partner/submissions/" + increase.path("id").asLong() + "/submit", "").body().path("status").asString())
                .isEqualTo("applied");

        ApiClient.Response bad = carrier.post("/api/v1/accounts", "{\"name\": \"" + unique("c") + "\", \"kind\": \"customer\", "
                + "\"currency\": \"EUR\", \"noticeDays\": 400}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("fields").path("noticeDays").asString()).contains("0 to 365");
    }

    private long invoice(long customer) {
        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1).toString();
        ApiClient.Response issued = carrier.post("/api/v1/invoices", "{\"account\": " + customer + ", \"month\": \"" + month + "\"}");
        assertThat(issued.status()).as(issued.raw()).isIn(200, 201);
        return issued.body().path("id").asLong();
    }

    @Test
    void aCustomerPartnerReadsAndDownloadsItsOwnInvoicesAndAnotherAccountsInvoiceIsNotFound() {
        long customer = account("customer");
        long other = account("customer");
        long own = invoice(customer);
        long others = invoice(other);
        String number = carrier.get("/api/v1/invoices/" + own).body().path("number").asString();
        ApiClient partner = partnerKey(customer);

        assertThat(partner.get("/api/v1/partner/invoices").body().findValuesAsString("id")).containsExactly(String.valueOf(own));
        assertThat(partner.get("/api/v1/partner/invoices/" + own).body().path("number").asString()).isEqualTo(number);
        ApiClient.Response pdf = partner.get("/api/v1/partner/invoices/" + own + ".pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.raw()).startsWith("%PDF-");
        assertThat(partner.get("/api/v1/partner/invoices/" + own + ".csv").raw())
                .startsWith("document,kind,prefix,description,calls,billed_seconds,billed_minutes,amount,currency").contains(number);

        for (String path : List.of("/api/v1/partner/invoices/" + others, "/api/v1/partner/invoices/" + others + ".pdf",
                "/api/v1/partner/invoices/" + others + ".csv")) {
            ApiClient.Response answer = partner.get(path);
            assertThat(answer.status()).as(path + ": " + answer.raw()).isEqualTo(404);
            assertThat(answer.raw()).as("the same answer as for an id nobody uses")
                    .isEqualTo(partner.get(path.replace(String.valueOf(others), "987654321")).raw().replace("987654321", String.valueOf(others)));
        }
        assertThat(partner.get("/api/v1/invoices/" + own).status()).as("the carrier's invoice API is not the partner's").isEqualTo(403);
        assertThat(carrier.get("/api/v1/audit?limit=500").raw()).contains("partner read invoices", "partner read invoice");
    }

    @Test
    void anIssuedInvoiceIsMailedWithItsPdfToTheAccountsInvoiceAddresses() throws Exception {
        assumeTrue(SMTP != null, "python3-aiosmtpd is not installed");
        long customer = account("customer");
        String address = "billing-" + customer + "@customer.example";
        ApiClient.Response bad = carrier.put("/api/v1/accounts/" + customer + "/partner-terms", "{\"invoiceEmail\": \"billing at customer\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("fields").path("invoiceEmail").asString()).contains("not an e-mail address");
        carrier.put("/api/v1/accounts/" + customer + "/partner-terms", "{\"invoiceEmail\": \"" + address + "\"}");

        JsonNode invoice = carrier.get("/api/v1/invoices/" + invoice(customer)).body();
        String number = invoice.path("number").asString();
        MimeMessage mail = SMTP.awaitMessage(m -> recipients(m).contains(address) && subject(m).startsWith("Invoice " + number + ":"),
                Duration.ofSeconds(30));
        assertThat(mail.getSubject()).isEqualTo("Invoice " + number + ": " + invoice.path("accountName").asString() + ", "
                + java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1));
        assertThat(mail.getFrom()[0].toString()).isEqualTo("rates@carrier.example");
        Part attachment = attachment(mail);
        assertThat(attachment.getFileName()).isEqualTo(number + ".pdf");
        try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(attachment.getInputStream().readAllBytes())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(pdf)).contains(number, invoice.path("accountName").asString());
        }
        for (int i = 0; i < 100 && !carrier.get("/api/v1/audit?limit=500").raw().contains(number + " to " + address); i++) {
            Thread.sleep(50);
        }
        assertThat(carrier.get("/api/v1/audit?limit=500").raw()).contains("mail invoice", number + " to " + address);
    }

    private String awaitMailed(long noticeId) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode notice = carrier.get("/api/v1/rate-notices").body();
            for (JsonNode n : notice) {
                if (n.path("id").asLong() == noticeId && n.hasNonNull("mailedAt")) {
                    return n.path("mailedAt").asString();
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject() == null ? "" : message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipients(MimeMessage message) {
        try {
            String[] rcpt = message.getHeader("X-RcptTo");
            return rcpt == null ? "" : String.join(",", rcpt);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Part attachment(MimeMessage message) throws jakarta.mail.MessagingException, IOException {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            if (Part.ATTACHMENT.equalsIgnoreCase(parts.getBodyPart(i).getDisposition())) {
                return parts.getBodyPart(i);
            }
        }
        throw new AssertionError("no attachment");
    }
}
