package io.tandem.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole node on its embedded PostgreSQL, driven over real HTTP as a provisioning script would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvisioningApiTest {

    static final String BOOTSTRAP_KEY = "test-bootstrap-key-0123456789";
    static final String ADMIN_PASSWORD = "admin-password-0123";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.api.bootstrap-key", () -> BOOTSTRAP_KEY);
        registry.add("tandem.sip.enabled", () -> "false");
        // only ::1 may scrape without a key here, so a client on 127.0.0.1 stands for a source outside the list
        registry.add("tandem.metrics.allowed-sources", () -> "::1/128");
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
    }

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient("http://127.0.0.1:" + port, BOOTSTRAP_KEY);
    }

    @Test
    void healthIsUpWithTheDatabaseAndTheLoginPageRenders() {
        ApiClient anonymous = api.withKey(null);
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asString()).isEqualTo("UP");
        assertThat(health.body().path("components").path("db").path("status").asString()).isEqualTo("UP");

        ApiClient.Response login = anonymous.get("/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.raw()).contains("<!doctype html>".toLowerCase().substring(0, 9));

        assertThat(anonymous.get("/v3/api-docs").raw()).contains("/api/v1/accounts");
    }

    @Test
    void aPathNoEndpointServesIsAJson404ForAKeyAndA401WithoutOne() {
        ApiClient.Response unknown = api.get("/api/v1/no-such-thing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").asString()).contains("GET /api/v1/no-such-thing");

        assertThat(api.withKey(null).get("/api/v1/no-such-thing").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/accounts").status()).as("real endpoints are not shadowed").isEqualTo(200);
    }

    @Test
    void docsApiMdNamesExactlyTheEndpointsTheOpenApiDocumentServes() {
        java.util.Set<String> served = ApiDocumentation.served(api.get("/v3/api-docs").body());
        java.util.Set<String> documented = ApiDocumentation.documented(Path.of("..", "docs", "api.md"));

        assertThat(served).as("the OpenAPI document lists the endpoints").contains("GET /api/v1/accounts", "POST /api/v1/accounts");
        java.util.Set<String> undocumented = new java.util.TreeSet<>(served);
        undocumented.removeAll(documented);
        java.util.Set<String> notServed = new java.util.TreeSet<>(documented);
        notServed.removeAll(served);
        assertThat(undocumented).as("served but missing from docs/api.md's table").isEmpty();
        assertThat(notServed).as("in docs/api.md's table but not served").isEmpty();
    }

    @Test
    void anonymousHealthSaysOnlyUpOrDownAndTheProbesStayOpen() {
        ApiClient anonymous = api.withKey(null);
        ApiClient.Response health = anonymous.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asString()).isEqualTo("UP");
        assertThat(health.raw()).doesNotContain("components", "db", "PostgreSQL");
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void prometheusIsOpenToAllowedSourcesAndToAnyKeyButNotToOtherSources() {
        ApiClient outsideWithoutKey = api.withKey(null);
        ApiClient allowedSource = new ApiClient("http://[::1]:" + port, null);
        String viewerKey = api.post("/api/v1/api-keys", "{\"name\": \"grafana\", \"role\": \"viewer\"}").body().path("key").asString();

        ApiClient.Response refused = outsideWithoutKey.get("/actuator/prometheus");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw()).doesNotContain("jvm_memory_used_bytes").contains("X-Api-Key");
        assertThat(outsideWithoutKey.get("/actuator/metrics").status()).isEqualTo(401);
        assertThat(allowedSource.get("/actuator/prometheus").raw()).contains("jvm_memory_used_bytes");
        assertThat(api.withKey(viewerKey).get("/actuator/prometheus").raw()).contains("jvm_memory_used_bytes");
    }

    @Test
    void consolePagesApiAnswersAndHealthCarryTheSecurityHeaders() {
        ApiClient.Response loginPage = api.withKey(null).get("/login");
        ApiClient.Response apiAnswer = api.get("/api/v1/accounts");
        ApiClient.Response health = api.withKey(null).get("/actuator/health");

        for (ApiClient.Response response : java.util.List.of(loginPage, apiAnswer, health)) {
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(response.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        }
        assertThat(loginPage.header("Content-Security-Policy")).contains("default-src 'self'", "object-src 'none'");
        assertThat(apiAnswer.header("Content-Security-Policy")).contains("default-src 'none'");
    }

    @Test
    void theConsoleBundleIsCachedByTheBrowserWhileItsPagesAreNot() {
        ApiClient anonymous = api.withKey(null);
        ApiClient.Response loginPage = anonymous.get("/login");
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("VAADIN/build/[A-Za-z0-9_.-]+\\.js").matcher(loginPage.raw());
        assertThat(script.find()).as("the page loads Vaadin's bundle: %s", loginPage.raw()).isTrue();

        ApiClient.Response bundle = anonymous.get("/" + script.group());
        ApiClient.Response stylesheet = anonymous.get("/tandem.css");

        assertThat(bundle.status()).isEqualTo(200);
        // the file name carries its content's hash: kept a year, never asked for again
        assertThat(bundle.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        // Chromium revalidates anything with Pragma: no-cache on every page load, whatever Cache-Control says
        assertThat(bundle.headers().firstValue("Pragma")).isEmpty();
        assertThat(stylesheet.headers().firstValue("Pragma")).isEmpty();
        assertThat(loginPage.header("Cache-Control")).contains("no-store");
        assertThat(bundle.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void afterFiveWrongPasswordsTheConsoleRefusesTheRightOneAsIfItWereWrong() {
        ApiClient browser = api.withKey(null);
        ApiClient.Response signedIn = browser.postForm("/login", "username=admin&password=" + ADMIN_PASSWORD);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).doesNotContain("error");

        ApiClient.Response wrong = null;
        for (int i = 0; i < 5; i++) {
            wrong = browser.postForm("/login", "username=admin&password=guess-" + i);
        }
        ApiClient.Response right = browser.postForm("/login", "username=admin&password=" + ADMIN_PASSWORD);

        assertThat(wrong.header("Location")).endsWith("/login?error");
        assertThat(right.status()).isEqualTo(wrong.status());
        assertThat(right.header("Location")).isEqualTo(wrong.header("Location"));
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteLaxAndNotSecureByDefault() {
        ApiClient.Response loginPage = api.withKey(null).get("/login");

        String sessionCookie = loginPage.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertThat(sessionCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");
    }

    @Test
    void requestsWithoutAValidKeyAreRefusedWithJson() {
        ApiClient.Response none = api.withKey(null).get("/api/v1/accounts");
        ApiClient.Response wrong = api.withKey("tdm_AAAAAAAA_wrongwrongwrong").post("/api/v1/accounts", "{}");
        ApiClient.Response almostBootstrap = api.withKey(BOOTSTRAP_KEY + "x").get("/api/v1/accounts");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().path("error").asString()).contains("X-Api-Key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(almostBootstrap.status()).isEqualTo(401);
    }

    @Test
    void createsAnAccountAndMovesMoneyThroughTheLedger() {
        ApiClient.Response created = api.post("/api/v1/accounts", """
                {"name": "Acme Telecom", "kind": "customer", "currency": "EUR", "creditLimit": "5.00",
                 "openingBalance": "10.50", "maxCps": 20}""");
        assertThat(created.status()).isEqualTo(201);
        long id = created.body().path("id").asLong();
        assertThat(created.body().path("balance").asString()).isEqualTo("10.500000");
        assertThat(created.body().path("available").asString()).isEqualTo("15.500000");

        ApiClient.Response topUp = api.post("/api/v1/accounts/" + id + "/top-ups", "{\"amount\": \"2.25\", \"reference\": \"wire 1\"}", "wire-1");
        ApiClient.Response replay = api.post("/api/v1/accounts/" + id + "/top-ups", "{\"amount\": \"2.25\", \"reference\": \"wire 1\"}", "wire-1");
        ApiClient.Response adjust = api.post("/api/v1/accounts/" + id + "/adjustments", "{\"amount\": \"-0.75\"}");

        assertThat(topUp.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().path("id").asLong()).isEqualTo(topUp.body().path("id").asLong());
        assertThat(adjust.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/accounts/" + id).body().path("balance").asString()).isEqualTo("12.000000");
        assertThat(api.get("/api/v1/accounts/" + id + "/ledger").body()).hasSize(3);
    }

    @Test
    void invalidInputGetsFieldMessages() {
        ApiClient.Response response = api.post("/api/v1/accounts", """
                {"name": "", "kind": "reseller", "currency": "euro", "creditLimit": "-1", "openingBalance": "1.1234567"}""");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("fields").propertyNames())
                .contains("name", "kind", "currency", "creditLimit", "openingBalance");

        ApiClient.Response malformed = api.post("/api/v1/accounts", "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("error").asString()).contains("not valid JSON");

        ApiClient.Response topUp = api.post("/api/v1/accounts/999999/top-ups", "{\"amount\": \"1\"}");
        assertThat(topUp.status()).isEqualTo(404);

        // A controller that lives beside its feature (calls), not in the api package, answers the same way.
        ApiClient.Response drain = api.post("/api/v1/node/drain", "{\"draining\": ");
        assertThat(drain.status()).isEqualTo(400);
        assertThat(drain.body().path("error").asString()).contains("not valid JSON");
    }

    /** A /0 would make every caller on the internet this customer; a trunk can also refuse MD5 digest answers. */
    @Test
    void aTrunkCidrOfTheWholeInternetIsRefused() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Everyone Co\", \"kind\": \"customer\", \"currency\": \"USD\"}")
                .body().path("id").asLong();

        ApiClient.Response everyone = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "everyone", "sourceCidrs": ["192.0.2.7/32", "0.0.0.0/0", "::/0"]}""".formatted(customer));
        ApiClient.Response sha256Only = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "sha256-only", "digestMd5": false,
                 "digestUsers": [{"username": "sha-only", "password": "s3cret-pass"}]}""".formatted(customer));

        assertThat(everyone.status()).isEqualTo(400);
        assertThat(everyone.body().path("fields").propertyNames()).containsExactlyInAnyOrder("sourceCidrs[1]", "sourceCidrs[2]");
        assertThat(everyone.body().path("fields").path("sourceCidrs[1]").asString()).contains("every address");
        assertThat(sha256Only.status()).as(sha256Only.raw()).isEqualTo(201);
        assertThat(sha256Only.body().path("digestMd5").asBoolean()).isFalse();
    }

    @Test
    void provisionsTrunksGatewaysAndProfilesWithReferenceChecks() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Trunk Customer\", \"kind\": \"customer\", \"currency\": \"USD\"}").body().path("id").asLong();
        long vendor = api.post("/api/v1/accounts", "{\"name\": \"Trunk Vendor\", \"kind\": \"vendor\", \"currency\": \"USD\"}").body().path("id").asLong();
        long profile = api.post("/api/v1/routing-profiles", "{\"name\": \"Premium\", \"strategy\": \"priority\", \"minMargin\": \"0.001\"}").body().path("id").asLong();

        ApiClient.Response badTrunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "t1", "sourceCidrs": ["10.0.0.0/33", "not-an-ip"],
                 "calleeTranslations": [{"match": "([", "replace": ""}]}""".formatted(vendor));
        assertThat(badTrunk.status()).isEqualTo(400);
        assertThat(badTrunk.body().path("fields").propertyNames())
                .contains("accountId", "sourceCidrs[0]", "sourceCidrs[1]", "calleeTranslations[0].match");

        ApiClient.Response trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "acme-main", "sourceCidrs": ["192.0.2.0/24", "2001:db8::/32"], "techPrefix": "7001",
                 "routingProfileId": %d, "calleeTranslations": [{"match": "^00", "replace": ""}],
                 "digestUsers": [{"username": "acme", "password": "s3cret-pass"}]}""".formatted(customer, profile));
        assertThat(trunk.status()).isEqualTo(201);
        assertThat(trunk.body().path("digestUsers").get(0).asString()).isEqualTo("acme");
        assertThat(trunk.raw()).doesNotContain("s3cret-pass");

        ApiClient.Response gateway = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "vendor-gw", "host": "127.0.0.1", "port": 5099, "failoverCodes": [503, 408]}""".formatted(vendor));
        assertThat(gateway.status()).isEqualTo(201);
        assertThat(gateway.body().path("transport").asString()).isEqualTo("udp");
        assertThat(gateway.body().path("mediaMode").asString()).as("the trunk decides").isEqualToIgnoringCase("bypass");
        ApiClient.Response relayed = api.put("/api/v1/vendor-gateways/" + gateway.body().path("id").asLong(), "{\"mediaMode\": \"relay\"}");
        assertThat(relayed.body().path("mediaMode").asString()).as(relayed.raw()).isEqualToIgnoringCase("relay");

        ApiClient.Response gatewayOnCustomer = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "wrong-gw", "host": "127.0.0.1", "port": 70000, "mediaMode": "sometimes"}""".formatted(customer));
        assertThat(gatewayOnCustomer.status()).isEqualTo(400);
        assertThat(gatewayOnCustomer.body().path("fields").propertyNames()).contains("accountId", "port", "mediaMode");
        assertThat(gatewayOnCustomer.body().path("fields").path("mediaMode").asString()).isEqualTo("one of relay, auto, bypass");

        long gatewayId = gateway.body().path("id").asLong();
        assertThat(api.delete("/api/v1/vendor-gateways/" + gatewayId).body().path("enabled").asBoolean()).isFalse();
    }

    @Test
    void aGatewayOfAnAccountOfKindBothMayReachItsOwnTrunksRegisteredContact() {
        long both = api.post("/api/v1/accounts", "{\"name\": \"PBX Owner\", \"kind\": \"both\", \"currency\": \"EUR\"}").body().path("id").asLong();
        long vendor = api.post("/api/v1/accounts", "{\"name\": \"Other Vendor\", \"kind\": \"vendor\", \"currency\": \"EUR\"}").body().path("id").asLong();
        long trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "pbx-owner-trunk", "sourceCidrs": ["203.0.113.64/28"],
                 "digestUsers": [{"username": "pbxowner", "password": "s3cret-pass"}]}""".formatted(both)).body().path("id").asLong();

        ApiClient.Response registered = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "pbx-owner-registered", "registeredTrunkId": %d}""".formatted(both, trunk));
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        assertThat(registered.body().path("registeredTrunkId").asLong()).isEqualTo(trunk);
        assertThat(registered.body().path("host").asString()).as("lists show the trunk it reaches").isEqualTo("pbx-owner-trunk");

        ApiClient.Response othersTrunk = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "not-my-trunk", "registeredTrunkId": %d}""".formatted(vendor, trunk));
        assertThat(othersTrunk.status()).isEqualTo(400);
        assertThat(othersTrunk.body().path("fields").path("registeredTrunkId").asString()).contains("another account");

        ApiClient.Response overTls = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "pbx-owner-tls", "registeredTrunkId": %d, "transport": "tls"}""".formatted(both, trunk));
        assertThat(overTls.status()).isEqualTo(400);
        assertThat(overTls.body().path("fields").propertyNames()).contains("transport");

        long id = registered.body().path("id").asLong();
        ApiClient.Response atAnAddress = api.put("/api/v1/vendor-gateways/" + id, "{\"registeredTrunkId\": null, \"host\": \"192.0.2.80\"}");
        assertThat(atAnAddress.status()).as(atAnAddress.raw()).isEqualTo(200);
        tools.jackson.databind.JsonNode cleared = atAnAddress.body().path("registeredTrunkId");
        assertThat(cleared.isNull() || cleared.isMissingNode()).as(atAnAddress.raw()).isTrue();
    }

    @Test
    void rolesLimitWhatAKeyMayDo() {
        ApiClient.Response issued = api.post("/api/v1/api-keys", "{\"name\": \"reporting\", \"role\": \"viewer\"}");
        assertThat(issued.status()).isEqualTo(201);
        String viewerKey = issued.body().path("key").asString();
        assertThat(viewerKey).startsWith("tdm_");
        ApiClient viewer = api.withKey(viewerKey);

        assertThat(viewer.get("/api/v1/accounts").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/accounts", "{\"name\": \"x\", \"kind\": \"customer\", \"currency\": \"EUR\"}").status()).isEqualTo(403);
        assertThat(viewer.get("/api/v1/api-keys").status()).isEqualTo(403);
        assertThat(api.get("/api/v1/api-keys").raw()).doesNotContain(viewerKey);

        assertThat(api.delete("/api/v1/api-keys/" + issued.body().path("id").asLong()).status()).isEqualTo(204);
        assertThat(viewer.get("/api/v1/accounts").status()).isEqualTo(401);
    }

    @Test
    void theDemoIsSeededOnFirstStart() {
        ApiClient.Response accounts = api.get("/api/v1/accounts");
        assertThat(accounts.raw()).contains("Demo Customer", "Vendor A", "Vendor B");
        assertThat(api.get("/api/v1/ingress-trunks").raw()).contains("127.0.0.1/32");
        assertThat(api.get("/api/v1/vendor-gateways").raw()).contains("5090", "5091");
    }

    @Test
    void aPutThatLeavesOutStatusOrLimitsKeepsThemAndANullClearsALimit() {
        long id = api.post("/api/v1/accounts", """
                {"name": "Put Keeps", "kind": "customer", "currency": "EUR", "creditLimit": "5.00", "maxCps": 7,
                 "maxConcurrentCalls": 30, "dailySpendLimit": "100.00", "lowBalanceThreshold": "2.00", "suspendAtZero": true}""")
                .body().path("id").asLong();
        assertThat(api.delete("/api/v1/accounts/" + id).body().path("status").asString()).isEqualTo("suspended");

        ApiClient.Response renamed = api.put("/api/v1/accounts/" + id, """
                {"name": "Put Keeps Renamed", "kind": "customer", "currency": "EUR"}""");

        assertThat(renamed.status()).isEqualTo(200);
        ApiClient.Response stored = api.get("/api/v1/accounts/" + id);
        assertThat(stored.body().path("name").asString()).isEqualTo("Put Keeps Renamed");
        assertThat(stored.body().path("status").asString()).isEqualTo("suspended");
        assertThat(stored.body().path("creditLimit").asString()).isEqualTo("5.000000");
        assertThat(stored.body().path("maxCps").asInt()).isEqualTo(7);
        assertThat(stored.body().path("maxConcurrentCalls").asInt()).isEqualTo(30);
        assertThat(stored.body().path("dailySpendLimit").asString()).isEqualTo("100.000000");
        assertThat(stored.body().path("lowBalanceThreshold").asString()).isEqualTo("2.000000");
        assertThat(stored.body().path("suspendAtZero").asBoolean()).isTrue();

        ApiClient.Response unlimited = api.put("/api/v1/accounts/" + id, "{\"maxCps\": null}");
        assertThat(unlimited.status()).isEqualTo(200);
        assertThat(unlimited.body().has("maxCps")).as("no cps limit any more").isFalse();
        assertThat(unlimited.body().path("status").asString()).isEqualTo("suspended");
        assertThat(unlimited.body().path("dailySpendLimit").asString()).isEqualTo("100.000000");
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.jooq.DSLContext dsl;

    /** An audit entry that cannot be written takes its change with it: the two commit together or not at all. */
    @Test
    void aChangeWhoseAuditEntryCannotBeWrittenIsNotMade() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Audited Customer\", \"kind\": \"customer\", \"currency\": \"EUR\", \"maxCps\": 5}")
                .body().path("id").asLong();
        long trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "audited", "sourceCidrs": ["198.51.100.9/32"], "maxCps": 10}""".formatted(customer))
                .body().path("id").asLong();

        dsl.execute("ALTER TABLE audit_log RENAME TO audit_log_unreachable");
        try {
            assertThat(api.put("/api/v1/ingress-trunks/" + trunk, "{\"maxCps\": 1000}").status()).isEqualTo(500);
            assertThat(api.put("/api/v1/accounts/" + customer, "{\"maxCps\": 1000}").status()).isEqualTo(500);
        } finally {
            dsl.execute("ALTER TABLE audit_log_unreachable RENAME TO audit_log");
        }

        assertThat(api.get("/api/v1/ingress-trunks/" + trunk).body().path("maxCps").asInt()).as("the trunk's limit").isEqualTo(10);
        assertThat(api.get("/api/v1/accounts/" + customer).body().path("maxCps").asInt()).as("the account's limit").isEqualTo(5);
        assertThat(api.put("/api/v1/ingress-trunks/" + trunk, "{\"maxCps\": 20}").status()).as("with the audit log back").isEqualTo(200);
        assertThat(api.get("/api/v1/audit?entity=ingress_trunk&entityId=" + trunk).raw())
                .contains("maxCps").contains("10").contains("20");
    }

    /** Two enabled trunks with one network would split nothing: the switch took the first for every call, silently. */
    @Test
    void aNetworkAnotherEnabledTrunkHasIsRefusedWithTheTrunksName() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Same Net Customer\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        ApiClient.Response first = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "same-net-a", "sourceCidrs": ["198.51.100.40/30"]}""".formatted(customer));
        assertThat(first.status()).as(first.raw()).isEqualTo(201);

        ApiClient.Response again = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "same-net-b", "sourceCidrs": ["198.51.100.50/32", "198.51.100.41/30"]}""".formatted(customer));
        assertThat(again.status()).as("the same network written another way").isEqualTo(400);
        assertThat(again.body().path("fields").propertyNames()).containsExactly("sourceCidrs[1]");
        assertThat(again.body().path("fields").path("sourceCidrs[1]").asString()).contains("same-net-a");

        ApiClient.Response nested = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "same-net-c", "sourceCidrs": ["198.51.100.41/32"], "enabled": false}""".formatted(customer));
        assertThat(nested.status()).as("a narrower network is allowed: the most specific wins").isEqualTo(201);
        ApiClient.Response disabledTwin = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "same-net-d", "sourceCidrs": ["198.51.100.40/30"], "enabled": false}""".formatted(customer));
        assertThat(disabledTwin.status()).as("a disabled stand-by twin").isEqualTo(201);
        ApiClient.Response enableTwin = api.put("/api/v1/ingress-trunks/" + disabledTwin.body().path("id").asLong(), """
                {"accountId": %d, "name": "same-net-d", "sourceCidrs": ["198.51.100.40/30"], "enabled": true}""".formatted(customer));
        assertThat(enableTwin.status()).as("enabled next to its twin").isEqualTo(400);
        assertThat(enableTwin.body().path("fields").path("sourceCidrs[0]").asString()).contains("same-net-a");

        assertThat(api.delete("/api/v1/ingress-trunks/" + first.body().path("id").asLong()).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/ingress-trunks/" + disabledTwin.body().path("id").asLong(), """
                {"accountId": %d, "name": "same-net-d", "sourceCidrs": ["198.51.100.40/30"], "enabled": true}""".formatted(customer))
                .status()).as("once the first is disabled").isEqualTo(200);
    }

    @Test
    void aPutThatLeavesOutEnabledOrLimitsKeepsADisabledTrunkDisabled() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Put Trunk Customer\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "put-keeps", "sourceCidrs": ["198.51.100.7/32"], "techPrefix": "4401",
                 "maxCps": 10, "maxConcurrentCalls": 40}""".formatted(customer)).body().path("id").asLong();
        assertThat(api.delete("/api/v1/ingress-trunks/" + trunk).body().path("enabled").asBoolean()).isFalse();

        ApiClient.Response moved = api.put("/api/v1/ingress-trunks/" + trunk, """
                {"accountId": %d, "name": "put-keeps", "sourceCidrs": ["198.51.100.8/32"]}""".formatted(customer));

        assertThat(moved.status()).isEqualTo(200);
        ApiClient.Response stored = api.get("/api/v1/ingress-trunks/" + trunk);
        assertThat(stored.body().path("sourceCidrs").get(0).asString()).isEqualTo("198.51.100.8/32");
        assertThat(stored.body().path("enabled").asBoolean()).isFalse();
        assertThat(stored.body().path("maxCps").asInt()).isEqualTo(10);
        assertThat(stored.body().path("maxConcurrentCalls").asInt()).isEqualTo(40);
        assertThat(stored.body().path("techPrefix").asString()).isEqualTo("4401");
    }

    @Test
    void anAccountsCurrencyCannotChangeWhileItHasABalanceOrDecks() {
        long withBalance = api.post("/api/v1/accounts", """
                {"name": "Currency Balance", "kind": "customer", "currency": "EUR", "openingBalance": "3.00"}""").body().path("id").asLong();
        long withDeck = api.post("/api/v1/accounts", "{\"name\": \"Currency Deck\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        assertThat(api.post("/api/v1/rate-decks", """
                {"accountId": %d, "name": "currency-deck", "direction": "sell", "currency": "EUR"}""".formatted(withDeck)).status()).isEqualTo(201);
        long empty = api.post("/api/v1/accounts", "{\"name\": \"Currency Free\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();

        ApiClient.Response balanceRefused = api.put("/api/v1/accounts/" + withBalance, "{\"name\": \"Currency Balance\", \"kind\": \"customer\", \"currency\": \"USD\"}");
        ApiClient.Response deckRefused = api.put("/api/v1/accounts/" + withDeck, "{\"name\": \"Currency Deck\", \"kind\": \"customer\", \"currency\": \"USD\"}");
        ApiClient.Response allowed = api.put("/api/v1/accounts/" + empty, "{\"name\": \"Currency Free\", \"kind\": \"customer\", \"currency\": \"USD\"}");

        assertThat(balanceRefused.status()).isEqualTo(400);
        assertThat(balanceRefused.body().path("fields").path("currency").asString()).contains("balance");
        assertThat(deckRefused.status()).isEqualTo(400);
        assertThat(deckRefused.body().path("fields").path("currency").asString()).contains("deck");
        assertThat(api.get("/api/v1/accounts/" + withBalance).body().path("currency").asString()).isEqualTo("EUR");
        assertThat(api.get("/api/v1/accounts/" + withDeck).body().path("currency").asString()).isEqualTo("EUR");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body().path("currency").asString()).isEqualTo("USD");
    }

    @Test
    void aTrunksSellDeckMustBeASellDeckOfItsOwnAccountInItsCurrency() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Deck Owner\", \"kind\": \"both\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long other = api.post("/api/v1/accounts", "{\"name\": \"Deck Stranger\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long own = deck(customer, "own-sell", "sell", "EUR");
        long buy = deck(customer, "own-buy", "buy", "EUR");
        long dollars = deck(customer, "own-sell-usd", "sell", "USD");
        long foreign = deck(other, "stranger-sell", "sell", "EUR");

        for (long refused : new long[] {buy, dollars, foreign, 987654321L}) {
            ApiClient.Response response = api.post("/api/v1/ingress-trunks", """
                    {"accountId": %d, "name": "deck-check-%d", "sourceCidrs": ["203.0.113.9/32"], "sellDeckId": %d}"""
                    .formatted(customer, refused, refused));
            assertThat(response.status()).as("sell deck %d", refused).isEqualTo(400);
            assertThat(response.body().path("fields").path("sellDeckId").asString()).as("sell deck %d", refused).isNotEmpty();
        }
        ApiClient.Response accepted = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "deck-check-own", "sourceCidrs": ["203.0.113.9/32"], "sellDeckId": %d}""".formatted(customer, own));
        assertThat(accepted.status()).isEqualTo(201);

        ApiClient.Response movedToForeign = api.put("/api/v1/ingress-trunks/" + accepted.body().path("id").asLong(),
                "{\"accountId\": %d, \"name\": \"deck-check-own\", \"sourceCidrs\": [\"203.0.113.9/32\"], \"sellDeckId\": %d}".formatted(customer, foreign));
        assertThat(movedToForeign.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/ingress-trunks/" + accepted.body().path("id").asLong()).body().path("sellDeckId").asLong()).isEqualTo(own);
    }

    @Test
    void anIdempotencyKeyIsScopedToItsAccount() {
        long first = api.post("/api/v1/accounts", "{\"name\": \"Key Scope One\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long second = api.post("/api/v1/accounts", "{\"name\": \"Key Scope Two\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        String body = "{\"amount\": \"4.00\", \"reference\": \"invoice 77\"}";

        ApiClient.Response onFirst = api.post("/api/v1/accounts/" + first + "/top-ups", body, "invoice-77");
        ApiClient.Response onSecond = api.post("/api/v1/accounts/" + second + "/top-ups", body, "invoice-77");
        ApiClient.Response retryOnFirst = api.post("/api/v1/accounts/" + first + "/top-ups", body, "invoice-77");
        ApiClient.Response otherAmount = api.post("/api/v1/accounts/" + first + "/top-ups", "{\"amount\": \"40.00\", \"reference\": \"invoice 77\"}", "invoice-77");

        assertThat(onFirst.status()).isEqualTo(201);
        assertThat(onSecond.status()).isEqualTo(201);
        assertThat(onSecond.body().path("accountId").asLong()).isEqualTo(second);
        assertThat(retryOnFirst.status()).isEqualTo(200);
        assertThat(retryOnFirst.body().path("id").asLong()).isEqualTo(onFirst.body().path("id").asLong());
        assertThat(otherAmount.status()).isEqualTo(409);
        assertThat(otherAmount.body().path("error").asString()).contains("Idempotency-Key");
        assertThat(api.get("/api/v1/accounts/" + first).body().path("balance").asString()).isEqualTo("4.000000");
        assertThat(api.get("/api/v1/accounts/" + second).body().path("balance").asString()).isEqualTo("4.000000");
    }

    private long deck(long accountId, String name, String direction, String currency) {
        ApiClient.Response deck = api.post("/api/v1/rate-decks", """
                {"accountId": %d, "name": "%s", "direction": "%s", "currency": "%s"}""".formatted(accountId, name, direction, currency));
        assertThat(deck.status()).as(deck.raw()).isEqualTo(201);
        return deck.body().path("id").asLong();
    }

    @Test
    void aGatewayOrProfilePutThatLeavesOutFieldsKeepsThemAndReportsAnswerPerCustomerVendorAndDestination() {
        long vendor = api.post("/api/v1/accounts", "{\"name\": \"Put Vendor\", \"kind\": \"vendor\", \"currency\": \"USD\"}").body().path("id").asLong();
        long gateway = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "put-gw", "host": "192.0.2.7", "port": 5080, "maxCps": 9, "failoverCodes": [503]}""".formatted(vendor))
                .body().path("id").asLong();
        api.delete("/api/v1/vendor-gateways/" + gateway);
        ApiClient.Response renamed = api.put("/api/v1/vendor-gateways/" + gateway, "{\"name\": \"put-gw-2\"}");
        assertThat(renamed.status()).as(renamed.raw()).isEqualTo(200);
        assertThat(renamed.body().path("name").asString()).isEqualTo("put-gw-2");
        assertThat(renamed.body().path("port").asInt()).isEqualTo(5080);
        assertThat(renamed.body().path("maxCps").asInt()).isEqualTo(9);
        assertThat(renamed.body().path("enabled").asBoolean()).isFalse();
        ApiClient.Response cleared = api.put("/api/v1/vendor-gateways/" + gateway, "{\"maxCps\": null}");
        assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
        assertThat(cleared.body().path("maxCps").isNull() || cleared.body().path("maxCps").isMissingNode()).as(cleared.raw()).isTrue();
        assertThat(cleared.body().path("port").asInt()).isEqualTo(5080);
        assertThat(api.get("/api/v1/vendor-gateways/" + gateway + "/health").body().path("breaker").asString()).isEqualTo("SIP_DISABLED");

        long profile = api.post("/api/v1/routing-profiles", """
                {"name": "Put Profile", "strategy": "weighted", "minMargin": "0.002", "maxAttempts": 3}""").body().path("id").asLong();
        ApiClient.Response profilePut = api.put("/api/v1/routing-profiles/" + profile, "{\"allowLoss\": true}");
        assertThat(profilePut.status()).as(profilePut.raw()).isEqualTo(200);
        assertThat(profilePut.body().path("strategy").asString()).isEqualTo("weighted");
        assertThat(profilePut.body().path("minMargin").asString()).isEqualTo("0.002000");
        assertThat(profilePut.body().path("maxAttempts").asInt()).isEqualTo(3);
        assertThat(profilePut.body().path("allowLoss").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/audit?entity=routing_profile&entityId=" + profile).raw()).contains("allowLoss false -> true");

        ApiClient.Response report = api.get("/api/v1/reports/customers?from=2026-11-01&to=2026-12-01");
        assertThat(report.status()).as(report.raw()).isEqualTo(200);
        assertThat(report.body().isArray()).isTrue();
        ApiClient.Response csv = api.get("/api/v1/reports/destinations.csv?from=2026-11-01&to=2026-12-01");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw()).startsWith("key,name,currency,attempts,answered,asr_percent");
        assertThat(api.get("/api/v1/reports/customers?from=yesterday&to=2026-12-01").body().path("fields").propertyNames()).contains("from");
        assertThat(api.get("/api/v1/reports/planets?from=2026-11-01&to=2026-12-01").status()).isEqualTo(404);
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.tandem.billing.persistence.SettlementStore settlements;

    /**
     * Finance's month end over the API: a customer's November calls (settled through the node's own settlement
     * store) invoiced, the PDF and CSV fetched, a credit note issued; the vendor's statement, and its own CDR file
     * reconciled against ours with one planted call we never carried. A viewer key reads none of it.
     */
    @Test
    void financeInvoicesAMonthAndReconcilesAVendorFileOverTheApi() {
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Invoice Customer " + java.util.UUID.randomUUID() + "\", \"kind\": \"customer\", \"currency\": \"EUR\", \"creditLimit\": \"100\"}")
                .body().path("id").asLong();
        long vendor = api.post("/api/v1/accounts", "{\"name\": \"Invoice Vendor " + java.util.UUID.randomUUID() + "\", \"kind\": \"vendor\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        assertThat(api.put("/api/v1/accounts/" + customer + "/invoice-profile",
                "{\"series\": \"INVAPI\", \"cycleMonths\": 1, \"taxLabel\": \"VAT 20%\", \"taxRate\": \"0.2\"}").status()).isEqualTo(200);
        assertThat(api.put("/api/v1/accounts/" + customer + "/invoice-profile", "{\"series\": \"inv!\", \"cycleMonths\": 5}")
                .body().path("fields").path("cycleMonths").asString()).isEqualTo("1, 2, 3, 4, 6 or 12");
        var sell = io.tandem.billing.rating.RateSnapshot.of("4420", "0.060000", "0", 60, 60);
        var buy = io.tandem.billing.rating.RateSnapshot.of("44", "0.030000", "0", 1, 1);
        java.util.List<io.tandem.billing.settlement.Settlement> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.util.UUID call = java.util.UUID.randomUUID();
            java.time.Instant answered = java.time.Instant.parse("2026-11-1" + i + "T10:00:00Z");
            var cdr = new io.tandem.billing.cdr.CdrRecord(call, 1, "node", call + "@t", customer, null, vendor, null, "4930", "442070000" + i,
                    "4930", "442070000" + i, answered.minusSeconds(2), answered, answered.plusSeconds(90), 92_000, 0, 2000, 200, "OK", 16,
                    io.tandem.billing.cdr.HangupSide.CALLER, "EUR", sell, buy, null, null, null).priced();
            calls.add(new io.tandem.billing.settlement.Settlement(call, customer, "node", io.tandem.billing.settlement.HoldSource.NONE,
                    java.util.List.of(cdr), answered.plusSeconds(91)));
        }
        settlements.apply(calls);
        String viewerKey = api.post("/api/v1/api-keys", "{\"name\": \"invoice-viewer\", \"role\": \"viewer\"}").body().path("key").asString();

        ApiClient.Response issued = api.post("/api/v1/invoices", "{\"account\": " + customer + ", \"month\": \"2026-11\"}");

        assertThat(issued.status()).as(issued.raw()).isEqualTo(201);
        String number = issued.body().path("number").asString();
        assertThat(number).startsWith("INVAPI-00000");
        assertThat(issued.body().path("usage").asString()).isEqualTo("-0.360000"); // 3 calls, 2 minutes each at 0.06
        assertThat(issued.body().path("tax").asString()).isEqualTo("0.072000");
        assertThat(issued.body().path("totalDue").asString()).isEqualTo("0.432000");
        assertThat(issued.body().path("lines").get(0).path("calls").asLong()).isEqualTo(3);
        long id = issued.body().path("id").asLong();
        assertThat(api.post("/api/v1/invoices", "{\"account\": " + customer + ", \"month\": \"2026-11\"}").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/invoices", "{\"account\": " + customer + ", \"month\": \"November\"}")
                .body().path("fields").path("month").asString()).contains("YYYY-MM");
        assertThat(api.get("/api/v1/invoices/" + id + ".pdf").raw()).startsWith("%PDF");
        assertThat(api.get("/api/v1/invoices/" + id + ".csv").raw()).contains(number + ",total,,total_due,,,,0.432000,EUR");
        ApiClient.Response credit = api.post("/api/v1/invoices/" + id + "/credit-notes", "{\"amount\": \"0.100000\", \"reason\": \"late answer\"}");
        assertThat(credit.status()).as(credit.raw()).isEqualTo(201);
        assertThat(credit.body().path("number").asString()).startsWith("CN-");
        assertThat(api.post("/api/v1/invoices/" + id + "/credit-notes", "{\"amount\": \"5\", \"reason\": \"x\"}")
                .body().path("fields").path("amount").asString()).isEqualTo("at most 0.332000: what the invoice charged less earlier credit notes");
        assertThat(api.get("/api/v1/invoices?account=" + customer).body()).hasSize(2);
        assertThat(api.get("/api/v1/audit?action=issue").raw()).contains(number);

        ApiClient.Response statement = api.get("/api/v1/vendor-statements/" + vendor + "?month=2026-11");
        assertThat(statement.body().path("total").asString()).isEqualTo("0.135000"); // 3 x 90 s at 0.03 on 1/1

        String theirs = "start,dst,secs,charge\n"
                + "2026-11-10T10:00:01Z,+4420700000,90,0.045000\n"
                + "2026-11-11T10:00:00Z,004420700001,90,0.045000\n"
                + "2026-11-12T09:59:59Z,4420700002,90,0.045000\n"
                + "2026-11-13T12:00:00Z,4420799999,300,0.150000\n";
        ApiClient.Response reconciled = api.postMultipart("/api/v1/vendor-reconciliations", java.util.Map.of("vendor", String.valueOf(vendor),
                "month", "2026-11", "connectTime", "start", "called", "dst", "duration", "secs", "amount", "charge"), "theirs.csv", theirs);
        assertThat(reconciled.status()).as(reconciled.raw()).isEqualTo(201);
        assertThat(reconciled.body().path("matched").asLong()).isEqualTo(3);
        assertThat(reconciled.body().path("onlyTheirs").asLong()).isEqualTo(1);
        assertThat(reconciled.body().path("onlyOurs").asLong()).isZero();
        assertThat(reconciled.body().path("disputedAmount").asString()).isEqualTo("0.150000");
        assertThat(api.get(reconciled.body().path("discrepancies").asString()).raw()).contains("only_theirs,row 5,");
        ApiClient.Response badRow = api.postMultipart("/api/v1/vendor-reconciliations", java.util.Map.of("vendor", String.valueOf(vendor),
                "month", "2026-11", "connectTime", "start", "called", "dst", "duration", "secs"), "bad.csv", "start,dst,secs\n2026-11-10,44,1\n");
        assertThat(badRow.body().path("fields").path("file").asString()).startsWith("row 2: connect time:");

        ApiClient viewer = api.withKey(viewerKey);
        assertThat(viewer.get("/api/v1/invoices").status()).isEqualTo(403);
        assertThat(viewer.get("/api/v1/invoices/" + id + ".pdf").status()).isEqualTo(403);
        assertThat(viewer.get("/api/v1/vendor-statements/" + vendor + "?month=2026-11").status()).isEqualTo(403);
    }
}
