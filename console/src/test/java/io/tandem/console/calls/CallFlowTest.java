package io.tandem.console.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.api.ApiClient;
import io.tandem.softswitch.registrar.Binding;
import io.tandem.softswitch.registrar.ClusterEnvelope;
import io.tandem.softswitch.registrar.ClusterEvent;
import io.tandem.softswitch.registrar.ClusterEventCodec;
import io.tandem.softswitch.registrar.ClusterEventSeal;
import io.tandem.softswitch.registrar.ClusterSync;
import io.tandem.softswitch.testing.LoopbackDnsServer;
import io.tandem.softswitch.testing.TestCertificateAuthority;
import io.tandem.softswitch.testing.TlsSipPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real calls through a real node: sipp as the customer and as vendors on 127.0.0.1, the node with
 * its embedded PostgreSQL and the demo setup (customer trunk for 127.0.0.1, vendors A and B, sell
 * 0.02/min for 44, both vendors cheaper). What a carrier would notice: who got the call, what the
 * customer's switch heard, and what the customer's balance says afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CallFlowTest {

    static final String KEY = "call-flow-test-key-123456";
    private static final java.util.Set<Integer> RESERVED_PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final int SIP_PORT = freeUdpPort();
    static final int VENDOR_A_PORT = freeUdpPort();
    static final int VENDOR_B_PORT = freeUdpPort();
    /** Vendor B's two edges behind one SRV name; ports of their own, so no earlier failure ranks them. */
    static final int VENDOR_B_FIRST_EDGE_PORT = freeUdpPort();
    static final int VENDOR_B_SECOND_EDGE_PORT = freeUdpPort();
    /** The carriers' DNS: vendor gateways given as domains are looked up here (RFC 3263). */
    static final LoopbackDnsServer DNS = LoopbackDnsServer.start();
    static final int CUSTOMER_PORT = freeUdpPort();
    static final String NUMBER_UK = "442079460001";
    /** sipp's {@code -auth_uri}: it writes {@code sip:} and this as the digest uri, here the Request-URI as real switches do. */
    static final String[] DIGEST_URI = {"-auth_uri", NUMBER_UK + "@127.0.0.1:" + SIP_PORT};

    @TempDir
    static Path dataDir;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.api.bootstrap-key", () -> KEY);
        registry.add("tandem.sip.address", () -> "127.0.0.1");
        registry.add("tandem.sip.port", () -> SIP_PORT);
        registry.add("tandem.sip.tls-port", () -> -1);
        registry.add("tandem.sip.dns-servers", DNS::hostAndPort);
        // RFC 4028 says 90 s; 2 s lets the test watch a session timer run out.
        registry.add("tandem.sip.session-min-se", () -> "2s");
        // A small breaker so the test can open it: 4 attempts, all failed, opens for 3 s.
        registry.add("tandem.breaker.window-size", () -> 4);
        registry.add("tandem.breaker.minimum-calls", () -> 4);
        registry.add("tandem.breaker.open-for", () -> "3s");
        registry.add("tandem.breaker.half-open-calls", () -> 1);
        // Password guessing: slowed after 3 wrong answers (100 ms, then doubling), banned after 5.
        registry.add("tandem.sip.digest.slow-after", () -> 3);
        registry.add("tandem.sip.digest.ban-after", () -> 5);
        registry.add("tandem.sip.digest.first-pause", () -> "100ms");
        // The scanner test meets the tools as they are, not by their User-Agent (which they can change).
        registry.add("tandem.sip.drop-scanners", () -> false);
        // Vendors over TLS are checked against a private CA made for the test, not the JDK's cacerts.
        registry.add("tandem.sip.tls.trust-store", () -> vendorCa().trustStore().toString());
        registry.add("tandem.sip.tls.trust-store-password", () -> TestCertificateAuthority.PASSWORD);
        // The relay's own ports, apart from the sipp ports above; 9 s of silence ends a call (b3 stays 7.5 s silent).
        int media = 34_000 + 200 * new java.util.SplittableRandom().nextInt(100);
        registry.add("tandem.media.port-range", () -> media + "-" + (media + 199));
        registry.add("tandem.media.timeout", () -> "9s");
        // The node takes sealed registration events; the test plays its peer (docs/registrations.md).
        registry.add("tandem.cluster.event-key", () -> CLUSTER_KEY);
    }

    private static TestCertificateAuthority vendorCa;

    /**
     * The vendors' private CA, made once per JVM: the cached node trusts it for as long as it runs, longer than
     * one run of this class (a re-run of a failed test meets the same node).
     */
    static synchronized TestCertificateAuthority vendorCa() {
        if (vendorCa == null) {
            try {
                Path dir = java.nio.file.Files.createTempDirectory("tandem-vendor-ca");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> org.springframework.util.FileSystemUtils.deleteRecursively(dir.toFile())));
                vendorCa = TestCertificateAuthority.create(dir, "Vendor Private CA");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vendorCa;
    }

    static final String CLUSTER_KEY = "call-flow-test-cluster-key";

    @org.springframework.beans.factory.annotation.Autowired
    io.tandem.softswitch.sip.SipStack sipStack;

    @LocalServerPort
    int httpPort;

    ApiClient api;

    @BeforeAll
    static void needsSipp() {
        Sipp.assumeInstalled();
    }

    /**
     * Every test starts from the same world, whatever ran before it: both demo gateways back at their
     * demo settings on this test's vendor ports (no caps, default failover codes, address lookup) and
     * both circuit breakers closed.
     */
    @BeforeEach
    void pointTheDemoGatewaysAtOurVendors() {
        api = new ApiClient("http://127.0.0.1:" + httpPort, KEY);
        long before = tableVersion();
        moveGateway("vendor-a-gw1", VENDOR_A_PORT);
        moveGateway("vendor-b-gw1", VENDOR_B_PORT);
        awaitTrue("routing sees vendor A on port " + VENDOR_A_PORT + " and vendor B on " + VENDOR_B_PORT, () -> {
            JsonNode explain = api.get("/api/v1/routes/explain?trunk=1&number=" + NUMBER_UK).body();
            return explain != null && explain.path("tableVersion").asLong() >= before + 2 && explain.path("candidates").size() > 1
                    && explain.path("candidates").get(0).path("port").asInt() == VENDOR_A_PORT
                    && explain.path("candidates").get(1).path("port").asInt() == VENDOR_B_PORT;
        });
        for (String name : List.of("vendor-a-gw1", "vendor-b-gw1")) {
            ApiClient.Response reset = api.post("/api/v1/node/breakers/" + gateway(name).path("id").asLong() + "/reset", "{}");
            assertThat(reset.status()).as(reset.raw()).isEqualTo(200);
        }
    }

    @Test
    void a_answeredCallIsRelayedAndBilledAtTheSellRate() {
        BigDecimal before = balance(1);
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "1000");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        // 1 s hold, billed per second at 0.02/min: 1 or 2 started seconds.
        awaitTrue("the call is settled", () -> balance(1).compareTo(before) < 0);
        BigDecimal charged = before.subtract(balance(1));
        assertThat(charged).isIn(new BigDecimal("0.000333"), new BigDecimal("0.000667"));
        JsonNode ledger = api.get("/api/v1/accounts/1/ledger").body();
        assertThat(ledger.get(0).path("kind").asString()).isEqualTo("call");
        assertThat(new BigDecimal(ledger.get(0).path("amount").asString()).negate()).isEqualByComparingTo(charged);
        String metrics = api.withKey(null).get("/actuator/prometheus").raw();
        assertThat(metrics).containsPattern("tandem_calls_answered_total(\\{[^}]*\\})? [1-9]")
                .containsPattern("tandem_customer_calls_total\\{[^}]*customer=\"1\"[^}]*result=\"answered\"[^}]*\\} [1-9]")
                .containsPattern("tandem_customer_revenue_total\\{[^}]*currency=\"[A-Z]{3}\"[^}]*customer=\"1\"[^}]*\\} [0-9.E-]*[1-9]")
                .containsPattern("tandem_vendor_attempts_total\\{[^}]*result=\"answered\"[^}]*vendor=\"" + gateway("vendor-a-gw1").path("accountId").asLong() + "\"[^}]*\\} [1-9]")
                .containsPattern("tandem_vendor_pdd_seconds_count\\{[^}]*\\} [1-9]")
                .containsPattern("tandem_sip_requests_total\\{[^}]*direction=\"received\"[^}]*method=\"INVITE\"[^}]*\\} [1-9]")
                .containsPattern("tandem_sip_requests_total\\{[^}]*direction=\"sent\"[^}]*method=\"INVITE\"[^}]*\\} [1-9]")
                .containsPattern("tandem_sip_responses_total\\{[^}]*direction=\"sent\"[^}]*status=\"200\"[^}]*\\} [1-9]")
                .containsPattern("tandem_billing_authorizations_total\\{[^}]*result=\"granted\"[^}]*\\} [1-9]");

        String callUuid = ledger.get(0).path("callUuid").asString();
        JsonNode attempts = api.get("/api/v1/cdrs/" + callUuid).body();
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).path("calleeOut").asString()).isEqualTo(NUMBER_UK);
        assertThat(new BigDecimal(attempts.get(0).path("sellCost").asString())).isEqualByComparingTo(charged);
        assertThat(new BigDecimal(attempts.get(0).path("buyCost").asString())).isPositive().isLessThan(charged);
        String csv = api.get("/api/v1/cdrs.csv?from=" + Instant.now().minusSeconds(3600) + "&until=" + Instant.now().plusSeconds(60)).raw();
        assertThat(csv).contains(callUuid, NUMBER_UK);
    }

    @Test
    void b_aFailingVendorFailsOverToTheNextOne() {
        BigDecimal before = balance(1);
        try (Sipp failing = vendor("vendor-reject.xml", VENDOR_A_PORT, Map.of("CODE", "503", "PHRASE", "Service Unavailable"));
             Sipp answering = vendor("vendor-answer.xml", VENDOR_B_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "500");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(failing.await(20)).as(failing.output()).isZero();
            assertThat(answering.await(20)).as(answering.output()).isZero();
        }
        awaitTrue("the call is settled", () -> balance(1).compareTo(before) < 0);
        JsonNode node = api.get("/api/v1/node").body();
        assertThat(node.path("failovers").asLong()).isPositive();
    }

    /**
     * The call of a failover, as an operator troubleshooting it would open it: every message of the
     * customer leg and of both vendor attempts, in and out, in order, with addresses and full text;
     * and no capture for a key that only views.
     */
    @Test
    void n_everyMessageOfEveryLegOfACallIsCaptured() {
        BigDecimal before = balance(1);
        try (Sipp failing = vendor("vendor-reject.xml", VENDOR_A_PORT, Map.of("CODE", "503", "PHRASE", "Service Unavailable"));
             Sipp answering = vendor("vendor-answer.xml", VENDOR_B_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "200");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(failing.await(20)).as(failing.output()).isZero();
            assertThat(answering.await(20)).as(answering.output()).isZero();
        }
        awaitTrue("the call is settled", () -> balance(1).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/1/ledger").body().get(0).path("callUuid").asString();
        String path = "/api/v1/calls/" + callUuid + "/capture";
        // the customer's 200 for BYE is the last message of the call
        awaitTrue("the capture has the whole call", () -> {
            JsonNode c = api.get(path).body();
            return c != null && labels(c, "switch", "customer").contains("200 OK (BYE)");
        });
        JsonNode capture = api.get(path).body();
        assertThat(capture.path("dropped").asInt()).isZero();
        assertThat(capture.path("parties").valueStream().map(p -> p.path("key").asString()).toList()).containsExactly("customer", "switch", "attempt-1", "attempt-2");
        assertThat(capture.path("parties").get(0).path("address").asString()).isEqualTo("127.0.0.1:" + CUSTOMER_PORT);
        assertThat(capture.path("parties").get(2).path("address").asString()).isEqualTo("127.0.0.1:" + VENDOR_A_PORT);
        assertThat(capture.path("parties").get(3).path("address").asString()).isEqualTo("127.0.0.1:" + VENDOR_B_PORT);
        assertThat(labels(capture, "customer", "switch")).startsWith("INVITE").contains("ACK", "BYE");
        assertThat(labels(capture, "switch", "customer")).contains("100 Trying (INVITE)", "200 OK (INVITE)", "200 OK (BYE)");
        assertThat(labels(capture, "switch", "attempt-1")).containsExactly("INVITE", "ACK");
        assertThat(labels(capture, "attempt-1", "switch")).contains("503 Service Unavailable (INVITE)");
        assertThat(labels(capture, "switch", "attempt-2")).contains("INVITE", "ACK", "BYE");
        assertThat(labels(capture, "attempt-2", "switch")).contains("200 OK (INVITE)", "200 OK (BYE)");
        JsonNode first = capture.path("messages").get(0);
        assertThat(first.path("text").asString()).startsWith("INVITE sip:" + NUMBER_UK).contains("\r\n\r\n");
        assertThat(first.path("transport").asString()).isEqualTo("UDP");
        assertThat(first.path("local").asString()).isEqualTo("127.0.0.1:" + SIP_PORT);
        long previous = 0;
        for (JsonNode m : capture.path("messages")) {
            assertThat(m.path("offsetMillis").asLong()).isGreaterThanOrEqualTo(previous);
            previous = m.path("offsetMillis").asLong();
        }

        String viewer = api.post("/api/v1/api-keys", "{\"name\": \"capture-viewer\", \"role\": \"viewer\"}").body().path("key").asString();
        assertThat(api.withKey(viewer).get(path).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/calls/" + java.util.UUID.randomUUID() + "/capture").status()).isEqualTo(404);
    }

    /** The labels of the captured messages from one party to another, in order. */
    private static List<String> labels(JsonNode capture, String from, String to) {
        List<String> labels = new ArrayList<>();
        for (JsonNode m : capture.path("messages")) {
            if (m.path("from").asString().equals(from) && m.path("to").asString().equals(to)) {
                labels.add(m.path("label").asString());
            }
        }
        return labels;
    }

    @Test
    void c_aBusyCalleeIsRelayedWithoutFailover() {
        try (Sipp busy = vendor("vendor-reject.xml", VENDOR_A_PORT, Map.of("CODE", "486", "PHRASE", "Busy Here"))) {
            Sipp customer = customer("customer-expect-final.xml", "127.0.0.1", NUMBER_UK, Map.of("CODE", "486"));
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(busy.await(20)).as(busy.output()).isZero();
        }
    }

    @Test
    void d_aNumberWithoutSellRateGets404() {
        Sipp customer = customer("customer-expect-final.xml", "127.0.0.1", "999123", Map.of("CODE", "404"));
        assertThat(customer.await(40)).as(customer.output()).isZero();
        assertThat(api.withKey(null).get("/actuator/prometheus").raw())
                .containsPattern("tandem_calls_rejections_total\\{[^}]*reason=\"no-route\"[^}]*\\} [1-9]")
                .containsPattern("tandem_calls_rejections_total\\{[^}]*reason=\"node-draining\"[^}]*\\} [0-9]");
    }

    @Test
    void e_anUnknownSourceGets403OrAChallenge() {
        // Without credentials an unknown source is refused 403, or challenged 407 once any trunk has digest
        // users (another test may have made one): either way no call starts.
        boolean digestUsers = false;
        for (JsonNode trunk : api.get("/api/v1/ingress-trunks").body()) {
            digestUsers |= trunk.path("digestUsers").size() > 0;
        }
        Sipp customer = customer("customer-expect-final.xml", "127.0.0.2", NUMBER_UK, Map.of("CODE", digestUsers ? "407" : "403"));
        assertThat(customer.await(40)).as(customer.output()).isZero();
    }

    @Test
    void f_aCustomerWithoutMoneyGets402AndOneOverItsCpsLimitGets503() {
        long broke = api.post("/api/v1/accounts", "{\"name\": \"Broke Telecom\", \"kind\": \"customer\", \"currency\": \"USD\"}")
                .body().path("id").asLong();
        long brokeTrunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "broke-trunk", "sourceCidrs": ["127.0.0.3/32"], "routingProfileId": 1, "sellDeckId": %d}"""
                .formatted(broke, demoPricesDeck(broke, "broke-sell"))).body().path("id").asLong();
        long limited = api.post("/api/v1/accounts", """
                {"name": "Limited Telecom", "kind": "customer", "currency": "USD", "openingBalance": "10", "maxCps": 0}""")
                .body().path("id").asLong();
        long limitedTrunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "limited-trunk", "sourceCidrs": ["127.0.0.4/32"], "routingProfileId": 1, "sellDeckId": %d}"""
                .formatted(limited, demoPricesDeck(limited, "limited-sell"))).body().path("id").asLong();
        awaitTrunkLive(brokeTrunk);
        awaitTrunkLive(limitedTrunk);

        Sipp noMoney = customer("customer-expect-final.xml", "127.0.0.3", NUMBER_UK, Map.of("CODE", "402"));
        assertThat(noMoney.await(40)).as(noMoney.output()).isZero();
        Sipp overLimit = customer("customer-expect-final.xml", "127.0.0.4", NUMBER_UK, Map.of("CODE", "503"));
        assertThat(overLimit.await(40)).as(overLimit.output()).isZero();
    }

    @Test
    void g_aCustomerCancelWhileRingingCancelsTheVendorLeg() {
        try (Sipp ringing = vendor("vendor-ring.xml", VENDOR_A_PORT, Map.of())) {
            Sipp customer = customer("customer-cancel.xml", "127.0.0.1", NUMBER_UK, Map.of());
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(ringing.await(20)).as("the vendor saw our CANCEL: " + ringing.output()).isZero();
        }
    }

    @Test
    void h_whenTheMoneyRunsOutTheSwitchHangsUpAndTheBalanceEndsAtZero() {
        long prepaid = prepaidCustomer("Tiny Prepaid", "tiny-trunk", "127.0.0.6");

        Instant started = Instant.now();
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            // 0.001 at 0.02/min buys 3 s; the customer would talk for ever.
            Sipp customer = customer("customer-until-bye.xml", "127.0.0.6", NUMBER_UK, Map.of());
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        assertThat(Duration.between(started, Instant.now())).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
        awaitTrue("the call is settled", () -> balance(prepaid).signum() == 0);
        assertThat(balance(prepaid)).isEqualByComparingTo("0");
    }

    /**
     * Behind the documented Kamailio dispatcher (it record-routes and refuses in-dialog requests that
     * fail loose_route with 404), the BYE the switch sends when the money runs out must carry the
     * route set, or the customer keeps a half-call (RFC 3261 §12.2.1.1).
     */
    @Test
    void h2_behindTheKamailioDispatcherTheSwitchsByeReachesTheCustomer() {
        Kamailio.assumeInstalled();
        long prepaid = prepaidCustomer("Proxied Prepaid", "proxied-trunk", "127.0.0.9");
        int proxyPort = freeUdpPort();
        // The proxy sends from 127.0.0.9, so the node sees the prepaid trunk's address.
        try (Kamailio proxy = Kamailio.start(work, "127.0.0.9", proxyPort, "sip:127.0.0.1:" + SIP_PORT);
             Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            String[] arguments = {"-i", "127.0.0.1", "-p", Integer.toString(CUSTOMER_PORT), "-s", NUMBER_UK, "-m", "1",
                "-timeout", "30s", "-timeout_error", "127.0.0.9:" + proxyPort};
            Sipp customer = Sipp.start(work, "customer-until-bye-via-proxy.xml", Map.of(), arguments);
            assertThat(customer.await(40)).as(customer.output() + "\nkamailio: " + proxy.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        awaitTrue("the call is settled", () -> balance(prepaid).signum() == 0);
    }

    @Test
    void i_aTrunkWithDigestUsersChallengesAndAcceptsTheRightPassword() {
        long customer = api.post("/api/v1/accounts", """
                {"name": "Digest Telecom", "kind": "customer", "currency": "USD", "openingBalance": "5"}""")
                .body().path("id").asLong();
        ApiClient.Response trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "digest-trunk", "routingProfileId": 1, "sellDeckId": %d,
                 "digestUsers": [{"username": "digestco", "password": "correct-horse"}]}""".formatted(customer, demoPricesDeck(customer, "digest-sell")));
        assertThat(trunk.status()).as(trunk.raw()).isEqualTo(201);
        awaitTrunkLive(trunk.body().path("id").asLong());

        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            // sipp's digest uri is "sip:host:port" unless told; a real switch uses the Request-URI, which the node requires.
            Sipp caller = customer("customer-digest.xml", "127.0.0.7", NUMBER_UK, Map.of("USER", "digestco", "PASSWORD", "correct-horse"),
                    DIGEST_URI);
            assertThat(caller.await(40)).as(caller.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        // Guessing passwords: slowed after 3 wrong answers to its own challenges, banned after 5, even with the right password.
        for (int i = 0; i < 5; i++) {
            Sipp wrong = customer("customer-digest.xml", "127.0.0.7", NUMBER_UK, Map.of("USER", "digestco", "PASSWORD", "wrong-horse"),
                    DIGEST_URI);
            assertThat(wrong.await(40)).as("a wrong password must not get a call through").isNotZero();
        }
        Sipp banned = customer("customer-digest.xml", "127.0.0.7", NUMBER_UK, Map.of("USER", "digestco", "PASSWORD", "correct-horse"),
                DIGEST_URI);
        assertThat(banned.await(60)).as("a banned source gets no answer").isNotZero();
        assertThat(banned.output()).containsPattern("INVITE ---------->\\s+1\\s+[1-9]");   // sent, retransmitted, never answered
        assertThat(api.withKey(null).get("/actuator/prometheus").raw()).containsPattern("tandem_sip_flood_bans_total(\\{[^}]*\\})? [1-9]");
    }

    /**
     * SIPVicious from two strangers' addresses while a provisioned carrier sends 50 calls/s for 10 s: the
     * extension sweep and the password guessing are cut off within seconds and learn nothing (every user
     * looks alike; the password, inside the guessed range, is never reached), and every carrier call completes.
     */
    @Test
    void z_aSipviciousScanIsCutOffAndLearnsNothingWhileACarrierCallsOn() throws Exception {
        Sipvicious.assumeInstalled();
        long account = api.post("/api/v1/accounts", """
                {"name": "Scanned PBX Co", "kind": "customer", "currency": "USD", "openingBalance": "5"}""")
                .body().path("id").asLong();
        ApiClient.Response trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "scanned-trunk", "routingProfileId": 1, "sellDeckId": %d,
                 "digestUsers": [{"username": "1001", "password": "12345678"}]}""".formatted(account, demoPricesDeck(account, "scanned-sell")));
        assertThat(trunk.status()).as(trunk.raw()).isEqualTo(201);
        awaitTrunkLive(trunk.body().path("id").asLong());
        String node = "127.0.0.1";
        String port = Integer.toString(SIP_PORT);

        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of(), "-m", "500", "-timeout", "60s")) {
            Sipp carrier = Sipp.start(work, "customer-call.xml", Map.of(), "-i", "127.0.0.1", "-p", Integer.toString(CUSTOMER_PORT),
                    "-s", NUMBER_UK, "-r", "50", "-m", "500", "-d", "100", "-timeout", "60s", "-timeout_error", node + ":" + port);
            String map;
            String sweep;
            String register;
            String invite;
            String crack;
            // 127.0.0.66 maps the node and sweeps 101 extensions with OPTIONS at full speed; .68 enumerates by REGISTER,
            // .69 by INVITE; .67 guesses the password of 1001, which lies inside its range.
            try (Sipvicious svmap = Sipvicious.start(work, "127.0.0.66", "svmap", "-p", port, node);
                 Sipvicious svwarOptions = Sipvicious.start(work, "127.0.0.66", "svwar", "-P", Integer.toString(freeUdpPort()),
                         "-p", port, "-m", "OPTIONS", "-e", "1000-1100", "--maximumtime=5", node);
                 Sipvicious svwarRegister = Sipvicious.start(work, "127.0.0.68", "svwar", "-P", Integer.toString(freeUdpPort()),
                         "-p", port, "-e", "1000-1100", "--maximumtime=5", node);
                 Sipvicious svwarInvite = Sipvicious.start(work, "127.0.0.69", "svwar", "-P", Integer.toString(freeUdpPort()),
                         "-p", port, "-m", "INVITE", "--force", "-e", "1000-1100", "--maximumtime=5", node);
                 Sipvicious svcrack = Sipvicious.start(work, "127.0.0.67", "svcrack", "-P", Integer.toString(freeUdpPort()),
                         "-p", port, "-m", "INVITE", "-u", "1001", "-r", "12345670-12345690", "--maximumtime=5", node)) {
                map = svmap.await(30);
                sweep = svwarOptions.await(30);
                register = svwarRegister.await(30);
                invite = svwarInvite.await(30);
                crack = svcrack.await(30);
            }
            // What the carrier notices: all 500 calls answered and ended (sipp exits 0 only if every call passed).
            assertThat(carrier.await(60)).as("every carrier call completes\n" + carrier.output()).isZero();
            vendor.await(20);
            assertThat(vendor.output()).as("the vendor was offered every carrier call").containsPattern("INVITE\\s+500\\s");

            for (String enumeration : List.of(sweep, register, invite)) {
                assertThat(enumeration).as("svwar tells 1001 from the others:\n" + enumeration)
                        .doesNotContainPattern("(?m)^\\|\\s*1001\\s*\\|");
            }
            assertThat(crack).as("svcrack found the password:\n" + crack).doesNotContain("12345678");
            assertThat(sipStack.floodGuard().isBanned(InetAddress.getByName("127.0.0.66"))).as("the sweep is cut off\n" + sweep).isTrue();
            assertThat(sipStack.floodGuard().isBanned(InetAddress.getByName("127.0.0.67"))).as("the guesser is cut off\n" + crack).isTrue();
            assertThat(map).as("svmap ran").isNotBlank();
        }
    }

    @Test
    void ia_aSessionRefreshAndAnInfoMidCallReachTheVendor() {
        try (Sipp vendor = vendor("vendor-reinvite.xml", VENDOR_A_PORT, Map.of())) {
            Sipp customer = customer("customer-reinvite.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "200");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
    }

    @Test
    void j_aFailingVendorsBreakerOpensSoCallsGoStraightToTheNextAndHalfOpensLater() {
        // Vendor A fails every call; customers still get through via vendor B until A's breaker opens.
        for (int i = 0; i < 4 && !api.get("/api/v1/node/breakers").raw().contains("\"breaker\":\"OPEN\""); i++) {
            try (Sipp failing = vendor("vendor-reject.xml", VENDOR_A_PORT, Map.of("CODE", "503", "PHRASE", "Service Unavailable"));
                 Sipp answering = vendor("vendor-answer.xml", VENDOR_B_PORT, Map.of())) {
                Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "100");
                assertThat(customer.await(40)).as(customer.output()).isZero();
                assertThat(answering.await(20)).as(answering.output()).isZero();
            }
        }
        assertThat(api.get("/api/v1/node/breakers").raw()).contains("\"breaker\":\"OPEN\"");

        // Open: vendor A is not even offered the call.
        try (Sipp idleA = vendor("vendor-reject.xml", VENDOR_A_PORT, Map.of("CODE", "503", "PHRASE", "Service Unavailable"));
             Sipp answering = vendor("vendor-answer.xml", VENDOR_B_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "100");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(answering.await(20)).as(answering.output()).isZero();
            assertThat(idleA.await(2)).as("vendor A must not get a call while its breaker is open").isNotZero();
        }

        // After open-for, a probe call reaches vendor A again (half-open), and its answer closes the breaker.
        pause(Duration.ofMillis(3500));   // tandem.breaker.open-for is 3 s
        try (Sipp healed = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "100");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(healed.await(20)).as("the half-open probe reaches vendor A: " + healed.output()).isZero();
        }
    }

    @Test
    void k_aDrainingNodeAnswersNewCalls503AndTakesThemAgainAfterwards() {
        assertThat(api.post("/api/v1/node/drain", "{\"draining\": true}").body().path("draining").asBoolean()).isTrue();
        try {
            Sipp refused = customer("customer-expect-final.xml", "127.0.0.1", NUMBER_UK, Map.of("CODE", "503"));
            assertThat(refused.await(40)).as(refused.output()).isZero();
        } finally {
            api.post("/api/v1/node/drain", "{\"draining\": false}");
        }
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "100");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            // The customer is done once the switch answered its BYE; the vendor gets its own BYE a
            // moment later. Stopping the vendor before that leaves the switch retransmitting the
            // BYE to its port, where the next test's vendor would take it for a stray request.
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
    }

    @Test
    void l_aGatewaysOwnFailoverCodesAndCallCapApply() {
        JsonNode gatewayA = gateway("vendor-a-gw1");
        long before = tableVersion();
        // Vendor A fails over only on 503: its 500 goes to the customer as it came.
        api.put("/api/v1/vendor-gateways/" + gatewayA.path("id").asLong(), """
                {"accountId": %d, "name": "vendor-a-gw1", "host": "127.0.0.1", "port": %d, "priority": %d, "failoverCodes": [503]}"""
                .formatted(gatewayA.path("accountId").asLong(), VENDOR_A_PORT, gatewayA.path("priority").asInt()));
        awaitTrue("routing sees the new failover codes", () -> tableVersion() > before);
        try (Sipp failing = vendor("vendor-reject.xml", VENDOR_A_PORT, Map.of("CODE", "500", "PHRASE", "Server Internal Error"))) {
            Sipp customer = customer("customer-expect-final.xml", "127.0.0.1", NUMBER_UK, Map.of("CODE", "500"));
            assertThat(customer.await(40)).as(() -> customer.output() + "\n--- vendor A ---\n" + failing.output()).isZero();
            assertThat(failing.await(20)).as(failing.output()).isZero();
        }

        // Vendor A may carry no call at all: it is passed over for vendor B.
        long beforeCap = tableVersion();
        api.put("/api/v1/vendor-gateways/" + gatewayA.path("id").asLong(), """
                {"accountId": %d, "name": "vendor-a-gw1", "host": "127.0.0.1", "port": %d, "priority": %d, "maxConcurrentCalls": 0}"""
                .formatted(gatewayA.path("accountId").asLong(), VENDOR_A_PORT, gatewayA.path("priority").asInt()));
        awaitTrue("routing sees the cap", () -> tableVersion() > beforeCap);
        try (Sipp idleA = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of());
             Sipp answering = vendor("vendor-answer.xml", VENDOR_B_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "100");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(answering.await(20)).as(answering.output()).isZero();
            assertThat(idleA.await(2)).as("vendor A is capped at 0 calls").isNotZero();
        }
    }

    @Test
    void m_aGatewayFoundBySrvTriesItsNextEdgeAfterA503BeforeAnyOtherVendor() {
        // Vendor B is found by SRV; vendor A (tried first otherwise) is capped at 0 calls.
        DNS.srv("_sip._udp.vendor-b.test", 10, 0, VENDOR_B_FIRST_EDGE_PORT, "edge1.vendor-b.test")
                .srv("_sip._udp.vendor-b.test", 20, 0, VENDOR_B_SECOND_EDGE_PORT, "edge2.vendor-b.test")
                .a("edge1.vendor-b.test", "127.0.0.1")
                .a("edge2.vendor-b.test", "127.0.0.1");
        JsonNode gatewayA = gateway("vendor-a-gw1");
        JsonNode gatewayB = gateway("vendor-b-gw1");
        long before = tableVersion();
        assertThat(api.put("/api/v1/vendor-gateways/" + gatewayA.path("id").asLong(), """
                {"accountId": %d, "name": "vendor-a-gw1", "host": "127.0.0.1", "port": %d, "priority": %d, "maxConcurrentCalls": 0}"""
                .formatted(gatewayA.path("accountId").asLong(), VENDOR_A_PORT, gatewayA.path("priority").asInt())).status())
                .isEqualTo(200);
        ApiClient.Response updated = api.put("/api/v1/vendor-gateways/" + gatewayB.path("id").asLong(), """
                {"accountId": %d, "name": "vendor-b-gw1", "host": "vendor-b.test", "port": 5060, "priority": %d, "dnsLookup": "srv"}"""
                .formatted(gatewayB.path("accountId").asLong(), gatewayB.path("priority").asInt()));
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(updated.body().path("dnsLookup").asString()).isEqualTo("srv");
        awaitTrue("routing sees the SRV gateway and the cap", () -> tableVersion() >= before + 2);
        awaitTrue("vendor B's breaker is not open", () -> !api.get("/api/v1/node/breakers").raw().contains(
                "\"gatewayId\":" + gatewayB.path("id").asLong() + ",\"breaker\":\"OPEN\""));
        BigDecimal balanceBefore = balance(1);
        try (Sipp firstEdge = vendor("vendor-reject.xml", VENDOR_B_FIRST_EDGE_PORT, Map.of("CODE", "503", "PHRASE", "Service Unavailable"));
             Sipp secondEdge = vendor("vendor-answer.xml", VENDOR_B_SECOND_EDGE_PORT, Map.of())) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "300");
            assertThat(customer.await(40)).as(() -> customer.output() + "\n--- first edge ---\n" + firstEdge.output()
                    + "\n--- second edge ---\n" + secondEdge.output() + "\n--- breakers ---\n"
                    + api.get("/api/v1/node/breakers").raw()).isZero();
            assertThat(firstEdge.await(20)).as(firstEdge.output()).isZero();
            assertThat(secondEdge.await(20)).as(secondEdge.output()).isZero();
        }
        awaitTrue("the call is settled", () -> balance(1).compareTo(balanceBefore) < 0);
        String callUuid = api.get("/api/v1/accounts/1/ledger").body().get(0).path("callUuid").asString();
        JsonNode attempts = api.get("/api/v1/cdrs/" + callUuid).body();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("vendorGatewayId").asLong()).isEqualTo(gatewayB.path("id").asLong());
        assertThat(attempts.get(0).path("sipCode").asInt()).isEqualTo(503);
        assertThat(attempts.get(1).path("vendorGatewayId").asLong()).as("the same vendor's second edge answered")
                .isEqualTo(gatewayB.path("id").asLong());
        assertThat(attempts.get(1).path("sipCode").asInt()).isEqualTo(200);

        ApiClient.Response literal = api.put("/api/v1/vendor-gateways/" + gatewayB.path("id").asLong(), """
                {"accountId": %d, "name": "vendor-b-gw1", "host": "127.0.0.1", "port": 5060, "dnsLookup": "naptr"}"""
                .formatted(gatewayB.path("accountId").asLong()));
        assertThat(literal.status()).isEqualTo(400);
        assertThat(literal.body().path("fields").path("dnsLookup").asString()).contains("domain name");
    }

    /**
     * Issue #15 item 6. Vendor A's gateway over TLS first presents a chain from a CA we do not trust,
     * then (given another name) a certificate for vendor B's name: each time the attempt fails at
     * once and the hunt goes on to vendor B over TLS, whose certificate chains to the vendors' CA
     * in our trust store and names the gateway's host; SNI carries that name.
     */
    @Test
    void n_aVendorOverTlsIsReachedOnlyWithATrustedChainForItsNameWhichSniCarries() {
        TestCertificateAuthority stranger = TestCertificateAuthority.create(work.resolve("stranger-ca"), "Stranger CA");
        DNS.a("tls-a.vendor.test", "127.0.0.1").a("tls-b.vendor.test", "127.0.0.1").a("tls-wrong.vendor.test", "127.0.0.1");
        try (TlsSipPeer impostor = TlsSipPeer.start(stranger.issue("impostor", "DNS:tls-a.vendor.test"));
             TlsSipPeer vendorB = TlsSipPeer.start(vendorCa().issue("vendor-b", "DNS:tls-b.vendor.test"))) {
            placeGateways("tls-a.vendor.test", impostor.port(), "tls-b.vendor.test", vendorB.port());
            Sipp untrusted = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "300");
            assertThat(untrusted.await(40)).as(untrusted.output()).isZero();
            assertThat(impostor.methods()).as("nothing sent to a peer whose chain we do not trust").isEmpty();
            assertThat(impostor.failedHandshakes()).isPositive();
            awaitTrue("vendor B got the call and its BYE over TLS", () -> vendorB.methods().equals(List.of("INVITE", "ACK", "BYE")));

            placeGateways("tls-wrong.vendor.test", vendorB.port(), "tls-b.vendor.test", vendorB.port());
            Sipp wrongName = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "300");
            assertThat(wrongName.await(40)).as(wrongName.output()).isZero();
            assertThat(vendorB.failedHandshakes()).as("the certificate does not name tls-wrong.vendor.test").isPositive();
            awaitTrue("both calls reached vendor B and ended", () -> vendorB.methods().stream().filter("BYE"::equals).count() == 2);
            assertThat(vendorB.methods().stream().filter("INVITE"::equals)).as("both calls reached vendor B").hasSize(2);
            assertThat(vendorB.serverNames()).isNotEmpty().allMatch("tls-b.vendor.test"::equals);
        }
        JsonNode node = api.get("/api/v1/node").body();
        assertThat(node.path("failovers").asLong()).isPositive();
    }

    /** Vendor A's and B's gateways over TLS at these names and ports, once routing uses them. */
    private void placeGateways(String hostA, int portA, String hostB, int portB) {
        long before = tableVersion();
        for (String[] g : List.of(new String[] {"vendor-a-gw1", hostA, Integer.toString(portA)},
                new String[] {"vendor-b-gw1", hostB, Integer.toString(portB)})) {
            JsonNode gateway = gateway(g[0]);
            ApiClient.Response updated = api.put("/api/v1/vendor-gateways/" + gateway.path("id").asLong(), """
                    {"accountId": %d, "name": "%s", "host": "%s", "port": %s, "priority": %d, "transport": "tls"}"""
                    .formatted(gateway.path("accountId").asLong(), g[0], g[1], g[2], gateway.path("priority").asInt()));
            assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        }
        awaitTrue("routing sees both gateways over TLS", () -> {
            JsonNode explain = api.get("/api/v1/routes/explain?trunk=1&number=" + NUMBER_UK).body();
            return explain != null && explain.path("tableVersion").asLong() >= before + 2
                    && explain.path("candidates").get(0).path("port").asInt() == portA
                    && explain.path("candidates").get(1).path("port").asInt() == portB;
        });
    }

    @Test
    void a2_aVendorsRetransmitted200IsAckedAgainAndTheCallIsAnsweredOnce() {
        long answeredBefore = api.get("/api/v1/node").body().path("answered").asLong();
        // -nr: sipp would answer each (identical) re-ACK with its 200 again, and the switch would ACK that.
        try (Sipp vendor = vendor("vendor-answer-twice.xml", VENDOR_A_PORT, Map.of(), "-nr")) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "500");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        assertThat(api.get("/api/v1/node").body().path("answered").asLong()).isEqualTo(answeredBefore + 1);
    }

    @Test
    void b0_aTrunksAssertedIdentityPolicyDecidesWhatVendorsSee() {
        try {
            // pass (the default): the customer's own P-Asserted-Identity reaches the vendor.
            callExpectingOnVendor(paiCheck("sip:4930123456@customer\\.example", false));
            // caller: the switch asserts the translated caller number at its own address instead.
            setAssertedIdentity("caller");
            callExpectingOnVendor(paiCheck("sip:[0-9]+@127\\.0\\.0\\.1>", false));
            // strip: the vendor sees none at all.
            setAssertedIdentity("strip");
            callExpectingOnVendor(paiCheck(".+", true));
            ApiClient.Response bad = api.put("/api/v1/ingress-trunks/1", trunkWithAssertedIdentity("trusted"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body().path("fields").path("assertedIdentity").asString()).isEqualTo("one of pass, strip, caller");
        } finally {
            setAssertedIdentity("pass");
        }
    }

    @Test
    void b2_aSessionTimerTheCustomerNeverRefreshesEndsTheCallAndATooShortOneGets422() {
        Sipp tooShort = customer("customer-expect-final.xml", "127.0.0.1", NUMBER_UK, Map.of("CODE", "422",
                "INVITE_EXTRA", "\n      Supported: timer\n      Session-Expires: 1;refresher=uac",
                "FINAL_CHECK", "<action><ereg regexp=\"^ *2$\" search_in=\"hdr\" header=\"Min-SE:\" check_it=\"true\" "
                        + "assign_to=\"minse\"/><log message=\"Min-SE [$minse]\"/></action>"));
        assertThat(tooShort.await(40)).as(tooShort.output()).isZero();

        BigDecimal before = balance(1);
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            // Session-Expires 3 s, never refreshed: the switch hangs up both legs at 3 - min(32, 3/3) = 2 s.
            Sipp customer = customer("customer-session-timer.xml", "127.0.0.1", NUMBER_UK, Map.of("SE", "3"));
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as("the vendor leg got the BYE too: " + vendor.output()).isZero();
        }
        awaitTrue("the call is settled", () -> balance(1).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/1/ledger").body().get(0).path("callUuid").asString();
        JsonNode answered = api.get("/api/v1/cdrs/" + callUuid).body().get(0);
        assertThat(answered.path("sipReason").asString()).isEqualTo("session timer expired");
        long talkMillis = Duration.between(Instant.parse(answered.path("answeredAt").asString()),
                Instant.parse(answered.path("endedAt").asString())).toMillis();
        assertThat(talkMillis).as("hung up 2 s after the answer").isBetween(1_800L, 3_000L);
    }

    @Test
    void b3_aRefreshedSessionTimerKeepsTheCallUp() {
        BigDecimal before = balance(1);
        try (Sipp vendor = vendor("vendor-reinvite.xml", VENDOR_A_PORT, Map.of())) {
            // 9 s timer: without the refresh at 3 s the switch would hang up at 9 - 3 = 6 s (after it, at 3 + 6 = 9 s);
            // the customer hangs up at about 7.5 s, 1.5 s clear of both.
            Sipp customer = customer("customer-reinvite.xml", "127.0.0.1", NUMBER_UK, Map.of(
                    "INVITE_EXTRA", "\n      Supported: timer\n      Session-Expires: 9;refresher=uac",
                    "REFRESH_CHECK", "<action><ereg regexp=\"9;refresher=uac\" search_in=\"hdr\" header=\"Session-Expires:\" "
                            + "check_it=\"true\" assign_to=\"se\"/><log message=\"Session-Expires [$se]\"/></action>",
                    "HOLD_EXTRA", "<pause milliseconds=\"4500\"/>"), "-d", "3000");
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        awaitTrue("the call is settled", () -> balance(1).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/1/ledger").body().get(0).path("callUuid").asString();
        JsonNode answered = api.get("/api/v1/cdrs/" + callUuid).body().get(0);
        assertThat(answered.path("sipReason").asString()).isEqualTo("customer hung up");
        assertThat(answered.path("hangupSide").asString()).isEqualToIgnoringCase("caller");
    }

    /**
     * The RTP relay end to end. The customer's SDP names 10.0.0.5 (behind a NAT) while its packets come from
     * 127.0.0.7; vendor A is sipp echoing RTP on 127.0.0.3. Each leg's SDP must name only the switch; the
     * customer's audio reaches the vendor and its echo comes back through the relay; a stranger on 127.0.0.9
     * sending a well-formed stream to the same port gets nothing through. Then silence: 9 s later
     * ({@code tandem.media.timeout}) the switch ends the call with BYE both ways, Reason and CDR reason
     * "media timeout", billed to that second.
     */
    @Test
    void n_rtpIsRelayedBothWaysBehindNatAHijackerIsIgnoredAndSilenceEndsTheCallBilledToTheSecond() throws Exception {
        // A customer of its own on a new trunk, which is "relay" by default (the demo trunk is "bypass").
        long account = api.post("/api/v1/accounts", """
                {"name": "Relay Telecom", "kind": "customer", "currency": "USD", "openingBalance": "5"}""").body().path("id").asLong();
        ApiClient.Response trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "relay-trunk", "sourceCidrs": ["127.0.0.8/32"], "routingProfileId": 1, "sellDeckId": %d}"""
                .formatted(account, demoPricesDeck(account, "relay-sell")));
        assertThat(trunk.status()).as(trunk.raw()).isEqualTo(201);
        assertThat(trunk.body().path("mediaMode").asString()).isEqualToIgnoringCase("relay");
        awaitTrunkLive(trunk.body().path("id").asLong());
        BigDecimal before = balance(account);
        int echoPort = freeUdpPort() & ~1;
        Path sippLog = work.resolve("customer-rtp.log");
        String vendorSeesOnlyTheSwitch = "<action><ereg regexp=\"c=IN IP4 127\\.0\\.0\\.1\" search_in=\"body\" check_it=\"true\" assign_to=\"c\"/>"
                + "<ereg regexp=\"10\\.0\\.0\\.5|candidate\" search_in=\"body\" check_it_inverse=\"true\" assign_to=\"leak\"/>"
                + "<log message=\"SDP [$c] no leak: [$leak]\"/></action>";
        int echoed = 0;
        int strangerGot = 0;
        Instant lastRtp;
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of("INVITE_CHECK", vendorSeesOnlyTheSwitch),
                "-mi", "127.0.0.3", "-mp", Integer.toString(echoPort), "-rtp_echo");
             DatagramSocket phone = new DatagramSocket(new java.net.InetSocketAddress("127.0.0.7", 0));
             DatagramSocket stranger = new DatagramSocket(new java.net.InetSocketAddress("127.0.0.9", 0))) {
            // Its own SIP port (twice CUSTOMER_PORT was found taken here) and media port (sipp binds one even unused).
            int customerPort = freeUdpPort();
            assertThat(udpPortTaken(customerPort)).as("port " + customerPort + " free for the customer").isFalse();
            Sipp customer = Sipp.start(work, "customer-rtp-until-bye.xml", Map.of("MEDIA_IP", "10.0.0.5", "MEDIA_PORT", "4000"),
                    "-i", "127.0.0.8", "-p", Integer.toString(customerPort), "-s", NUMBER_UK, "-m", "1", "-timeout", "30s",
                    "-timeout_error", "-trace_logs", "-log_file", sippLog.toString(), "-mp", Integer.toString(freeUdpPort() & ~1),
                    "127.0.0.1:" + SIP_PORT);
            int relayPort = awaitRelayPort(sippLog, customer);
            java.net.InetSocketAddress relay = new java.net.InetSocketAddress("127.0.0.1", relayPort);
            phone.setSoTimeout(1);
            stranger.setSoTimeout(1);
            for (int i = 0; i < 50; i++) {
                phone.send(rtpPacket(0x1111, 100 + i, "customer", relay));
                stranger.send(rtpPacket(0x2222, 900 + i, "stranger", relay));
                pause(Duration.ofMillis(20));
                echoed += drain(phone, "customer");
                strangerGot += drain(stranger, null);
            }
            phone.setSoTimeout(300);
            echoed += drain(phone, "customer");
            lastRtp = Instant.now();
            assertThat(customer.await(40)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        Duration silence = Duration.between(lastRtp, Instant.now());
        // two probation packets before the latch (RFC 3550 §A.1 style), then every packet there and back
        assertThat(echoed).isBetween(45, 48);
        assertThat(strangerGot).isZero();
        assertThat(silence).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        String metrics = api.withKey(null).get("/actuator/prometheus").raw();
        // the stranger's packets after the latch never reach the relay (its socket is connected to the phone: the
        // kernel drops them), so the hijack counter holds only what reached it before; strangerGot is the proof
        assertThat(metrics).containsPattern("tandem_media_hijack_dropped_total(\\{[^}]*\\})? [0-9]");
        assertThat(metrics).containsPattern("tandem_media_timeouts_total(\\{[^}]*\\})? [1-9]");

        awaitTrue("the call is settled", () -> balance(account).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/" + account + "/ledger").body().get(0).path("callUuid").asString();
        JsonNode cdr = api.get("/api/v1/cdrs/" + callUuid).body().get(0);
        assertThat(cdr.path("sipReason").asString()).isEqualTo("media timeout");
        // the relay's figures in the CDR: what came from the phone after its latch, and the vendor's echo of it
        assertThat(cdr.path("media").path("fromCustomer").path("packets").asLong()).isBetween(45L, 50L);
        assertThat(cdr.path("media").path("fromCustomer").path("octets").asLong())
                .isEqualTo(cdr.path("media").path("fromCustomer").path("packets").asLong() * (12 + "customer".length()));
        assertThat(cdr.path("media").path("fromVendor").path("packets").asLong()).isBetween(40L, 50L);
        int billsec = cdr.path("billsec").asInt();
        assertThat(billsec).isBetween(10, 12); // ~1 s of audio, then 9–10 s until the once-a-second check sees the silence
        BigDecimal expected = new BigDecimal("0.02").multiply(BigDecimal.valueOf(billsec))
                .divide(BigDecimal.valueOf(60), 6, java.math.RoundingMode.HALF_UP);
        assertThat(before.subtract(balance(account))).isEqualByComparingTo(expected);
    }

    /** Vendor A's sipp on 127.0.0.3 running {@code scenario}, echoing the RTP it gets (-rtp_echo), its trace in {@code log}. */
    private Sipp rtpEchoingVendor(String scenario, Path log) throws Exception {
        return vendor(scenario, VENDOR_A_PORT, Map.of(), "-mi", "127.0.0.3",
                "-mp", Integer.toString(freeUdpPort() & ~1), "-rtp_echo", "-trace_logs", "-log_file", log.toString());
    }

    /** A customer account with 5 USD and a live {@code relay} trunk for the source {@code cidr}; its account id. */
    private long relayTrunkCustomer(String company, String trunkName, String cidr) {
        long account = api.post("/api/v1/accounts", """
                {"name": "%s", "kind": "customer", "currency": "USD", "openingBalance": "5"}""".formatted(company))
                .body().path("id").asLong();
        ApiClient.Response trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "%s", "sourceCidrs": ["%s"], "routingProfileId": 1, "sellDeckId": %d,
                 "mediaMode": "relay"}"""
                .formatted(account, trunkName, cidr, demoPricesDeck(account, trunkName + "-sell")));
        assertThat(trunk.status()).as(trunk.raw()).isEqualTo(201);
        awaitTrunkLive(trunk.body().path("id").asLong());
        return account;
    }

    /**
     * Hold and unhold through the relay with sipp's own RTP (rtp_stream, G.711 at 50 packets/s; the vendor echoes
     * it). The customer holds with a=sendonly, the vendor answers a=recvonly, and both sides fall silent for 11 s,
     * longer than the 9 s media timeout: the relay follows the direction and waits for the hold timeout instead,
     * so the call survives. Off hold (a=sendrecv) audio flows again until the customer hangs up, and the CDR
     * carries the relay's packet counts both ways and the whole call's billsec.
     */
    @Test
    void n2_aHeldCallOutlivesTheMediaTimeoutAndItsCdrCarriesTheRelaysCountsBothWays() throws Exception {
        long account = relayTrunkCustomer("Hold Telecom", "hold-trunk", "127.0.0.12/32");
        BigDecimal before = balance(account);
        Path wav = work.resolve("g711u.wav");
        java.nio.file.Files.write(wav, muLawWav(10));
        Path customerLog = work.resolve("customer-hold.log");
        Path vendorLog = work.resolve("vendor-hold.log");
        try (Sipp vendor = rtpEchoingVendor("vendor-hold.xml", vendorLog)) {
            int customerPort = freeUdpPort();
            Sipp customer = Sipp.start(work, "customer-hold-rtp.xml", Map.of("WAV", wav.toString(), "HOLD_MS", "11000"),
                    "-i", "127.0.0.12", "-mi", "127.0.0.12", "-p", Integer.toString(customerPort), "-s", NUMBER_UK, "-m", "1",
                    "-timeout", "40s", "-timeout_error", "-trace_logs", "-log_file", customerLog.toString(),
                    "-mp", Integer.toString(freeUdpPort() & ~1), "127.0.0.1:" + SIP_PORT);
            assertThat(customer.await(45)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        // sipp logs "[$x]" as the variable's value: what each side saw of the other's SDP, through the relay
        assertThat(java.nio.file.Files.readString(customerLog)).contains("HELD a=recvonly c=IN IP4 127.0.0.1").contains("RESUMED");
        assertThat(java.nio.file.Files.readString(vendorLog)).contains("OFFER a=sendonly c=IN IP4 127.0.0.1")
                .contains("OFFER a=sendrecv c=IN IP4 127.0.0.1");

        awaitTrue("the call is settled", () -> balance(account).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/" + account + "/ledger").body().get(0).path("callUuid").asString();
        JsonNode cdr = api.get("/api/v1/cdrs/" + callUuid).body().get(0);
        assertThat(cdr.path("sipReason").asString()).isEqualTo("customer hung up");
        assertThat(cdr.path("billsec").asInt()).isBetween(15, 25); // 2 s of audio, 11 s held, 2 s of audio
        JsonNode media = cdr.path("media");
        // 4 s of audio at 50 packets/s each way (sipp's scheduling on a loaded machine sends somewhat fewer)
        assertThat(media.path("fromCustomer").path("packets").asLong()).as(cdr.toString()).isBetween(60L, 210L);
        assertThat(media.path("fromVendor").path("packets").asLong()).as(cdr.toString()).isBetween(60L, 210L);
        assertThat(media.path("fromCustomer").path("octets").asLong()).isEqualTo(172 * media.path("fromCustomer").path("packets").asLong());
        String csv = api.get("/api/v1/cdrs.csv?from=" + Instant.now().minus(Duration.ofHours(1)) + "&until=" + Instant.now().plusSeconds(60)
                + "&customer=" + account).raw();
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith("rtp_vendor_packets,rtp_vendor_octets,rtp_vendor_lost,rtp_vendor_jitter_ms");
        assertThat(csv).contains("," + media.path("fromCustomer").path("packets").asLong() + ","
                + media.path("fromCustomer").path("octets").asLong() + ",");
    }

    /**
     * A late offer (INVITE without SDP) on a {@code relay} trunk of the node's own relay (#17): the vendor's offer
     * in its 200 reaches the customer naming only the switch, the customer's answer in its ACK reaches the vendor in
     * the vendor's ACK, naming only the switch too, and sipp's audio (rtp_stream, echoed by the vendor) flows both
     * ways through the relay, as the CDR's figures show.
     */
    @Test
    void n3_aLateOfferCallOnARelayTrunkIsAnchoredOnTheVendorsOfferAndTheCustomersAnswerInTheAck() throws Exception {
        long account = relayTrunkCustomer("Late Offer Telecom", "late-offer-trunk", "127.0.0.15/32");
        BigDecimal before = balance(account);
        Path wav = work.resolve("g711u-late.wav");
        java.nio.file.Files.write(wav, muLawWav(3));
        Path customerLog = work.resolve("customer-late-offer.log");
        Path vendorLog = work.resolve("vendor-late-offer.log");
        try (Sipp vendor = rtpEchoingVendor("vendor-late-offer.xml", vendorLog)) {
            int customerPort = freeUdpPort();
            Sipp customer = Sipp.start(work, "customer-late-offer-rtp.xml", Map.of("WAV", wav.toString()),
                    "-i", "127.0.0.15", "-mi", "127.0.0.15", "-p", Integer.toString(customerPort), "-s", NUMBER_UK, "-m", "1",
                    "-timeout", "30s", "-timeout_error", "-trace_logs", "-log_file", customerLog.toString(),
                    "-mp", Integer.toString(freeUdpPort() & ~1), "127.0.0.1:" + SIP_PORT);
            assertThat(customer.await(35)).as(customer.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        // sipp logs "[$x]" as the variable's value: what each side saw of the other's SDP, through the relay
        assertThat(java.nio.file.Files.readString(customerLog)).contains("OFFER c=IN IP4 127.0.0.1 no leak: ");
        assertThat(java.nio.file.Files.readString(vendorLog)).contains("ACK ANSWER c=IN IP4 127.0.0.1 no leak: ");

        awaitTrue("the call is settled", () -> balance(account).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/" + account + "/ledger").body().get(0).path("callUuid").asString();
        JsonNode cdr = api.get("/api/v1/cdrs/" + callUuid).body().get(0);
        assertThat(cdr.path("sipReason").asString()).isEqualTo("customer hung up");
        JsonNode media = cdr.path("media");
        // 2 s of audio at 50 packets/s (sipp's scheduling on a loaded machine sends somewhat fewer), echoed back
        assertThat(media.path("fromCustomer").path("packets").asLong()).as(cdr.toString()).isBetween(50L, 110L);
        assertThat(media.path("fromVendor").path("packets").asLong()).as(cdr.toString()).isBetween(50L, 110L);
        assertThat(media.path("fromCustomer").path("octets").asLong()).isEqualTo(172 * media.path("fromCustomer").path("packets").asLong());
    }

    /** {@code seconds} of 8 kHz mu-law audio as a WAV file (format 7), for sipp's rtp_stream: 160 octets a packet. */
    private static byte[] muLawWav(int seconds) {
        int samples = 8000 * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 7).putShort((short) 1).putInt(8000).putInt(8000).putShort((short) 1).putShort((short) 8)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples);
        for (int i = 0; i < samples; i++) {
            b.put((byte) (i % 2 == 0 ? 0x7F : 0xFF)); // near silence, but not one repeated octet
        }
        return b.array();
    }

    /**
     * Two nodes, one of them a media node (#17): this node relays for a signalling node, which the test plays with
     * the very classes a {@code tandem.roles=sip} node runs (choice of node, leased ports, the control protocol over
     * HTTP with the peer's key). Each leg's SDP names only the media node; RTP flows both ways through it; the
     * node's cluster report counts the session while the call lasts; once silent for the media timeout the node
     * reports the call, and its figures come back when the call ends.
     */
    @Test
    void z_aSignallingNodesCallIsRelayedThroughAMediaNodeOverTheControlProtocol() throws Exception {
        io.tandem.console.node.TandemProperties.Peer mediaNode = new io.tandem.console.node.TandemProperties.Peer("media-1",
                "http://127.0.0.1:" + httpPort, KEY, null);
        io.tandem.softswitch.media.remote.MediaNodeControl control = new io.tandem.console.media.HttpMediaNodeControl(clusterPeers,
                name -> java.util.Optional.of(mediaNode), "sip-test-" + System.nanoTime(), jsonMapper);
        io.tandem.softswitch.media.remote.MediaNodes nodes = new io.tandem.softswitch.media.remote.MediaNodes(List.of("media-1"), control,
                java.time.Clock.systemUTC(), new io.tandem.softswitch.media.remote.MediaNodes.Settings(Duration.ofSeconds(15), 5_000, 4, 2));
        awaitTrue("the media node answered and leased ports", () -> {
            nodes.heartbeats(Map.of("media-1", Instant.now()));
            nodes.tick();
            return nodes.loads().containsKey("media-1") && nodes.stockOf("media-1") >= 2;
        });
        int sessionsBefore = api.get("/api/v1/cluster/node").body().path("media").path("sessions").asInt();
        java.util.concurrent.atomic.AtomicReference<String> lost = new java.util.concurrent.atomic.AtomicReference<>();
        io.tandem.softswitch.sip.transaction.TransactionExecutor inline = new io.tandem.softswitch.sip.transaction.TransactionExecutor() {
            @Override
            public void execute(Runnable task) {
                task.run();
            }

            @Override
            public Cancellable schedule(Runnable task, long delayMillis) {
                throw new UnsupportedOperationException("no timers in this test");
            }
        };
        try (DatagramSocket customer = new DatagramSocket(new InetSocketAddress("127.0.0.7", 0));
             DatagramSocket vendor = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0))) {
            java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            io.tandem.softswitch.media.remote.RemoteRelayedCall.Listener listener = new io.tandem.softswitch.media.remote.RemoteRelayedCall.Listener() {
                @Override
                public void mediaNodeLost(io.tandem.softswitch.call.CallFacts c, String node) {
                    lost.set(node);
                }

                @Override
                public void mediaTimedOut(io.tandem.softswitch.call.CallFacts c) {
                    timedOut.set(true);
                }
            };
            // a media timeout of 2 s, so that the node's report of a silent call is seen in this test
            io.tandem.softswitch.media.remote.RemoteRelayedCall call = new io.tandem.softswitch.media.remote.RemoteRelayedCall(nodes, control,
                    new io.tandem.softswitch.call.CallFacts(java.util.UUID.randomUUID(), "two-node-call", null,
                            new InetSocketAddress("127.0.0.7", 5060), "a", "b", Instant.now(), 0), inline, listener,
                    io.tandem.routing.provisioning.MediaMode.RELAY, Duration.ofSeconds(2), Duration.ofHours(1));
            String offer = new String(call.towardVendor(sdp("10.0.0.5", 4000)).content(), java.nio.charset.StandardCharsets.UTF_8);
            String answer = new String(call.towardCustomer(sdp("127.0.0.3", vendor.getLocalPort())).content(),
                    java.nio.charset.StandardCharsets.UTF_8);
            call.answered();
            assertThat(offer).contains("c=IN IP4 127.0.0.1").doesNotContain("10.0.0.5");
            assertThat(answer).contains("c=IN IP4 127.0.0.1").doesNotContain("127.0.0.3");
            // what the customer's 200 waits for: once ready, the node holds the session with both sides' targets, and
            // the packets sent at once below are relayed (no waiting for the node here)
            call.ready().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(api.get("/api/v1/cluster/node").body().path("media").path("sessions").asInt()).isEqualTo(sessionsBefore + 1);
            assertThat(api.get("/api/v1/cluster/node").body().path("media").path("maxSessions").asInt()).isEqualTo(5_000);
            InetSocketAddress forCustomer = new InetSocketAddress("127.0.0.1", sdpPort(answer));
            InetSocketAddress forVendor = new InetSocketAddress("127.0.0.1", sdpPort(offer));
            customer.setSoTimeout(1);
            vendor.setSoTimeout(1);
            int vendorGot = 0;
            int customerGot = 0;
            for (int i = 0; i < 50; i++) {
                customer.send(rtpPacket(0x4444, 10 + i, "customer", forCustomer));
                vendor.send(rtpPacket(0x5555, 500 + i, "vendor", forVendor));
                pause(Duration.ofMillis(20));
                vendorGot += drain(vendor, "customer");
                customerGot += drain(customer, "vendor");
            }
            customer.setSoTimeout(300);
            vendor.setSoTimeout(300);
            vendorGot += drain(vendor, "customer");
            customerGot += drain(customer, "vendor");
            // the customer's SDP names 10.0.0.5 (a NAT): two probation packets, then every one through the media node
            assertThat(vendorGot).isBetween(45, 48);
            assertThat(customerGot).isBetween(45, 50);
            assertThat(timedOut).as("media flowed").isFalse();
            // silence both ways: the media node reports the call in its status answer, the signalling side ends it
            awaitTrue("the media node reported the silent call", () -> {
                nodes.tick();
                return timedOut.get();
            });
            call.close();
            awaitTrue("the media node released the session", () ->
                    api.get("/api/v1/cluster/node").body().path("media").path("sessions").asInt() == sessionsBefore);
            assertThat(lost.get()).isNull();
            // the media node's figures come back in the release's answer, for the CDR: what it took from each side (the
            // customer's packets after latching, all relayed; all 50 of the vendor's, whose SDP named its real address,
            // the first of them sent to the customer's SDP address before the customer's packets latched it)
            io.tandem.billing.cdr.CdrMediaStats figures = call.closed().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(figures.fromCustomer().packets()).isEqualTo(vendorGot);
            assertThat(figures.fromVendor().packets()).isEqualTo(50);
            assertThat(figures.fromCustomer().octets()).isEqualTo(vendorGot * (12L + "customer".length()));
            assertThat(figures.fromVendor().lost()).isZero();
        }
    }

    private static io.tandem.softswitch.call.MessageBody sdp(String address, int port) {
        String text = "v=0\r\no=x 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return new io.tandem.softswitch.call.MessageBody("application/sdp", text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static int sdpPort(String sdp) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("m=audio (\\d+)").matcher(sdp);
        assertThat(m.find()).as(sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.tandem.console.cluster.ClusterPeers clusterPeers;

    @org.springframework.beans.factory.annotation.Autowired
    tools.jackson.databind.json.JsonMapper jsonMapper;

    /** The relay port the customer's sipp read from the switch's 200 OK (logged as RELAY_PORT=n). */
    private static int awaitRelayPort(Path sippLog, Sipp customer) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        java.util.regex.Pattern port = java.util.regex.Pattern.compile("RELAY_PORT=(\\d+)");
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(sippLog)) {
                java.util.regex.Matcher m = port.matcher(java.nio.file.Files.readString(sippLog));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            pause(Duration.ofMillis(50));
        }
        throw new AssertionError("no RELAY_PORT in the customer's log: " + customer.output());
    }

    private static java.net.DatagramPacket rtpPacket(int ssrc, int sequence, String payload, java.net.InetSocketAddress to) {
        byte[] p = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + p.length);
        b.put((byte) 0x80).put((byte) 0).putShort((short) sequence).putInt(160 * sequence).putInt(ssrc).put(p);
        return new java.net.DatagramPacket(b.array(), b.capacity(), to);
    }

    /** Packets waiting on the socket; each must carry {@code payload} when given. */
    private static int drain(DatagramSocket socket, String payload) throws IOException {
        int n = 0;
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        while (true) {
            try {
                socket.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return n;
            }
            if (payload != null) {
                assertThat(new String(p.getData(), 12, p.getLength() - 12, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(payload);
            }
            n++;
        }
    }

    /** A sipp action that fails the vendor's scenario unless P-Asserted-Identity matches (or, inverted, does not). */
    private static String paiCheck(String regex, boolean mustNotMatch) {
        return "<action><ereg regexp=\"" + regex + "\" search_in=\"hdr\" header=\"P-Asserted-Identity:\" "
                + (mustNotMatch ? "check_it_inverse" : "check_it") + "=\"true\" assign_to=\"pai\"/>"
                + "<log message=\"P-Asserted-Identity [$pai]\"/></action>";
    }

    /**
     * A customer with a dynamic address: its phone REGISTERs with the trunk's digest user and then calls
     * from that address without credentials, as from a CIDR; after it unregisters the address is a
     * stranger again. A contact registered on a peer node (a sealed MESSAGE from the peer) calls through
     * this node just the same; a forged MESSAGE is refused 403 and its address stays a stranger.
     */
    @Test
    void r_aRegisteredContactCallsAsItsTrunkOnThisNodeAndAPeersRegistrationCountsToo() throws Exception {
        String user = "dynpbx" + (System.nanoTime() % 10_000);   // a name of its own if surefire runs the test again
        long account = api.post("/api/v1/accounts", """
                {"name": "Dynamic PBX %s", "kind": "customer", "currency": "USD", "openingBalance": "5"}""".formatted(user)).body().path("id").asLong();
        ApiClient.Response created = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "%s-trunk", "routingProfileId": 1, "sellDeckId": %d,
                 "digestUsers": [{"username": "%s", "password": "battery-staple"}]}""".formatted(account, user, demoPricesDeck(account, user + "-sell"), user));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        long trunk = created.body().path("id").asLong();
        awaitTrunkLive(trunk);
        String contact = "<sip:" + user + "@127.0.0.8:" + CUSTOMER_PORT + ">";

        Sipp tooBrief = register(user, "127.0.0.8", contact, "30", "423", "Min-Expires: 60");
        assertThat(tooBrief.await(30)).as("an interval under Min-Expires gets 423: " + tooBrief.output()).isZero();
        Sipp registered = register(user, "127.0.0.8", contact, "600", "200", "Contact: &lt;sip:" + user + "@127[.]0[.]0[.]8:[0-9]+&gt;;expires=(600|599)");   // XML-escaped: it goes into an attribute
        assertThat(registered.await(30)).as("the 200 lists the binding: " + registered.output()).isZero();

        BigDecimal before = balance(account);
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            Sipp phone = customer("customer-call.xml", "127.0.0.8", NUMBER_UK, Map.of(), "-d", "500");
            assertThat(phone.await(40)).as("a call from the registered address: " + phone.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        awaitTrue("the dynamic customer is billed for it", () -> balance(account).compareTo(before) < 0);

        Sipp unregistered = register(user, "127.0.0.8", "*", "0", "200", "SIP/2[.]0 200");
        assertThat(unregistered.await(30)).as(unregistered.output()).isZero();
        Sipp stranger = customer("customer-expect-final.xml", "127.0.0.8", NUMBER_UK, Map.of("CODE", "407"));
        assertThat(stranger.await(40)).as("after unregistering the address is challenged again: " + stranger.output()).isZero();

        // Registered on peer node-2: its sealed MESSAGE reaches this node, and the contact calls through here.
        Binding atPeer = new Binding(user, trunk, "sip:" + user + "@127.0.0.9:" + CUSTOMER_PORT, new InetSocketAddress("127.0.0.9", CUSTOMER_PORT),
                "UDP", System.currentTimeMillis() + 600_000, "peer-register-1", 1, System.currentTimeMillis() * 1000, "node-2");
        assertThat(sendClusterEvent(new ClusterEvent(ClusterEvent.Kind.REGISTER, atPeer), CLUSTER_KEY)).startsWith("SIP/2.0 200");
        BigDecimal beforePeerCall = balance(account);
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of())) {
            Sipp phone = customer("customer-call.xml", "127.0.0.9", NUMBER_UK, Map.of(), "-d", "500");
            assertThat(phone.await(40)).as("a call from the contact registered on the peer: " + phone.output()).isZero();
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
        }
        awaitTrue("that call is billed to the same customer", () -> balance(account).compareTo(beforePeerCall) < 0);

        Binding forged = new Binding(user, trunk, "sip:" + user + "@127.0.0.10:" + CUSTOMER_PORT, new InetSocketAddress("127.0.0.10", CUSTOMER_PORT),
                "UDP", System.currentTimeMillis() + 600_000, "forged-1", 1, System.currentTimeMillis() * 1000, "node-2");
        assertThat(sendClusterEvent(new ClusterEvent(ClusterEvent.Kind.REGISTER, forged), "an-outsiders-guess-at-it"))
                .startsWith("SIP/2.0 403").contains("seal does not verify");
        assertThat(api.withKey(null).get("/actuator/prometheus").raw())
                .containsPattern("tandem_registrar_cluster_events_refused_total(\\{[^}]*\\})? [1-9]")
                .containsPattern("tandem_registrar_cluster_events_received_total(\\{[^}]*\\})? [1-9]")
                .containsPattern("tandem_registrar_bindings(\\{[^}]*\\})? [1-9]")
                .containsPattern("tandem_registrar_attempts_missed_total\\{[^}]*reason=\"connection-closed\"[^}]*\\} [0-9]");
        Sipp intruder = customer("customer-expect-final.xml", "127.0.0.10", NUMBER_UK, Map.of("CODE", "407"));
        assertThat(intruder.await(40)).as("the forged registration identifies nobody: " + intruder.output()).isZero();

        Binding removal = new Binding(atPeer.aor(), trunk, atPeer.contact(), atPeer.source(), "UDP", atPeer.expiresAtMillis(), atPeer.callId(),
                2, atPeer.version() + 1, "node-2");
        assertThat(sendClusterEvent(new ClusterEvent(ClusterEvent.Kind.UNREGISTER, removal), CLUSTER_KEY)).startsWith("SIP/2.0 200");
    }

    /**
     * A call TO a customer with a dynamic address (docs/registrations.md, "Calls to a registered contact"): a PBX
     * whose account buys and sells registers from 127.0.0.11 with its trunk's digest user (sipp), then answers, from
     * that same address and port, the INVITE the node sends to its registered contact (a second sipp, as the PBX's
     * registering and answering are two runs of sipp). A carrier on 127.0.0.14 calls 39...; only the PBX's
     * registered-contact gateway sells it. The call completes and its CDR names the PBX's account and gateway
     * as the vendor.
     */
    @Test
    void r_aCallToARegisteredPbxReachesItsContactAndItsCdrNamesItAsTheVendor() throws Exception {
        String user = "regpbx" + (System.nanoTime() % 10_000);
        String number = "390612345678";
        long pbx = api.post("/api/v1/accounts", """
                {"name": "Registered PBX %s", "kind": "both", "currency": "USD", "openingBalance": "5"}""".formatted(user)).body().path("id").asLong();
        ApiClient.Response pbxTrunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "%s-trunk", "routingProfileId": 1, "sellDeckId": %d,
                 "digestUsers": [{"username": "%s", "password": "battery-staple"}]}""".formatted(pbx, user, demoPricesDeck(pbx, user + "-sell"), user));
        assertThat(pbxTrunk.status()).as(pbxTrunk.raw()).isEqualTo(201);
        long pbxTrunkId = pbxTrunk.body().path("id").asLong();
        long buyDeck = deckWithRates(pbx, user + "-buy", "buy", "39,Italy Rome,0.005000,1,1\n");
        ApiClient.Response gateway = api.post("/api/v1/vendor-gateways", """
                {"accountId": %d, "name": "%s-registered", "registeredTrunkId": %d}""".formatted(pbx, user, pbxTrunkId));
        assertThat(gateway.status()).as(gateway.raw()).isEqualTo(201);
        long profile = api.post("/api/v1/routing-profiles", "{\"name\": \"to-%s\", \"strategy\": \"lcr\"}".formatted(user)).body().path("id").asLong();
        ApiClient.Response rules = api.put("/api/v1/routing-profiles/" + profile + "/rules",
                "[{\"prefix\": \"39\", \"vendorAccountId\": %d}]".formatted(pbx));
        assertThat(rules.status()).as(rules.raw()).isEqualTo(200);

        long carrier = api.post("/api/v1/accounts", """
                {"name": "Carrier to %s", "kind": "customer", "currency": "USD", "openingBalance": "5"}""".formatted(user)).body().path("id").asLong();
        ApiClient.Response carrierTrunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "%s-carrier", "sourceCidrs": ["127.0.0.14/32"], "routingProfileId": %d, "sellDeckId": %d}"""
                .formatted(carrier, user, profile, deckWithRates(carrier, user + "-carrier-sell", "sell", "39,Italy Rome,0.020000,1,1\n")));
        assertThat(carrierTrunk.status()).as(carrierTrunk.raw()).isEqualTo(201);
        long carrierTrunkId = carrierTrunk.body().path("id").asLong();
        awaitTrue("unregistered, the PBX's gateway is skipped", () -> api.get("/api/v1/routes/explain?trunk=" + carrierTrunkId + "&number=" + number)
                .raw().contains("NOT_REGISTERED"));
        assertThat(buyDeck).isPositive();

        int pbxPort = freeUdpPort();
        Sipp registering = Sipp.start(work, "registered-pbx-register.xml", Map.of("USER", user, "PASSWORD", "battery-staple"),
                "-i", "127.0.0.11", "-p", Integer.toString(pbxPort), "-m", "1", "-timeout", "20s", "-timeout_error",
                "-auth_uri", "127.0.0.1:" + SIP_PORT, "127.0.0.1:" + SIP_PORT);
        assertThat(registering.await(30)).as("the PBX registers: " + registering.output()).isZero();
        awaitTrunkLive(carrierTrunkId, number);

        BigDecimal before = balance(carrier);
        try (Sipp answering = Sipp.start(work, "vendor-answer.xml", Map.of("INVITE_CHECK",
                "<action><ereg regexp=\"^INVITE sip:" + number + "@127[.]0[.]0[.]11:" + pbxPort + "\" search_in=\"msg\" check_it=\"true\" assign_to=\"ruri\"/>"
                        + "<log message=\"INVITE at the registered contact: [$ruri]\"/></action>"),
                "-i", "127.0.0.11", "-p", Integer.toString(pbxPort), "-m", "1", "-timeout", "30s", "-timeout_error")) {
            awaitTrue("the PBX listens on its registered port", () -> answering.alive() && udpPortTaken("127.0.0.11", pbxPort));
            // 127.0.0.14: the hold test's trunk already owns 127.0.0.12 (the first trunk of an address identifies it)
            Sipp caller = customer("customer-call.xml", "127.0.0.14", number, Map.of(), "-d", "500");
            assertThat(caller.await(40)).as("the carrier's call is answered by the registered PBX: " + caller.output()).isZero();
            assertThat(answering.await(20)).as("the PBX got the INVITE at its registered contact and the BYE: " + answering.output()).isZero();
        }
        awaitTrue("the carrier is billed for it", () -> balance(carrier).compareTo(before) < 0);
        String callUuid = api.get("/api/v1/accounts/" + carrier + "/ledger").body().get(0).path("callUuid").asString();
        JsonNode cdr = api.get("/api/v1/cdrs/" + callUuid).body().get(0);
        assertThat(cdr.path("vendorAccountId").asLong()).as("the registered PBX's account sold the call").isEqualTo(pbx);
        assertThat(cdr.path("vendorGatewayId").asLong()).isEqualTo(gateway.body().path("id").asLong());
        assertThat(cdr.path("calleeOut").asString()).isEqualTo(number);

        Sipp unregistered = register(user, "127.0.0.11", "*", "0", "200", "SIP/2[.]0 200");
        assertThat(unregistered.await(30)).as(unregistered.output()).isZero();
    }

    /** A deck of the account with the given CSV rows (prefix,destination,rate,initial_increment,next_increment). */
    private long deckWithRates(long accountId, String name, String direction, String rows) {
        ApiClient.Response deck = api.post("/api/v1/rate-decks", """
                {"accountId": %d, "name": "%s", "direction": "%s", "currency": "USD"}""".formatted(accountId, name, direction));
        assertThat(deck.status()).as(deck.raw()).isEqualTo(201);
        long deckId = deck.body().path("id").asLong();
        ApiClient.Response preview = api.postCsv("/api/v1/rate-decks/" + deckId + "/imports?mode=full",
                "prefix,destination,rate,initial_increment,next_increment\n" + rows);
        assertThat(preview.body().path("status").asString()).as(preview.raw()).isEqualTo("previewed");
        ApiClient.Response committed = api.post("/api/v1/rate-decks/" + deckId + "/imports/" + preview.body().path("id").asLong() + "/commit", "");
        assertThat(committed.status()).as(committed.raw()).isEqualTo(200);
        return deckId;
    }

    /** A phone's REGISTER with digest; its final answer must be {@code code} and match {@code finalRegexp}. */
    private Sipp register(String user, String sourceIp, String contact, String expires, String code, String finalRegexp) {
        return Sipp.start(work, "register-digest.xml", Map.of("CONTACT", contact, "EXPIRES", expires, "CODE", code, "USER", user,
                        "PASSWORD", "battery-staple", "FINAL_REGEXP", finalRegexp),
                "-i", sourceIp, "-p", Integer.toString(CUSTOMER_PORT), "-s", user, "-m", "1", "-timeout", "20s", "-timeout_error",
                "-auth_uri", "127.0.0.1:" + SIP_PORT, "127.0.0.1:" + SIP_PORT);
    }

    private static final java.util.concurrent.atomic.AtomicLong PEER_SEQ = new java.util.concurrent.atomic.AtomicLong(1);

    /** Sends one cluster event as peer node-2 would, sealed with {@code key}; the status line and headers of the answer. */
    private static String sendClusterEvent(ClusterEvent event, String key) throws IOException {
        byte[] body = new ClusterEventCodec().encode(new ClusterEnvelope("node-2", PEER_SEQ.getAndIncrement(),
                System.currentTimeMillis() * 1000, event));
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String message = "MESSAGE sip:tandem-cluster@127.0.0.1:" + SIP_PORT + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK" + java.util.UUID.randomUUID() + ";rport\r\n"
                    + "From: <sip:node-2@127.0.0.1>;tag=n2\r\nTo: <sip:tandem-cluster@127.0.0.1>\r\n"
                    + "Call-ID: " + java.util.UUID.randomUUID() + "\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
                    + ClusterEventSeal.HEADER + ": " + new ClusterEventSeal(key).seal(body) + "\r\n"
                    + "Content-Type: " + ClusterSync.CONTENT_TYPE + "\r\nContent-Length: " + body.length + "\r\n\r\n"
                    + new String(body, java.nio.charset.StandardCharsets.UTF_8);
            byte[] octets = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            socket.setSoTimeout(3000);
            socket.send(new java.net.DatagramPacket(octets, octets.length, InetAddress.getLoopbackAddress(), SIP_PORT));
            byte[] answer = new byte[8192];
            java.net.DatagramPacket packet = new java.net.DatagramPacket(answer, answer.length);
            socket.receive(packet);
            return new String(answer, 0, packet.getLength(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private void callExpectingOnVendor(String inviteCheck) {
        try (Sipp vendor = vendor("vendor-answer.xml", VENDOR_A_PORT, Map.of("INVITE_CHECK", inviteCheck))) {
            Sipp customer = customer("customer-call.xml", "127.0.0.1", NUMBER_UK, Map.of(), "-d", "100");
            assertThat(vendor.await(20)).as(vendor.output()).isZero();
            assertThat(customer.await(40)).as(customer.output()).isZero();
        }
    }

    /** Sets trunk 1's policy and waits until calls use it: trunks loaded at the config version of the change. */
    private void setAssertedIdentity(String policy) {
        ApiClient.Response updated = api.put("/api/v1/ingress-trunks/1", trunkWithAssertedIdentity(policy));
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(updated.body().path("assertedIdentity").asString()).isEqualTo(policy);
        long changedAt = api.get("/api/v1/cluster/health").body().path("configVersion").asLong();
        awaitTrue("the node uses the trunk's new identity policy",
                () -> api.get("/api/v1/node").body().path("trunksVersion").asLong() >= changedAt);
    }

    private String trunkWithAssertedIdentity(String policy) {
        ObjectNode trunk = (ObjectNode) api.get("/api/v1/ingress-trunks/1").body().deepCopy();
        trunk.remove(List.of("id", "createdAt", "updatedAt", "digestUsers"));
        trunk.put("assertedIdentity", policy);
        return trunk.toString();
    }

    private long tableVersion() {
        return api.get("/api/v1/routes/explain?trunk=1&number=" + NUMBER_UK).body().path("tableVersion").asLong();
    }

    private JsonNode gateway(String name) {
        for (JsonNode gateway : api.get("/api/v1/vendor-gateways").body()) {
            if (gateway.path("name").asString().equals(name)) {
                return gateway;
            }
        }
        throw new AssertionError("no gateway " + name);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A vendor's sipp, listening before the call is placed. The previous test's sipp on the same port
     * may still be dying when this one binds; a sipp that exits while starting is started again.
     */
    private Sipp vendor(String scenario, int port, Map<String, String> values, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1",
                "-timeout", "30s", "-timeout_error"));
        arguments.addAll(List.of(extra));
        for (int attempt = 1; ; attempt++) {
            Sipp vendor = Sipp.start(work, scenario, values, arguments.toArray(String[]::new));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (vendor.alive() && udpPortTaken(port)) {
                    // A sipp that could not bind (the port still held by the previous test's sipp) dies within
                    // milliseconds: only one still alive a moment later is the one holding the port.
                    pause(Duration.ofMillis(300));
                    if (vendor.alive()) {
                        return vendor;
                    }
                    break;
                }
                if (!vendor.alive()) {
                    break;
                }
                pause(Duration.ofMillis(50));
            }
            if (vendor.alive() || attempt == 3) {
                vendor.close();
                throw new AssertionError("the vendor's sipp does not listen on " + port + ":\n" + vendor.output());
            }
            pause(Duration.ofMillis(500));
        }
    }

    /** True once some process (the vendor's sipp) has bound the port, so our INVITE cannot beat it there. */
    private static boolean udpPortTaken(String ip, int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ip, port))) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static boolean udpPortTaken(int port) {
        try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private Sipp customer(String scenario, String sourceIp, String number, Map<String, String> values, String... extra) {
        String[] base = {"-i", sourceIp, "-p", Integer.toString(CUSTOMER_PORT), "-s", number, "-m", "1", "-timeout", "30s",
                "-timeout_error"};
        String[] all = new String[base.length + extra.length + 1];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        all[all.length - 1] = "127.0.0.1:" + SIP_PORT;
        return Sipp.start(work, scenario, values, all);
    }

    /** A PUT keeps what it leaves out, so every setting an earlier test may have changed is named here. */
    private void moveGateway(String name, int port) {
        for (JsonNode gateway : api.get("/api/v1/vendor-gateways").body()) {
            if (gateway.path("name").asString().equals(name)) {
                ApiClient.Response updated = api.put("/api/v1/vendor-gateways/" + gateway.path("id").asLong(), """
                        {"accountId": %d, "name": "%s", "host": "127.0.0.1", "port": %d, "priority": %d, "transport": "udp",
                         "dnsLookup": "address", "techPrefix": null, "maxCps": null, "maxConcurrentCalls": null, "failoverCodes": null,
                         "enabled": true}"""
                        .formatted(gateway.path("accountId").asLong(), name, port, gateway.path("priority").asInt()));
                assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
            }
        }
    }

    /** A customer with 0.001 (3 s at the demo's 0.02/min) and a live trunk for {@code address}; its account id. */
    private long prepaidCustomer(String name, String trunkName, String address) {
        long account = api.post("/api/v1/accounts", """
                {"name": "%s", "kind": "customer", "currency": "USD", "openingBalance": "0.001000"}""".formatted(name))
                .body().path("id").asLong();
        long trunk = api.post("/api/v1/ingress-trunks", """
                {"accountId": %d, "name": "%s", "sourceCidrs": ["%s/32"], "routingProfileId": 1, "sellDeckId": %d}"""
                .formatted(account, trunkName, address, demoPricesDeck(account, trunkName + "-sell"))).body().path("id").asLong();
        awaitTrunkLive(trunk);
        return account;
    }

    private BigDecimal balance(long accountId) {
        return new BigDecimal(api.get("/api/v1/accounts/" + accountId).body().path("balance").asString());
    }

    /**
     * A sell deck of the account with the demo customer's prices: a trunk is priced only by a sell
     * deck of its own account, in its currency.
     */
    /** A sell deck of the account's own with the demo customer's prices, billed per second like the demo's. */
    private long demoPricesDeck(long accountId, String name) {
        ApiClient.Response deck = api.post("/api/v1/rate-decks", """
                {"accountId": %d, "name": "%s", "direction": "sell", "currency": "USD"}""".formatted(accountId, name));
        assertThat(deck.status()).as(deck.raw()).isEqualTo(201);
        long deckId = deck.body().path("id").asLong();
        ApiClient.Response preview = api.postCsv("/api/v1/rate-decks/" + deckId + "/imports?mode=full",
                "prefix,destination,rate,initial_increment,next_increment\n44,United Kingdom,0.020000,1,1\n1,USA/Canada,0.010000,1,1\n");
        assertThat(preview.body().path("status").asString()).as(preview.raw()).isEqualTo("previewed");
        ApiClient.Response committed = api.post("/api/v1/rate-decks/" + deckId + "/imports/" + preview.body().path("id").asLong() + "/commit", "");
        assertThat(committed.status()).as(committed.raw()).isEqualTo(200);
        return deckId;
    }

    /** A new trunk is live once routing routes its calls and the trunks were reloaded at that version. */
    private void awaitTrunkLive(long trunkId) {
        awaitTrunkLive(trunkId, NUMBER_UK);
    }

    private void awaitTrunkLive(long trunkId, String number) {
        awaitTrue("trunk " + trunkId + " is live for " + number, () -> {
            if (!api.get("/api/v1/routes/explain?trunk=" + trunkId + "&number=" + number).body().path("outcome").asString().equals("route")) {
                return false;
            }
            JsonNode node = api.get("/api/v1/node").body();
            return node.path("trunksVersion").asLong() == node.path("routingVersion").asLong();
        });
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    /**
     * A free UDP port below the kernel's ephemeral range (32768-60999 by default): a port the kernel
     * handed out once can be handed out again to any client socket (a DNS query, a sipp customer) while
     * the test still means it for a vendor's sipp, which then cannot bind it.
     */
    private static int freeUdpPort() {
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int tries = 0; tries < 200; tries++) {
            int port = 20_000 + random.nextInt(12_000);
            if (RESERVED_PORTS.add(port) && !udpPortTaken(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP port between 20000 and 32000");
    }
}
