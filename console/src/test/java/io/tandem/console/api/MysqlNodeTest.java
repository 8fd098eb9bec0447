package io.tandem.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same node on a MySQL-family server given by {@code spring.datasource.url}: one code path
 * serves both dialects. The database was migrated before the node started, as by a first node
 * of a cluster, so this node must skip the done migrations.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MysqlNodeTest {

    static final String KEY = "mysql-node-test-key-42";
    static final TestDatabase DATABASE = TestDatabases.mysql();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.api.bootstrap-key", () -> KEY);
        registry.add("tandem.sip.enabled", () -> "false");
    }

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }

    @LocalServerPort
    int port;

    /** The first start's admin password and demo API key are in an owner-only file, and the key works. */
    @Test
    void firstStartSecretsAreInAFileOnlyItsOwnerReads() throws Exception {
        Path secrets = dataDir.resolve(io.tandem.console.demo.FirstStart.SECRETS_FILE);
        assertThat(java.nio.file.Files.getPosixFilePermissions(secrets))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String text = java.nio.file.Files.readString(secrets);
        assertThat(text).contains("console user: admin   password: ");
        String key = text.lines().filter(line -> line.startsWith("API key (X-Api-Key): ")).findFirst().orElseThrow()
                .substring("API key (X-Api-Key): ".length());
        assertThat(new ApiClient("http://127.0.0.1:" + port, key).get("/api/v1/accounts").status()).isEqualTo(200);
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.tandem.console.node.BillingConfiguration.BalanceReconciliation reconciliation;

    /** A balance written behind the ledger's back is found by the scheduled reconciliation and shown as a metric. */
    @Test
    void reconciliationFindsABalanceThatIsNotItsLedgerAndTheAuditLogIsReadable() {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        long id = api.post("/api/v1/accounts", """
                {"name": "Tampered Ltd", "kind": "customer", "currency": "EUR", "openingBalance": "10"}""").body().path("id").asLong();
        assertThat(reconciliation.reconcile()).isZero();
        DATABASE.dsl().execute("UPDATE account SET balance = balance + 1 WHERE id = " + id);
        try {
            assertThat(reconciliation.reconcile()).isEqualTo(1);
            assertThat(api.withKey(null).get("/actuator/prometheus").raw()).containsPattern("tandem_reconciliation_mismatches(\\{[^}]*\\})? 1");
        } finally {
            DATABASE.dsl().execute("UPDATE account SET balance = balance - 1 WHERE id = " + id);
        }
        assertThat(reconciliation.reconcile()).isZero();

        assertThat(api.put("/api/v1/accounts/" + id, "{\"creditLimit\": \"5\", \"maxCps\": 7}").status()).isEqualTo(200);
        ApiClient.Response audit = api.get("/api/v1/audit?entity=account&entityId=" + id);
        assertThat(audit.body().get(0).path("detail").asString()).as("before and after of what changed")
                .contains("creditLimit 0.000000 -> 5.000000", "maxCps null -> 7").doesNotContain("currency");
        assertThat(audit.status()).as(audit.raw()).isEqualTo(200);
        assertThat(audit.body()).isNotEmpty();
        assertThat(audit.body().get(0).path("actor").asString()).isNotBlank();
        assertThat(api.get("/api/v1/audit?limit=0").status()).isEqualTo(400);
    }

    /** A peer node's key hangs up a call only on behalf of a named user, who is audited beside the peer. */
    @Test
    void aPeerKeyHangsUpOnlyOnBehalfOfANamedUser() {
        ApiClient admin = new ApiClient("http://127.0.0.1:" + port, KEY);
        ApiClient.Response issued = admin.post("/api/v1/api-keys", "{\"name\": \"node-b\", \"role\": \"peer\"}");
        assertThat(issued.status()).as(issued.raw()).isEqualTo(201);
        ApiClient peer = admin.withKey(issued.body().path("key").asString());
        String call = "/api/v1/calls/" + java.util.UUID.randomUUID();

        ApiClient.Response anonymous = peer.delete(call);
        assertThat(anonymous.status()).isEqualTo(400);
        assertThat(anonymous.body().path("fields").path("X-On-Behalf-Of").asString()).contains("on behalf of a named user");
        assertThat(peer.delete(call, "X-On-Behalf-Of", "alice").status()).as("past the check: this node runs no SIP")
                .isNotEqualTo(400);
        assertThat(peer.post("/api/v1/accounts", "{\"name\": \"Peer Made\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .status()).as("a peer provisions nothing").isEqualTo(403);
        assertThat(peer.post("/api/v1/cluster/reload", "{}").status()).isEqualTo(202);
    }

    @Test
    void provisionsAndMovesMoneyOnMysql() {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        assertThat(api.get("/actuator/health").body().path("components").path("db").path("details")
                .path("database").asString()).containsIgnoringCase("M");

        ApiClient.Response created = api.post("/api/v1/accounts", """
                {"name": "Zürich Carrier AG", "kind": "both", "currency": "CHF", "openingBalance": "0.000001"}""");
        assertThat(created.status()).isEqualTo(201);
        long id = created.body().path("id").asLong();
        assertThat(api.post("/api/v1/accounts/" + id + "/top-ups", "{\"amount\": \"99999.999999\"}").status()).isEqualTo(201);

        ApiClient.Response account = api.get("/api/v1/accounts/" + id);
        assertThat(account.body().path("name").asString()).isEqualTo("Zürich Carrier AG");
        assertThat(account.body().path("balance").asString()).isEqualTo("100000.000000");
        assertThat(api.get("/api/v1/accounts").raw()).contains("Demo Customer");
    }

    /**
     * Partner scope on the MySQL family: a vendor's partner key reads and submits its own deck (applied at once under
     * {@code auto}); another vendor's deck and a customer's notice are 404; the customer's notice is kept (no mail
     * server here, and it says so).
     */
    @Test
    void aPartnerKeySeesOnlyItsOwnAccountOnMariaDb() {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
        long vendor = api.post("/api/v1/accounts", "{\"name\": \"Partner Vendor\", \"kind\": \"vendor\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long other = api.post("/api/v1/accounts", "{\"name\": \"Other Vendor\", \"kind\": \"vendor\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long customer = api.post("/api/v1/accounts", "{\"name\": \"Partner Customer\", \"kind\": \"customer\", \"currency\": \"EUR\"}")
                .body().path("id").asLong();
        long deck = api.post("/api/v1/rate-decks", "{\"accountId\": " + vendor + ", \"name\": \"buy\", \"direction\": \"buy\", "
                + "\"currency\": \"EUR\"}").body().path("id").asLong();
        long otherDeck = api.post("/api/v1/rate-decks", "{\"accountId\": " + other + ", \"name\": \"buy\", \"direction\": \"buy\", "
                + "\"currency\": \"EUR\"}").body().path("id").asLong();
        long sellDeck = api.post("/api/v1/rate-decks", "{\"accountId\": " + customer + ", \"name\": \"sell\", \"direction\": \"sell\", "
                + "\"currency\": \"EUR\"}").body().path("id").asLong();
        long importId = api.postCsv("/api/v1/rate-decks/" + sellDeck + "/imports?mode=full", "prefix,destination,rate\n4420,UK,0.010000\n")
                .body().path("id").asLong();
        long notice = api.post("/api/v1/rate-decks/" + sellDeck + "/imports/" + importId + "/commit", "").body().path("notices").get(0).asLong();
        api.put("/api/v1/accounts/" + vendor + "/partner-terms", "{\"submissionPolicy\": \"auto\"}");
        ApiClient partner = api.withKey(api.post("/api/v1/accounts/" + vendor + "/partner-keys", "{\"name\": \"portal\"}").body()
                .path("key").asString());

        long submission = partner.postCsv("/api/v1/partner/rate-decks/" + deck + "/submissions", "prefix,destination,rate\n4420,UK,0.004000\n")
                .body().path("id").asLong();
        assertThat(partner.post("/api/v1/partner/submissions/" + submission + "/submit", "").body().path("status").asString())
                .isEqualTo("applied");
        assertThat(partner.get("/api/v1/partner/rate-decks/" + deck + "/rates.csv").raw()).contains("4420,UK,0.004000,");
        assertThat(partner.get("/api/v1/partner/rate-decks/" + otherDeck + "/rates.csv").status()).isEqualTo(404);
        assertThat(partner.postCsv("/api/v1/partner/rate-decks/" + otherDeck + "/submissions", "prefix,destination,rate\n1,US,0.1\n")
                .status()).isEqualTo(404);
        assertThat(partner.get("/api/v1/partner/notices/" + notice).status()).isEqualTo(404);
        assertThat(partner.get("/api/v1/partner/notices").body().size()).isZero();
        assertThat(partner.get("/api/v1/accounts/" + other).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/rate-notices?account=" + customer).body().get(0).path("mailError").asString()).contains("no notice e-mail");
    }
}
