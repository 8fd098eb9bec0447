package io.tandem.console.dashboard;

import io.tandem.console.cluster.LastSeen;
import io.tandem.billing.settlement.SettlementWriter;
import io.tandem.console.calls.TrafficPoint;
import io.tandem.console.calls.TrafficRecorder;
import io.tandem.console.calls.TrafficRecorder.Resolution;
import io.tandem.console.cluster.ClusterPeers;
import io.tandem.console.cluster.persistence.ClusterNodeRepository;
import io.tandem.console.dashboard.persistence.DashboardQueries;
import io.tandem.console.dashboard.persistence.DashboardQueries.AccountTraffic;
import io.tandem.console.dashboard.persistence.DashboardQueries.LowBalance;
import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.call.quality.VendorBreakers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dashboard shows: the traffic of every node and of the cluster (this node's
 * {@link TrafficRecorder} plus each peer's {@code GET /api/v1/cluster/traffic}, fetched
 * incrementally in parallel with a short timeout), and the state of the business (today's top
 * customers and vendors and low balances from the shared database; open breakers, parked settlements and
 * spool depth from every node: this one's {@link #localAttention()} plus each peer's
 * {@code GET /api/v1/cluster/attention}, asked the same way).
 * Results are shared between open dashboards: traffic for {@link #TRAFFIC_MAX_AGE}, the rest for
 * {@link #SUMMARY_MAX_AGE}.
 */
@Service
public class DashboardFigures {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFigures.class);

    public static final Duration TRAFFIC_MAX_AGE = Duration.ofMillis(900);
    public static final Duration SUMMARY_MAX_AGE = Duration.ofSeconds(10);
    static final int TOP_ACCOUNTS = 8;
    static final int LOW_BALANCES = 20;

    /** A peer whose traffic did not come. */
    public record OfflinePeer(String node, Instant lastSeen, String problem) {
    }

    /**
     * Traffic per node (this node first) and summed over the nodes that answered.
     *
     * @param byNode points per node name, oldest first
     * @param cluster the nodes' points added up per interval
     */
    public record ClusterTraffic(Instant at, Resolution resolution, Map<String, List<TrafficPoint>> byNode, List<TrafficPoint> cluster,
                                 List<OfflinePeer> offline) {
    }

    /** A vendor gateway whose circuit breaker is not closed on {@code node} (breakers are per node). */
    public record OpenBreaker(String node, long gatewayId, String gateway, String state) {
    }

    /**
     * What one node holds that needs a look; a node's answer to {@code GET /api/v1/cluster/attention}.
     *
     * @param openBreakers      its vendor breakers that are not closed
     * @param parkedSettlements settlements it parked for an operator (refused by the database)
     * @param spoolDepth        settlements it holds in its spool until the database takes them
     */
    public record NodeAttention(String node, List<BreakerState> openBreakers, long parkedSettlements, long spoolDepth) {

        public record BreakerState(long gatewayId, String state) {
        }
    }

    /**
     * @param openBreakers      the breakers not closed, on every node that answered
     * @param parkedSettlements settlements parked, summed over the nodes that answered
     * @param spoolDepth        settlements in the nodes' spools, summed likewise
     * @param byNode            each answering node's own figures, this node first
     * @param unanswered        peers whose figures are missing from the sums
     */
    public record BusinessSummary(Instant at, List<AccountTraffic> topCustomers, List<AccountTraffic> topVendors,
                                  List<LowBalance> lowBalances, List<OpenBreaker> openBreakers, long parkedSettlements,
                                  long spoolDepth, List<NodeAttention> byNode, List<OfflinePeer> unanswered) {
    }

    private final TrafficRecorder recorder;
    private final ClusterPeers peers;
    private final ClusterNodeRepository heartbeats;
    private final DashboardQueries queries;
    private final ObjectProvider<VendorBreakers> breakers;
    private final SettlementWriter settlements;
    private final JsonMapper json;
    private final Clock clock;
    private final String nodeId;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    /** Each peer's points as fetched so far, by resolution: asked only for what is newer. */
    private final Map<Resolution, Map<String, List<TrafficPoint>>> peerPoints = new EnumMap<>(Resolution.class);
    private final Map<String, Instant> lastAnswers = new ConcurrentHashMap<>();
    private final Map<Resolution, AtomicReference<CompletableFuture<ClusterTraffic>>> trafficInFlight = new EnumMap<>(Resolution.class);
    private final Map<Resolution, ClusterTraffic> latestTraffic = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<BusinessSummary>> summaryInFlight = new AtomicReference<>();
    private volatile BusinessSummary latestSummary;

    public DashboardFigures(TrafficRecorder recorder, ClusterPeers peers, ClusterNodeRepository heartbeats, DashboardQueries queries,
                            ObjectProvider<VendorBreakers> breakers, SettlementWriter settlements, JsonMapper json, Clock clock,
                            TandemProperties properties) {
        this.recorder = recorder;
        this.peers = peers;
        this.heartbeats = heartbeats;
        this.queries = queries;
        this.breakers = breakers;
        this.settlements = settlements;
        this.json = json;
        this.clock = clock;
        this.nodeId = properties.effectiveNodeId();
        for (Resolution resolution : Resolution.values()) {
            peerPoints.put(resolution, new ConcurrentHashMap<>());
            trafficInFlight.put(resolution, new AtomicReference<>());
        }
    }

    /** The cluster's traffic at that resolution, at most {@link #TRAFFIC_MAX_AGE} old. */
    public CompletableFuture<ClusterTraffic> traffic(Resolution resolution) {
        ClusterTraffic current = latestTraffic.get(resolution);
        if (current != null && Duration.between(current.at(), clock.instant()).compareTo(TRAFFIC_MAX_AGE) < 0) {
            return CompletableFuture.completedFuture(current);
        }
        AtomicReference<CompletableFuture<ClusterTraffic>> slot = trafficInFlight.get(resolution);
        CompletableFuture<ClusterTraffic> mine = new CompletableFuture<>();
        CompletableFuture<ClusterTraffic> running = slot.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        gatherTraffic(resolution).whenComplete((traffic, error) -> {
            if (traffic != null) {
                latestTraffic.put(resolution, traffic);
            }
            slot.set(null);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(traffic);
            }
        });
        return mine;
    }

    private CompletableFuture<ClusterTraffic> gatherTraffic(Resolution resolution) {
        Map<String, List<TrafficPoint>> known = peerPoints.get(resolution);
        Map<String, CompletableFuture<String>> problems = new LinkedHashMap<>();
        for (TandemProperties.Peer peer : peers.peers()) {
            List<TrafficPoint> have = known.getOrDefault(peer.name(), List.of());
            // the last point again: a minute point grows until its minute is over
            long since = have.isEmpty() ? 0 : have.get(have.size() - 1).at() - 1;
            String path = "/api/v1/cluster/traffic?resolution=" + resolution.name().toLowerCase(java.util.Locale.ROOT) + "&since=" + since;
            problems.put(peer.name(), peers.call(peer, "GET", path, null, null, ClusterPeers.PEER_READ_TIMEOUT)
                    .handle((answer, error) -> {
                        if (error != null) {
                            return ClusterPeers.describe(error);
                        }
                        if (!answer.ok()) {
                            return "answered HTTP " + answer.status();
                        }
                        try {
                            TrafficAnswer traffic = json.readValue(answer.body(), TrafficAnswer.class);
                            known.put(peer.name(), merge(have, traffic.points(), resolution));
                            lastAnswers.put(peer.name(), clock.instant());
                            return null;
                        } catch (JacksonException e) {
                            LOG.warn("peer {} sent traffic this node cannot read: {}", peer.name(), e.getOriginalMessage());
                            return "sent unreadable traffic";
                        }
                    }));
        }
        return CompletableFuture.allOf(problems.values().toArray(CompletableFuture[]::new)).thenApplyAsync(done -> {
            Map<String, List<TrafficPoint>> byNode = new LinkedHashMap<>();
            byNode.put(nodeId, recorder.points(resolution));
            List<OfflinePeer> offline = new ArrayList<>();
            Map<String, Instant> beats = null;
            for (var entry : problems.entrySet()) {
                String problem = entry.getValue().join();
                if (problem == null) {
                    byNode.put(entry.getKey(), known.getOrDefault(entry.getKey(), List.of()));
                } else {
                    beats = beats == null ? LastSeen.heartbeats(heartbeats) : beats;
                    offline.add(new OfflinePeer(entry.getKey(), LastSeen.latest(lastAnswers.get(entry.getKey()), beats.get(entry.getKey())), problem));
                }
            }
            return new ClusterTraffic(clock.instant(), resolution, byNode, sum(byNode.values()), offline);
        }, work);
    }

    /** A peer's answer to {@code /api/v1/cluster/traffic}. */
    record TrafficAnswer(String node, String resolution, List<TrafficPoint> points) {
    }

    /** {@code have} with {@code fresh} laid over its tail, at most one ring long. */
    static List<TrafficPoint> merge(List<TrafficPoint> have, List<TrafficPoint> fresh, Resolution resolution) {
        if (fresh.isEmpty()) {
            return have;
        }
        long firstFresh = fresh.get(0).at();
        List<TrafficPoint> merged = new ArrayList<>(have.size() + fresh.size());
        for (TrafficPoint point : have) {
            if (point.at() < firstFresh) {
                merged.add(point);
            }
        }
        merged.addAll(fresh);
        int capacity = resolution == Resolution.SECOND ? TrafficRecorder.SECOND_POINTS : TrafficRecorder.MINUTE_POINTS + 1;
        return List.copyOf(merged.subList(Math.max(0, merged.size() - capacity), merged.size()));
    }

    /** The nodes' points added up per interval. */
    static List<TrafficPoint> sum(java.util.Collection<List<TrafficPoint>> nodes) {
        TreeMap<Long, TrafficPoint> total = new TreeMap<>();
        for (List<TrafficPoint> points : nodes) {
            for (TrafficPoint point : points) {
                total.merge(point.at(), point, TrafficPoint::plus);
            }
        }
        return List.copyOf(total.values());
    }

    /** Today's business (UTC day), at most {@link #SUMMARY_MAX_AGE} old; read off the caller's thread. */
    public CompletableFuture<BusinessSummary> summary() {
        BusinessSummary current = latestSummary;
        if (current != null && Duration.between(current.at(), clock.instant()).compareTo(SUMMARY_MAX_AGE) < 0) {
            return CompletableFuture.completedFuture(current);
        }
        CompletableFuture<BusinessSummary> mine = new CompletableFuture<>();
        CompletableFuture<BusinessSummary> running = summaryInFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture.supplyAsync(this::readSummary, work).whenComplete((summary, error) -> {
            if (summary != null) {
                latestSummary = summary;
            }
            summaryInFlight.set(null);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(summary);
            }
        });
        return mine;
    }

    /** This node's open breakers, parked settlements and spool depth: what its peers' dashboards ask for. */
    public NodeAttention localAttention() {
        List<NodeAttention.BreakerState> open = new ArrayList<>();
        VendorBreakers vendorBreakers = breakers.getIfAvailable();
        if (vendorBreakers != null) {
            vendorBreakers.states().entrySet().stream()
                    .filter(e -> !"CLOSED".equals(e.getValue()))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> open.add(new NodeAttention.BreakerState(e.getKey(), e.getValue())));
        }
        return new NodeAttention(nodeId, open, settlements.parkedBacklog(), settlements.spoolBacklog());
    }

    /** Runs on {@link #work}: waits for the peers (at most their short timeout) after the database queries. */
    private BusinessSummary readSummary() {
        Map<String, CompletableFuture<Object>> asked = new LinkedHashMap<>();
        for (TandemProperties.Peer peer : peers.peers()) {
            asked.put(peer.name(), peers.call(peer, "GET", "/api/v1/cluster/attention", null, null, ClusterPeers.PEER_READ_TIMEOUT)
                    .handle((answer, error) -> {
                        if (error != null) {
                            return ClusterPeers.describe(error);
                        }
                        if (!answer.ok()) {
                            return "answered HTTP " + answer.status();
                        }
                        try {
                            NodeAttention attention = json.readValue(answer.body(), NodeAttention.class);
                            if (attention == null) {
                                return "sent no figures";
                            }
                            lastAnswers.put(peer.name(), clock.instant());
                            return new NodeAttention(peer.name(), attention.openBreakers() == null ? List.of() : List.copyOf(attention.openBreakers()),
                                    attention.parkedSettlements(), attention.spoolDepth());
                        } catch (JacksonException e) {
                            LOG.warn("peer {} sent figures this node cannot read: {}", peer.name(), e.getOriginalMessage());
                            return "sent unreadable figures";
                        }
                    }));
        }
        Instant now = clock.instant();
        Instant today = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<AccountTraffic> topCustomers = queries.topCustomers(today, TOP_ACCOUNTS);
        List<AccountTraffic> topVendors = queries.topVendors(today, TOP_ACCOUNTS);
        List<LowBalance> lowBalances = queries.lowBalances(LOW_BALANCES);

        List<NodeAttention> byNode = new ArrayList<>();
        byNode.add(localAttention());
        List<OfflinePeer> unanswered = new ArrayList<>();
        Map<String, Instant> beats = null;
        for (var entry : asked.entrySet()) {
            Object outcome = entry.getValue().join();
            if (outcome instanceof NodeAttention attention) {
                byNode.add(attention);
            } else {
                beats = beats == null ? LastSeen.heartbeats(heartbeats) : beats;
                unanswered.add(new OfflinePeer(entry.getKey(), LastSeen.latest(lastAnswers.get(entry.getKey()), beats.get(entry.getKey())),
                        String.valueOf(outcome)));
            }
        }
        Map<Long, String> names = queries.gatewayNames(byNode.stream()
                .flatMap(node -> node.openBreakers().stream().map(NodeAttention.BreakerState::gatewayId)).distinct().toList());
        List<OpenBreaker> open = new ArrayList<>();
        long parked = 0;
        long spool = 0;
        for (NodeAttention node : byNode) {
            node.openBreakers().forEach(breaker -> open.add(new OpenBreaker(node.node(), breaker.gatewayId(),
                    names.getOrDefault(breaker.gatewayId(), "#" + breaker.gatewayId()), breaker.state())));
            parked += node.parkedSettlements();
            spool += node.spoolDepth();
        }
        return new BusinessSummary(now, topCustomers, topVendors, lowBalances, open, parked, spool, List.copyOf(byNode), List.copyOf(unanswered));
    }

}
