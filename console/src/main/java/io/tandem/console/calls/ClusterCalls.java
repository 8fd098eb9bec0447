package io.tandem.console.calls;

import io.tandem.console.cluster.LastSeen;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.calls.persistence.AccountNameRepository;
import io.tandem.console.cluster.Actor;
import io.tandem.console.cluster.ClusterPeers;
import io.tandem.console.cluster.ClusterPeers.PeerAnswer;
import io.tandem.console.cluster.persistence.ClusterNodeRepository;
import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.call.ActiveCallView;
import io.tandem.softswitch.call.CallEngine;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live calls of the whole cluster, and hanging one up wherever it runs. Used by
 * {@code GET/DELETE /api/v1/cluster/calls} and by the Active calls view alike.
 *
 * <p>A list is this node's call snapshots plus every peer's {@code GET /api/v1/calls}, asked in
 * parallel with the peer's key and {@link ClusterPeers#PEER_READ_TIMEOUT}; a peer that does not
 * answer in time is listed as offline with when it was last seen (its last answer or its heartbeat
 * in the database), and never holds the list up. Lists are shared for {@link #MAX_LIST_AGE}: any
 * number of open views and API clients cost one fan-out per second, and a refresh already under way
 * is joined, not repeated.
 *
 * <p>The node keeps one snapshot, refreshed in the background every {@link #REFRESH_PERIOD} while anybody
 * watches (a view or an API client asked within {@link #WATCHED_FOR}), and not at all otherwise. A view that
 * opens shows {@link #latest()} at once, with its age, instead of waiting for a fan-out to every peer.
 */
@Service
public class ClusterCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCalls.class);

    /** How long one list serves every asker before the cluster is asked again. */
    public static final Duration MAX_LIST_AGE = Duration.ofMillis(900);

    /** How often the snapshot is refreshed in the background while watched. */
    public static final Duration REFRESH_PERIOD = Duration.ofSeconds(1);

    /** How long after the last ask (view or API) the background refresh goes on. */
    public static final Duration WATCHED_FOR = Duration.ofSeconds(10);

    /** How long a hang-up may take on a peer before it counts as failed. */
    public static final Duration PEER_HANG_UP_TIMEOUT = Duration.ofSeconds(2);

    /** Calls read from one peer at most; more is a broken or hostile peer. */
    public static final int MAX_CALLS_PER_PEER = 200_000;

    private static final Duration ACCOUNT_NAMES_MAX_AGE = Duration.ofSeconds(30);
    private static final TypeReference<List<ActiveCallView>> CALL_LIST = new TypeReference<>() {
    };

    private final ObjectProvider<CallEngine> engines;
    private final ClusterPeers peers;
    private final ClusterNodeRepository heartbeats;
    private final AccountNameRepository accountNames;
    private final AuditLogRepository audit;
    private final JsonMapper json;
    private final Clock clock;
    private final String nodeId;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Instant> lastAnswers = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<ClusterCallList>> refreshing = new AtomicReference<>();
    private volatile ClusterCallList latest;
    private volatile Instant lastAsked = Instant.EPOCH;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("cluster-calls-refresh").daemon().factory());
    private volatile NamesAt names = new NamesAt(Map.of(), Instant.EPOCH);

    private record NamesAt(Map<Long, String> names, Instant at) {
    }

    /** One peer's part of a list: its calls, or why there are none. */
    private record PeerCalls(TandemProperties.Peer peer, List<ActiveCallView> calls, boolean online, String problem) {
    }

    public ClusterCalls(ObjectProvider<CallEngine> engines, ClusterPeers peers, ClusterNodeRepository heartbeats,
                        AccountNameRepository accountNames, AuditLogRepository audit, JsonMapper json, Clock clock,
                        TandemProperties properties) {
        this.engines = engines;
        this.peers = peers;
        this.heartbeats = heartbeats;
        this.accountNames = accountNames;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.nodeId = properties.effectiveNodeId();
        ticks.scheduleAtFixedRate(this::refreshWhileWatched, REFRESH_PERIOD.toMillis(), REFRESH_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        ticks.shutdownNow();
        work.shutdownNow();
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * The cluster's live calls, at most {@link #MAX_LIST_AGE} old. Completes within about
     * {@link ClusterPeers#PEER_READ_TIMEOUT} however many peers are down; never on the caller's thread
     * when the cluster has to be asked.
     */
    public CompletableFuture<ClusterCallList> list() {
        lastAsked = clock.instant();
        ClusterCallList current = latest;
        if (current != null && Duration.between(current.at(), clock.instant()).compareTo(MAX_LIST_AGE) < 0) {
            return CompletableFuture.completedFuture(current);
        }
        return refresh();
    }

    /**
     * The last snapshot taken, whatever its age (see {@link ClusterCallList#at()}), without asking anybody;
     * empty until the cluster was first asked. Counts as watching: the snapshot is refreshed in the background
     * for the next {@link #WATCHED_FOR}, starting now unless it was taken in the last 0.8 s.
     */
    public Optional<ClusterCallList> latest() {
        watchedNow();
        return Optional.ofNullable(latest);
    }

    /**
     * A console client is about to look (a user signed in, a page opened): take a snapshot now if the last one is
     * stale, so the Active calls view finds a recent one. Returns at once.
     */
    public void watchedNow() {
        lastAsked = clock.instant();
        if (isStale(latest)) {
            refreshInBackground();
        }
    }

    private void refreshWhileWatched() {
        try {
            if (Duration.between(lastAsked, clock.instant()).compareTo(WATCHED_FOR) < 0 && isStale(latest)) {
                refreshInBackground();
            }
        } catch (RuntimeException e) {
            LOG.warn("background refresh of the cluster's calls not started: {}", e.toString());
        }
    }

    private void refreshInBackground() {
        refresh().whenComplete((list, error) -> {
            if (error != null) {
                LOG.warn("background refresh of the cluster's calls failed; views keep the snapshot of before: {}", error.toString());
            }
        });
    }

    private boolean isStale(ClusterCallList list) {
        // a little under the period, so a refresh that took some time is not skipped at the next tick
        return list == null || Duration.between(list.at(), clock.instant()).compareTo(REFRESH_PERIOD.minusMillis(200)) >= 0;
    }

    private CompletableFuture<ClusterCallList> refresh() {
        CompletableFuture<ClusterCallList> mine = new CompletableFuture<>();
        CompletableFuture<ClusterCallList> running = refreshing.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        gather().whenComplete((list, error) -> {
            if (list != null) {
                latest = list;
            }
            refreshing.set(null);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(list);
            }
        });
        return mine;
    }

    private CompletableFuture<ClusterCallList> gather() {
        CompletableFuture<List<ActiveCallView>> local = CompletableFuture.supplyAsync(() -> {
            CallEngine engine = engines.getIfAvailable();
            return engine == null ? List.<ActiveCallView>of() : engine.activeCalls();
        }, work);
        List<CompletableFuture<PeerCalls>> remote = peers.peers().stream().map(this::askPeer).toList();
        CompletableFuture<?>[] all = new CompletableFuture<?>[remote.size() + 1];
        all[0] = local;
        for (int i = 0; i < remote.size(); i++) {
            all[i + 1] = remote.get(i);
        }
        return CompletableFuture.allOf(all).thenApplyAsync(done -> assemble(local.join(), remote.stream().map(CompletableFuture::join).toList()),
                work);
    }

    private CompletableFuture<PeerCalls> askPeer(TandemProperties.Peer peer) {
        return peers.call(peer, "GET", "/api/v1/calls", null, null, ClusterPeers.PEER_READ_TIMEOUT)
                .handle((answer, error) -> {
                    if (error != null) {
                        return new PeerCalls(peer, List.of(), false, ClusterPeers.describe(error));
                    }
                    return readCalls(peer, answer);
                });
    }

    private PeerCalls readCalls(TandemProperties.Peer peer, PeerAnswer answer) {
        if (answer.status() == 503) {
            // answered, but runs without SIP: online with nothing to list
            lastAnswers.put(peer.name(), clock.instant());
            return new PeerCalls(peer, List.of(), true, "SIP disabled on this node");
        }
        if (answer.status() == 401 || answer.status() == 403) {
            return new PeerCalls(peer, List.of(), false, "refused this node's API key (HTTP " + answer.status() + ")");
        }
        if (!answer.ok()) {
            return new PeerCalls(peer, List.of(), false, "answered HTTP " + answer.status());
        }
        try {
            List<ActiveCallView> calls = json.readValue(answer.body(), CALL_LIST);
            lastAnswers.put(peer.name(), clock.instant());
            if (calls.size() > MAX_CALLS_PER_PEER) {
                return new PeerCalls(peer, calls.subList(0, MAX_CALLS_PER_PEER), true,
                        "listed " + calls.size() + " calls; showing the first " + MAX_CALLS_PER_PEER);
            }
            return new PeerCalls(peer, calls, true, null);
        } catch (JacksonException e) {
            LOG.warn("peer {} ({}) sent a call list this node cannot read: {}", peer.name(), peer.url(), e.getOriginalMessage());
            return new PeerCalls(peer, List.of(), false, "sent an unreadable call list");
        }
    }

    private ClusterCallList assemble(List<ActiveCallView> localCalls, List<PeerCalls> remote) {
        Instant now = clock.instant();
        Map<Long, String> customerNames = accountNames();
        List<LiveCall> calls = new ArrayList<>(localCalls.size() + remote.stream().mapToInt(p -> p.calls().size()).sum());
        List<NodeCallStatus> nodes = new ArrayList<>(remote.size() + 1);
        boolean sip = engines.getIfAvailable() != null;
        localCalls.forEach(call -> calls.add(live(nodeId, call, customerNames)));
        nodes.add(new NodeCallStatus(nodeId, true, true, localCalls.size(), now, sip ? null : "SIP disabled on this node"));
        Map<String, Instant> beats = remote.stream().anyMatch(p -> !p.online()) ? LastSeen.heartbeats(heartbeats) : Map.of();
        for (PeerCalls peer : remote) {
            String name = peer.peer().name();
            peer.calls().forEach(call -> calls.add(live(name, call, customerNames)));
            Instant lastSeen = peer.online() ? now : LastSeen.latest(lastAnswers.get(name), beats.get(name));
            nodes.add(new NodeCallStatus(name, false, peer.online(), peer.calls().size(), lastSeen, peer.problem()));
        }
        calls.sort(Comparator.comparing(LiveCall::startedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        return new ClusterCallList(now, calls, nodes);
    }

    private static LiveCall live(String node, ActiveCallView call, Map<Long, String> customerNames) {
        String customer = customerNames.getOrDefault(call.customerAccountId(), "#" + call.customerAccountId());
        return new LiveCall(call.id(), node, call.customerAccountId(), customer, call.trunk(), call.vendorAccountId(), call.vendor(),
                call.caller(), call.callee(), call.state(), call.startedAt(), call.answeredAt(), call.durationSeconds(),
                call.currentCost(), call.currency());
    }

    private Map<Long, String> accountNames() {
        NamesAt current = names;
        if (Duration.between(current.at(), clock.instant()).compareTo(ACCOUNT_NAMES_MAX_AGE) < 0) {
            return current.names();
        }
        try {
            Map<Long, String> fresh = Map.copyOf(accountNames.names());
            names = new NamesAt(fresh, clock.instant());
            return fresh;
        } catch (RuntimeException e) {
            LOG.warn("account names not refreshed ({}); the call list shows the ones read before", e.toString());
            return current.names();
        }
    }


    /**
     * Hangs a call up on whichever node carries it, for {@code actor}, who must be allowed to
     * (ADMIN or OPERATOR). A peer is asked with its key on behalf of the actor, and audits the
     * hang-up naming both; this node audits it too, naming the node.
     */
    public CompletableFuture<HangUpOutcome> hangUp(UUID callId, Actor actor) {
        if (!actor.mayOperate()) {
            return CompletableFuture.completedFuture(new HangUpOutcome.Refused(callId,
                    "only ADMIN or OPERATOR may hang up calls"));
        }
        CompletableFuture<ClusterCallList> list = Optional.ofNullable(latest).flatMap(l -> l.find(callId)).isPresent()
                ? CompletableFuture.completedFuture(latest) : refresh();
        return list.thenCompose(calls -> calls.find(callId)
                .map(call -> hangUpOn(call.node(), callId, actor))
                .orElseGet(() -> CompletableFuture.completedFuture(new HangUpOutcome.NotFound(callId))));
    }

    private CompletableFuture<HangUpOutcome> hangUpOn(String node, UUID callId, Actor actor) {
        if (node.equals(nodeId)) {
            return CompletableFuture.supplyAsync(() -> {
                CallEngine engine = engines.getIfAvailable();
                if (engine == null || !engine.hangUp(callId)) {
                    return new HangUpOutcome.NotFound(callId);
                }
                audit.record(actor.name(), "hang-up", "call", callId.toString(), "", actor.sourceIp());
                return new HangUpOutcome.HungUp(callId, node);
            }, work);
        }
        Optional<TandemProperties.Peer> peer = peers.peer(node);
        if (peer.isEmpty()) {
            return CompletableFuture.completedFuture(new HangUpOutcome.NodeFailed(callId, node, "not a configured peer"));
        }
        return peers.call(peer.get(), "DELETE", "/api/v1/calls/" + callId, null, actor.name(), PEER_HANG_UP_TIMEOUT)
                .handleAsync((answer, error) -> {
                    if (error != null) {
                        return new HangUpOutcome.NodeFailed(callId, node, ClusterPeers.describe(error));
                    }
                    if (answer.status() == 404) {
                        return new HangUpOutcome.NotFound(callId);
                    }
                    if (!answer.ok()) {
                        return new HangUpOutcome.NodeFailed(callId, node, "answered HTTP " + answer.status());
                    }
                    audit.record(actor.name(), "hang-up", "call", callId.toString(), "on node " + node, actor.sourceIp());
                    return new HangUpOutcome.HungUp(callId, node);
                }, work);
    }
}
