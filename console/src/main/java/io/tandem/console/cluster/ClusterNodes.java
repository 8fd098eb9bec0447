package io.tandem.console.cluster;

import io.tandem.console.TandemApplication;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.cluster.ClusterPeers.PeerAnswer;
import io.tandem.console.cluster.persistence.ClusterNodeRepository;
import io.tandem.console.node.TandemProperties;
import io.tandem.routing.reload.RouteTableHolder;
import io.tandem.softswitch.call.CallEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The nodes of the cluster as the Cluster view and {@code /api/v1/cluster/nodes} show them: this
 * node's own report and each peer's {@code GET /api/v1/cluster/node}, asked in parallel with a
 * short timeout; and draining a node wherever it is, on behalf of an ADMIN or OPERATOR.
 */
@Service
public class ClusterNodes {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNodes.class);
    private static final Duration PEER_DRAIN_TIMEOUT = Duration.ofSeconds(2);

    /** The version of this build, from the jar's manifest; {@code development} when run from classes. */
    public static final String VERSION = Optional.ofNullable(TandemApplication.class.getPackage().getImplementationVersion())
            .orElse("development");

    /**
     * One node.
     *
     * @param status         up, draining or offline
     * @param routingVersion config version of the routing table it serves
     * @param configVersion  config version in the database as it last read it; above
     *                       {@code routingVersion} while it has yet to load a change
     * @param sipEnabled     false for a console/API-only node
     * @param lastSeen       now for a node that answered; otherwise its last answer or heartbeat
     * @param problem        why it is offline, or null
     * @param media          the media sessions it relays for signalling nodes, or null for a node without that role
     */
    public record NodeReport(String node, boolean local, String status, String version, long routingVersion, long configVersion,
                             boolean sipEnabled, boolean draining, int activeCalls, Instant lastSeen, String problem, MediaLoad media) {

        public boolean online() {
            return !"offline".equals(status);
        }
    }

    /** A media node's load: sessions it relays for signalling nodes, and its cap ({@code tandem.media.max-sessions}). */
    public record MediaLoad(int sessions, int maxSessions) {
    }

    /** What became of a drain or undrain request. */
    public sealed interface DrainOutcome {
        record Done(NodeReport node) implements DrainOutcome {
        }

        record Refused(String why) implements DrainOutcome {
        }

        record NoSuchNode(String node) implements DrainOutcome {
        }

        record NodeFailed(String node, String why) implements DrainOutcome {
        }
    }

    private final ObjectProvider<CallEngine> engines;
    private final ObjectProvider<io.tandem.softswitch.media.relay.ControlledSessions> mediaSessions;
    private final RouteTableHolder routes;
    private final ClusterPeers peers;
    private final ClusterNodeRepository heartbeats;
    private final AuditLogRepository audit;
    private final JsonMapper json;
    private final Clock clock;
    private final String nodeId;
    private final Map<String, Instant> lastAnswers = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();

    public ClusterNodes(ObjectProvider<CallEngine> engines, RouteTableHolder routes, ClusterPeers peers,
                        ClusterNodeRepository heartbeats, AuditLogRepository audit, JsonMapper json, Clock clock,
                        TandemProperties properties, ObjectProvider<io.tandem.softswitch.media.relay.ControlledSessions> mediaSessions) {
        this.engines = engines;
        this.mediaSessions = mediaSessions;
        this.routes = routes;
        this.peers = peers;
        this.heartbeats = heartbeats;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.nodeId = properties.effectiveNodeId();
    }

    /** This node, as it reports itself to its peers. */
    public NodeReport self() {
        CallEngine engine = engines.getIfAvailable();
        boolean draining = engine != null && engine.draining();
        return new NodeReport(nodeId, true, draining ? "draining" : "up", VERSION, routes.current().version(), routes.sourceVersion(),
                engine != null, draining, engine == null ? 0 : engine.activeCallCount(), clock.instant(), null, mediaLoad());
    }

    private MediaLoad mediaLoad() {
        io.tandem.softswitch.media.relay.ControlledSessions sessions = mediaSessions.getIfAvailable();
        return sessions == null ? null : new MediaLoad(sessions.load().sessions(), sessions.load().maxSessions());
    }

    /** Every node: this one first, then the peers in configuration order. Completes in about the peer timeout. */
    public CompletableFuture<List<NodeReport>> all() {
        List<CompletableFuture<NodeReport>> remote = peers.peers().stream()
                .map(peer -> peers.call(peer, "GET", "/api/v1/cluster/node", null, null, ClusterPeers.PEER_READ_TIMEOUT)
                        .handle((answer, error) -> error != null ? offline(peer, ClusterPeers.describe(error)) : read(peer, answer)))
                .toList();
        return CompletableFuture.allOf(remote.toArray(CompletableFuture[]::new)).thenApplyAsync(done -> {
            List<NodeReport> reports = new ArrayList<>();
            reports.add(self());
            List<NodeReport> peerReports = remote.stream().map(CompletableFuture::join).toList();
            Map<String, Instant> beats = peerReports.stream().anyMatch(r -> !r.online()) ? LastSeen.heartbeats(heartbeats) : Map.of();
            for (NodeReport report : peerReports) {
                reports.add(report.online() ? report : withLastSeen(report, LastSeen.latest(lastAnswers.get(report.node()), beats.get(report.node()))));
            }
            return List.copyOf(reports);
        }, work);
    }

    private NodeReport read(TandemProperties.Peer peer, PeerAnswer answer) {
        if (!answer.ok()) {
            return offline(peer, answer.status() == 401 || answer.status() == 403
                    ? "refused this node's API key (HTTP " + answer.status() + ")" : "answered HTTP " + answer.status());
        }
        try {
            NodeReport report = json.readValue(answer.body(), NodeReport.class);
            lastAnswers.put(peer.name(), clock.instant());
            // named as configured here, so that the cluster's lists and hang-ups agree on it
            return new NodeReport(peer.name(), false, report.status(), report.version(), report.routingVersion(), report.configVersion(),
                    report.sipEnabled(), report.draining(), report.activeCalls(), clock.instant(), null, report.media());
        } catch (JacksonException e) {
            LOG.warn("peer {} ({}) sent a node report this node cannot read: {}", peer.name(), peer.url(), e.getOriginalMessage());
            return offline(peer, "sent an unreadable node report");
        }
    }

    private static NodeReport offline(TandemProperties.Peer peer, String problem) {
        return new NodeReport(peer.name(), false, "offline", "", 0, 0, false, false, 0, null, problem, null);
    }

    private static NodeReport withLastSeen(NodeReport report, Instant lastSeen) {
        return new NodeReport(report.node(), report.local(), report.status(), report.version(), report.routingVersion(),
                report.configVersion(), report.sipEnabled(), report.draining(), report.activeCalls(), lastSeen, report.problem(),
                report.media());
    }


    /**
     * Drains (new INVITEs get 503 + Retry-After, calls in progress go on) or undrains a node, for
     * an ADMIN or OPERATOR; audited here, and on a peer too (naming the actor).
     */
    public CompletableFuture<DrainOutcome> drain(String node, boolean draining, Actor actor) {
        if (!actor.mayOperate()) {
            return CompletableFuture.completedFuture(new DrainOutcome.Refused("only ADMIN or OPERATOR may drain nodes"));
        }
        if (node.equals(nodeId)) {
            return CompletableFuture.supplyAsync(() -> drainSelf(draining, actor.name(), "", actor.sourceIp()), work);
        }
        Optional<TandemProperties.Peer> peer = peers.peer(node);
        if (peer.isEmpty()) {
            return CompletableFuture.completedFuture(new DrainOutcome.NoSuchNode(node));
        }
        return peers.call(peer.get(), "POST", "/api/v1/cluster/node/drain", "{\"draining\": " + draining + "}", actor.name(),
                        PEER_DRAIN_TIMEOUT)
                .handleAsync((answer, error) -> {
                    if (error != null) {
                        return new DrainOutcome.NodeFailed(node, ClusterPeers.describe(error));
                    }
                    if (!answer.ok()) {
                        return new DrainOutcome.NodeFailed(node, "answered HTTP " + answer.status());
                    }
                    audit.record(actor.name(), draining ? "drain" : "undrain", "node", node, "", actor.sourceIp());
                    NodeReport report = read(peer.get(), answer);
                    return report.online() ? new DrainOutcome.Done(report) : new DrainOutcome.NodeFailed(node, report.problem());
                }, work);
    }

    /**
     * Drains or undrains this node for whoever the API request names; audited.
     *
     * @param detail e.g. "on behalf of alice" when a peer asks
     */
    public DrainOutcome drainSelf(boolean draining, String actorName, String detail, String sourceIp) {
        CallEngine engine = engines.getIfAvailable();
        if (engine == null) {
            return new DrainOutcome.NodeFailed(nodeId, "SIP is disabled on this node");
        }
        engine.setDraining(draining);
        audit.record(actorName, draining ? "drain" : "undrain", "node", nodeId, detail, sourceIp);
        return new DrainOutcome.Done(self());
    }
}
