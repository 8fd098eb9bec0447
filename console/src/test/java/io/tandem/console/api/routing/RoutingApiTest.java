package io.tandem.console.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.api.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole node driven over HTTP as a carrier's NOC would: decks created and uploaded (raw CSV and
 * multipart), previews committed, a profile's vendor list set, and the route simulator asked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class RoutingApiTest {

    static final String KEY = "test-bootstrap-key-routing-0123456789";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int HTTP_PORT = freeTcpPort();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.api.bootstrap-key", () -> KEY);
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("server.port", () -> HTTP_PORT);
        // The node is its own peer: the pokes it sends after a routing change come back to it.
        registry.add("tandem.cluster.peers[0].name", () -> "self");
        registry.add("tandem.cluster.peers[0].url", () -> "http://127.0.0.1:" + HTTP_PORT);
        registry.add("tandem.cluster.peers[0].api-key", () -> KEY);
        // small deck limits, so that a bomb is built in milliseconds; the decks of the other tests are far below them
        registry.add("tandem.decks.max-upload-size", () -> "256KB");
        registry.add("tandem.decks.max-decompressed-size", () -> "1MB");
        registry.add("tandem.decks.max-rows", () -> "10000000");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("X-Api-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return response.body().isBlank() ? null : JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private JsonNode uploadCsv(long deck, String query, String csv, int expected) throws IOException, InterruptedException {
        return send(request("/api/v1/rate-decks/" + deck + "/imports?" + query).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)), expected);
    }

    private JsonNode uploadMultipart(long deck, String fileName, String csv) throws IOException, InterruptedException {
        String boundary = "tandem-boundary-42";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"format\"\r\n\r\ngeneric\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"mode\"\r\n\r\nfull\r\n--" + boundary + "--\r\n";
        return send(request("/api/v1/rate-decks/" + deck + "/imports").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), 201);
    }

    @Test
    void decksAreImportedCommittedAndExplainedOverTheApi() throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Route Customer\", \"kind\": \"customer\", \"currency\": \"EUR\"}").body().path("id").asLong();
        long vendor = api.post("/api/v1/accounts", "{\"name\": \"Route Vendor\", \"kind\": \"vendor\", \"currency\": \"EUR\"}").body().path("id").asLong();

        ApiClient.Response badDeck = api.post("/api/v1/rate-decks", "{\"accountId\": %d, \"name\": \"x\", \"direction\": \"sideways\", \"currency\": \"euro\"}".formatted(customer));
        assertThat(badDeck.status()).isEqualTo(400);
        assertThat(badDeck.body().path("fields").propertyNames()).contains("direction", "currency");
        ApiClient.Response sellDeck = api.post("/api/v1/rate-decks", "{\"accountId\": %d, \"name\": \"Retail\", \"direction\": \"sell\", \"currency\": \"EUR\"}".formatted(customer));
        assertThat(sellDeck.status()).isEqualTo(201);
        assertThat(sellDeck.body().path("noticeDays").asInt()).isEqualTo(7);
        long sell = sellDeck.body().path("id").asLong();
        long buy = api.post("/api/v1/rate-decks", "{\"accountId\": %d, \"name\": \"Vendor buy\", \"direction\": \"buy\", \"currency\": \"EUR\"}".formatted(vendor)).body().path("id").asLong();
        assertThat(api.get("/api/v1/rate-decks?accountId=" + customer).body()).hasSize(1);

        JsonNode bad = uploadCsv(sell, "mode=full", "prefix,destination,rate\n44,UK,0.02\n4X,Bad,0.01\n", 201);
        assertThat(bad.path("status").asString()).isEqualTo("rejected");
        assertThat(bad.path("errors").get(0).path("row").asInt()).isEqualTo(3);

        JsonNode preview = uploadCsv(sell, "mode=full&fileName=retail.csv", "prefix,destination,rate\n44,UK,0.020000\n447,UK Mobile,0.080000\n", 201);
        assertThat(preview.path("status").asString()).isEqualTo("previewed");
        assertThat(preview.path("counts").path("new").asInt()).isEqualTo(2);
        JsonNode newLine = preview.path("preview").path("samples").path("new").get(0);
        assertThat(newLine.path("newRate").asString()).isEqualTo("0.020000");
        assertThat(newLine.path("newIncrements").asString()).as("no increment columns: the defaults").isEqualTo("60/60");
        assertThat(newLine.has("oldIncrements")).as("a new code had no terms").isFalse();
        long importId = preview.path("id").asLong();
        JsonNode committed = send(request("/api/v1/rate-decks/" + sell + "/imports/" + importId + "/commit")
                .POST(HttpRequest.BodyPublishers.noBody()), 200);
        assertThat(committed.path("status").asString()).isEqualTo("committed");

        JsonNode buyPreview = uploadMultipart(buy, "vendor.csv", "Code,Destination,Rate,Effective Date,Increment\n44,UK,0.0050,,1/1\n");
        send(request("/api/v1/rate-decks/" + buy + "/imports/" + buyPreview.path("id").asLong() + "/commit")
                .POST(HttpRequest.BodyPublishers.noBody()), 200);

        long profile = api.post("/api/v1/routing-profiles", "{\"name\": \"Route LCR\", \"strategy\": \"lcr\"}").body().path("id").asLong();
        api.post("/api/v1/vendor-gateways", "{\"accountId\": %d, \"name\": \"route-gw\", \"host\": \"192.0.2.7\", \"port\": 5060}".formatted(vendor));
        ApiClient.Response trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "route-in", "sourceCidrs": ["192.0.2.128/25"], "techPrefix": "7#",
                 "routingProfileId": %d, "sellDeckId": %d, "calleeTranslations": [{"match": "^00", "replace": ""}]}"""
                .formatted(customer, profile, sell));
        assertThat(trunk.status()).as(trunk.raw()).isEqualTo(201);
        long trunkId = trunk.body().path("id").asLong();

        ApiClient.Response badRules = api.put("/api/v1/routing-profiles/" + profile + "/rules", "[{\"vendorAccountId\": %d}]".formatted(customer));
        assertThat(badRules.status()).isEqualTo(400);
        assertThat(badRules.body().path("fields").propertyNames()).contains("[0].vendorAccountId");
        ApiClient.Response rules = api.put("/api/v1/routing-profiles/" + profile + "/rules",
                "[{\"vendorAccountId\": %d, \"rateCeiling\": \"0.010000\"}]".formatted(vendor));
        assertThat(rules.status()).isEqualTo(200);
        assertThat(rules.body().get(0).path("rateCeiling").asString()).isEqualTo("0.010000");

        String explainPath = "/api/v1/routes/explain?trunk=" + trunkId + "&number=7%23004420123";
        JsonNode explained = api.get(explainPath).body();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!"route".equals(explained.path("outcome").asString()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            explained = api.get(explainPath).body();
        }
        assertThat(explained.path("outcome").asString()).as(explained.toString()).isEqualTo("route");
        assertThat(explained.path("callee").asString()).isEqualTo("4420123");
        assertThat(explained.path("sellRate").path("rate").asString()).isEqualTo("0.020000");
        assertThat(explained.path("candidates").get(0).path("vendorName").asString()).isEqualTo("Route Vendor");
        assertThat(explained.path("candidates").get(0).path("buyRate").path("initialIncrement").asInt()).isEqualTo(1);
        assertThat(explained.path("candidates").get(0).path("margin").asString()).isEqualTo("0.015000");
        assertThat(api.get(explainPath + "&format=text").raw()).startsWith("ROUTE 4420123");
        JsonNode noRoute = api.get("/api/v1/routes/explain?trunk=" + trunkId + "&number=7%2333123").body();
        assertThat(noRoute.path("outcome").asString()).isEqualTo("no-route");
        assertThat(noRoute.path("reason").asString()).isEqualTo("NO_SELL_RATE");

        // A blocked destination is refused before any vendor is tried, and unblocking routes it again.
        ApiClient.Response badBlock = api.post("/api/v1/accounts/" + customer + "/blocked-destinations", "{\"prefix\": \"44x\"}");
        assertThat(badBlock.status()).isEqualTo(400);
        assertThat(badBlock.body().path("fields").path("prefix").asString()).startsWith("digits only");
        JsonNode health = api.get("/api/v1/cluster/health").body();
        assertThat(health.path("nodeId").asString()).isNotBlank();
        assertThat(health.path("status").asString()).isEqualTo("up");
        long pokesBefore = health.path("reloadRequests").asLong();
        ApiClient.Response block = api.post("/api/v1/accounts/" + customer + "/blocked-destinations",
                "{\"prefix\": \"44201\", \"reason\": \"premium rate\"}");
        assertThat(block.status()).as(block.raw()).isEqualTo(201);
        long pokeDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (api.get("/api/v1/cluster/health").body().path("reloadRequests").asLong() == pokesBefore && System.nanoTime() < pokeDeadline) {
            Thread.sleep(50);
        }
        assertThat(api.get("/api/v1/cluster/health").body().path("reloadRequests").asLong())
                .as("the peer (this node) was poked to reload").isGreaterThan(pokesBefore);
        assertThat(api.post("/api/v1/accounts/" + customer + "/blocked-destinations", "{\"prefix\": \"44201\"}").body()
                .path("fields").path("prefix").asString()).isEqualTo("already blocked for this account");
        assertThat(api.get("/api/v1/accounts/" + customer + "/blocked-destinations").body().get(0).path("reason").asString())
                .isEqualTo("premium rate");
        JsonNode blocked = awaitOutcome(api, explainPath, "no-route");
        assertThat(blocked.path("reason").asString()).isEqualTo("BLOCKED_DESTINATION");
        assertThat(api.delete("/api/v1/accounts/" + customer + "/blocked-destinations/" + block.body().path("id").asLong()).status())
                .isEqualTo(204);
        awaitOutcome(api, explainPath, "route");
        assertThat(api.get("/api/v1/accounts/999999/blocked-destinations").status()).isEqualTo(404);

        assertThat(api.get("/api/v1/rate-decks/" + sell + "/rates?prefix=44").body()).hasSize(2);
        assertThat(api.get("/api/v1/rate-decks/" + sell + "/imports").body()).hasSize(2);

        JsonNode increase = uploadCsv(sell, "mode=update", "prefix,destination,rate\n44,UK,0.030000\n", 201);
        JsonNode refused = send(request("/api/v1/rate-decks/" + sell + "/imports/" + increase.path("id").asLong() + "/commit")
                .POST(HttpRequest.BodyPublishers.noBody()), 409);
        assertThat(refused.path("error").asString()).contains("notice period of 7 days");
        assertThat(refused.path("fields").path("44").asString()).startsWith("rate increase from 0.020000 to 0.030000 effective ");

        JsonNode feeUp = uploadCsv(sell, "mode=update", "prefix,destination,rate,connect_fee,initial_increment,next_increment\n"
                + "44,UK,0.020000,0.010000,30,\n", 201);
        JsonNode feeUpLine = feeUp.path("preview").path("samples").path("increased").get(0);
        assertThat(feeUpLine.path("oldConnectFee").asString()).isEqualTo("0.000000");
        assertThat(feeUpLine.path("newConnectFee").asString()).isEqualTo("0.010000");
        assertThat(feeUpLine.path("oldIncrements").asString()).isEqualTo("60/60");
        assertThat(feeUpLine.path("newIncrements").asString()).as("a blank next increment is 60").isEqualTo("30/60");
        assertThat(feeUpLine.path("increase").asString()).isEqualTo("connect fee increase from 0.000000 to 0.010000");
        JsonNode feeRefused = send(request("/api/v1/rate-decks/" + sell + "/imports/" + feeUp.path("id").asLong() + "/commit")
                .POST(HttpRequest.BodyPublishers.noBody()), 409);
        assertThat(feeRefused.path("fields").path("44").asString())
                .startsWith("connect fee increase from 0.000000 to 0.010000 effective ");
    }

    @Test
    void decksPastTheLimitsAreRefusedWith413AndTheNodeKeepsWorking() throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        long account = api.post("/api/v1/accounts", "{\"name\": \"Bomb Customer %s\", \"kind\": \"customer\", \"currency\": \"EUR\"}"
                .formatted(java.util.UUID.randomUUID())).body().path("id").asLong();
        long deck = api.post("/api/v1/rate-decks", "{\"accountId\": %d, \"name\": \"Bombed\", \"direction\": \"sell\", \"currency\": \"EUR\"}"
                .formatted(account)).body().path("id").asLong();

        // 50 MB of blank lines after a header: about 50 KB gzipped, under the upload limit
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write("prefix,destination,rate\n".getBytes(StandardCharsets.UTF_8));
            byte[] lines = new byte[1 << 16];
            java.util.Arrays.fill(lines, (byte) '\n');
            for (int i = 0; i < 800; i++) {
                out.write(lines);
            }
        }
        JsonNode bomb = send(request("/api/v1/rate-decks/" + deck + "/imports?fileName=deck.csv.gz")
                .header("Content-Type", "application/gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())), 413);
        assertThat(bomb.path("error").asString()).isEqualTo("The file unpacks to more than the limit of 1 MB of CSV text;"
                + " the archive is damaged or not a rate deck");
        assertThat(bomb.path("fields").path("file").asString()).isEqualTo("limited by tandem.decks.max-decompressed-size");

        String bigCsv = "prefix,destination,rate\n" + "44,UK,0.010000\n".repeat(300 * 1024 / 15);
        JsonNode rawTooBig = uploadCsv(deck, "mode=full", bigCsv, 413);
        assertThat(rawTooBig.path("error").asString()).isEqualTo("The file is larger than the upload limit of 256 KB");
        assertThat(rawTooBig.path("fields").path("file").asString()).isEqualTo("limited by tandem.decks.max-upload-size");

        String boundary = "tandem-boundary-413";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + bigCsv + "\r\n--" + boundary + "--\r\n";
        JsonNode multipartTooBig = send(request("/api/v1/rate-decks/" + deck + "/imports")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart, StandardCharsets.UTF_8)), 413);
        assertThat(multipartTooBig.path("error").asString()).startsWith("The upload is larger than the limit");
        assertThat(multipartTooBig.path("fields").path("file").asString()).isEqualTo("limited by tandem.decks.max-upload-size");

        assertThat(api.get("/api/v1/rate-decks/" + deck + "/imports").body()).as("nothing was stored").isEmpty();
        JsonNode after = uploadCsv(deck, "mode=full", "prefix,destination,rate\n44,UK,0.020000\n", 201);
        assertThat(after.path("status").asString()).as("the node still takes decks").isEqualTo("previewed");
    }

    /** Routing reloads off the request thread: the simulator's answer once it says {@code outcome} (3 s at most). */
    private static JsonNode awaitOutcome(ApiClient api, String explainPath, String outcome) throws InterruptedException {
        JsonNode explained = api.get(explainPath).body();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!outcome.equals(explained.path("outcome").asString()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            explained = api.get(explainPath).body();
        }
        assertThat(explained.path("outcome").asString()).as(explained.toString()).isEqualTo(outcome);
        return explained;
    }

    private static int freeTcpPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
