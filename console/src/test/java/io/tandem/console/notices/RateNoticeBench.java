package io.tandem.console.notices;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.api.ApiClient;
import io.tandem.console.calls.ClusterFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What notices cost on a big sell deck: a full deck of {@code tandem.bench.codes} codes committed (one notice of that
 * many new codes), then every code repriced, half up (pushed to the end of the notice period) and half down.
 * Not part of the suite: {@code docs/bench/rate-notices.sh} runs it and performance.md has the figures.
 */
@EnabledIfSystemProperty(named = "tandem.bench.notices", matches = "true")
class RateNoticeBench extends ClusterFixture {

    @LocalServerPort
    int port;

    @Test
    void noticesForAWholeDeck() throws Exception {
        int codes = Integer.getInteger("tandem.bench.codes", 100_000);
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Bench customer " + System.nanoTime() + "\", \"kind\": \"customer\", "
                + "\"currency\": \"EUR\"}").body().path("id").asLong();
        api.put("/api/v1/accounts/" + customer + "/partner-terms", "{\"noticeEmail\": \"bench-" + customer + "@customer.example\"}");
        long deck = api.post("/api/v1/rate-decks", "{\"accountId\": " + customer + ", \"name\": \"bench\", \"direction\": \"sell\", "
                + "\"currency\": \"EUR\"}").body().path("id").asLong();
        StringBuilder first = new StringBuilder("prefix,destination,rate\n");
        StringBuilder second = new StringBuilder("prefix,destination,rate\n");
        for (int i = 0; i < codes; i++) {
            String prefix = String.valueOf(1_000_000 + i);
            first.append(prefix).append(",Dest ").append(i).append(",0.010000\n");
            second.append(prefix).append(",Dest ").append(i).append(i % 2 == 0 ? ",0.012000\n" : ",0.008000\n");
        }
        report("full deck, " + codes + " new codes", api, deck, first.toString(), "");
        report("every code repriced, " + codes / 2 + " increases pushed", api, deck, second.toString(), "?earlyIncreases=push");
    }

    private void report(String what, ApiClient api, long deck, String csv, String commitQuery) throws InterruptedException {
        long importId = api.postCsv("/api/v1/rate-decks/" + deck + "/imports?mode=full", csv).body().path("id").asLong();
        long started = System.nanoTime();
        ApiClient.Response committed = api.post("/api/v1/rate-decks/" + deck + "/imports/" + importId + "/commit" + commitQuery, "");
        long commitMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(committed.status()).as(committed.raw()).isEqualTo(200);
        long notice = committed.body().path("notices").get(0).asLong();
        long csvStarted = System.nanoTime();
        int lines = (int) api.get("/api/v1/rate-notices/" + notice + "/lines.csv").raw().lines().count() - 1;
        long csvMs = (System.nanoTime() - csvStarted) / 1_000_000;
        String mailed = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (mailed == null && System.nanoTime() < deadline) {
            for (JsonNode n : api.get("/api/v1/rate-notices?limit=5").body()) {
                if (n.path("id").asLong() == notice && n.hasNonNull("mailedAt")) {
                    mailed = n.path("mailedAt").asString();
                }
            }
            Thread.sleep(100);
        }
        long mailMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[bench] %s: commit with notice %d ms, %d notice lines, notice CSV download %d ms, mailed %s %d ms after the commit began%n",
                what, commitMs, lines, csvMs, mailed == null ? "NOT" : "", mailMs);
    }
}
