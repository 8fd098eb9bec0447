package io.tandem.console.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.api.ApiClient;
import io.tandem.console.calls.TrafficRecorder.Resolution;
import io.tandem.console.dashboard.DashboardFigures;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/cluster/calls} and friends on a node whose peers are up ({@code fake}), refusing
 * connections ({@code dead}) and hanging ({@code slow}): the answer comes in time anyway, with the
 * dead and slow peers marked offline, and a hang-up reaches the node that carries the call.
 */
class ClusterCallsApiTest extends ClusterFixture {

    @LocalServerPort
    int port;

    @Autowired
    DashboardFigures dashboard;

    @Autowired
    org.springframework.security.core.context.SecurityContextHolderStrategy contextStrategy;

    private org.springframework.security.core.context.SecurityContextHolderStrategy previousStrategy;

    /**
     * Points the JVM-wide {@link org.springframework.security.core.context.SecurityContextHolder} at this
     * context's strategy while these tests call its API. Vaadin installs its own strategy instance (with
     * its own thread-local) in the static holder whenever a context starts; after another test class
     * started a context, the API key filter (which writes through the static holder) would write where
     * this context's authorization filter never looks, and every request would be a 401.
     */
    @org.junit.jupiter.api.BeforeEach
    void thisContextsSecurityContextHolder() {
        previousStrategy = org.springframework.security.core.context.SecurityContextHolder.getContextHolderStrategy();
        org.springframework.security.core.context.SecurityContextHolder.setContextHolderStrategy(contextStrategy);
    }

    @org.junit.jupiter.api.AfterEach
    void previousSecurityContextHolder() {
        org.springframework.security.core.context.SecurityContextHolder.setContextHolderStrategy(previousStrategy);
    }

    private ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + port, KEY);
    }

    @Test
    void theClusterCallListAnswersInTimeWithTheDeadAndTheSlowPeerOffline() {
        long started = System.nanoTime();
        ApiClient.Response response = api().get("/api/v1/cluster/calls");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(took).as("a slow peer (10 s) must not hold the list up").isLessThan(Duration.ofSeconds(5));
        Map<String, JsonNode> nodes = new HashMap<>();
        response.body().path("nodes").forEach(node -> nodes.put(node.path("node").asString(), node));
        assertThat(nodes).as(response.raw()).containsOnlyKeys(NODE, "fake", "dead", "slow");
        assertThat(nodes.get(NODE).path("local").asBoolean()).isTrue();
        assertThat(nodes.get(NODE).path("problem").asString()).contains("SIP disabled");
        assertThat(nodes.get("fake").path("online").asBoolean()).as(response.raw()).isTrue();
        assertThat(nodes.get("dead").path("online").asBoolean()).isFalse();
        assertThat(nodes.get("dead").path("problem").asString()).isEqualTo("connection refused");
        assertThat(nodes.get("slow").path("online").asBoolean()).isFalse();
        assertThat(nodes.get("slow").path("problem").asString()).isEqualTo("no answer in time");

        JsonNode answered = null;
        for (JsonNode call : response.body().path("calls")) {
            if (call.path("id").asString().equals(ANSWERED_CALL)) {
                answered = call;
            }
            assertThat(call.path("node").asString()).isEqualTo("fake");
        }
        assertThat(answered).isNotNull();
        assertThat(answered.path("customer").asString()).isEqualTo("Demo Customer");
        assertThat(answered.path("currentCost").isString()).as("money is a decimal string on the wire").isTrue();
        assertThat(answered.path("currentCost").asString()).isEqualTo("0.021667");
        assertThat(answered.path("durationSeconds").asLong()).isEqualTo(65);
    }

    @Test
    void aCallOnAPeerIsHungUpThereWithThePeersKeyOnBehalfOfTheCallerAndAudited() {
        ApiClient.Response response = api().delete("/api/v1/cluster/calls/" + CALL_TO_HANG_UP);

        assertThat(response.status()).as(response.raw()).isEqualTo(202);
        assertThat(response.body().path("node").asString()).isEqualTo("fake");
        assertThat(FAKE.received).contains(new FakePeer.Received("DELETE", "/api/v1/calls/" + CALL_TO_HANG_UP, PEER_KEY,
                "api:bootstrap-key"));
        JsonNode audit = api().get("/api/v1/audit?action=hang-up&entityId=" + CALL_TO_HANG_UP).body();
        assertThat(audit.toString()).contains("api:bootstrap-key", "on node fake");
    }

    @Test
    void aCallNoNodeCarriesIs404AndABadIdIs400() {
        assertThat(api().delete("/api/v1/cluster/calls/55555555-5555-4555-8555-555555555555").status()).isEqualTo(404);
        assertThat(api().delete("/api/v1/cluster/calls/not-a-uuid").status()).isEqualTo(400);
    }

    @Test
    void viewerAndPeerKeysMayNotHangUpThroughTheCluster() {
        String viewer = api().post("/api/v1/api-keys", "{\"name\": \"noc-screen\", \"role\": \"viewer\"}").body().path("key").asString();
        String peer = api().post("/api/v1/api-keys", "{\"name\": \"node-c\", \"role\": \"peer\"}").body().path("key").asString();

        assertThat(api().withKey(viewer).delete("/api/v1/cluster/calls/" + ANSWERED_CALL).status()).isEqualTo(403);
        ApiClient.Response byPeer = api().withKey(peer).delete("/api/v1/cluster/calls/" + ANSWERED_CALL);
        assertThat(byPeer.status()).as(byPeer.raw()).isEqualTo(403);
        assertThat(byPeer.raw()).contains("only ADMIN or OPERATOR");
        assertThat(FAKE.received).noneMatch(r -> r.method().equals("DELETE") && r.path().endsWith(ANSWERED_CALL));
    }

    @Test
    void theNodesListShowsThisNodeThePeersVersionAndTheOfflineOnes() {
        ApiClient.Response response = api().get("/api/v1/cluster/nodes");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        Map<String, JsonNode> nodes = new HashMap<>();
        response.body().forEach(node -> nodes.put(node.path("node").asString(), node));
        assertThat(nodes.get(NODE).path("status").asString()).isEqualTo("up");
        assertThat(nodes.get(NODE).path("sipEnabled").asBoolean()).isFalse();
        assertThat(nodes.get("fake").path("version").asString()).isEqualTo("9.9.9");
        assertThat(nodes.get("fake").path("routingVersion").asLong()).isEqualTo(7);
        assertThat(nodes.get("dead").path("status").asString()).isEqualTo("offline");
        assertThat(nodes.get("slow").path("status").asString()).isEqualTo("offline");

        assertThat(api().get("/api/v1/cluster/node").body().path("node").asString()).isEqualTo(NODE);
        ApiClient.Response drainSipless = api().post("/api/v1/cluster/nodes/" + NODE + "/drain", "{\"draining\": true}");
        assertThat(drainSipless.status()).isEqualTo(502);
        assertThat(api().post("/api/v1/cluster/nodes/nobody/drain", "{\"draining\": true}").status()).isEqualTo(404);
    }

    @Test
    void theDashboardAddsThePeersTrafficToThisNodesAndListsTheOfflinePeers() {
        assertThat(api().get("/api/v1/cluster/traffic?resolution=hourly").status()).isEqualTo(400);
        assertThat(api().get("/api/v1/cluster/traffic?resolution=second").body().path("node").asString()).isEqualTo(NODE);

        DashboardFigures.ClusterTraffic traffic = dashboard.traffic(Resolution.SECOND).join();

        assertThat(traffic.byNode()).containsKeys(NODE, "fake");
        assertThat(traffic.offline()).extracting(DashboardFigures.OfflinePeer::node).containsExactlyInAnyOrder("dead", "slow");
        assertThat(traffic.cluster()).anySatisfy(point -> {
            assertThat(point.started()).isGreaterThanOrEqualTo(3);
            assertThat(point.acdSeconds()).isEqualTo(30.0);
        });
    }
}
