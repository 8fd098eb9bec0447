package io.tandem.softswitch.media.remote;

import io.tandem.softswitch.media.relay.MediaStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** Media nodes that answer at once from memory, or not at all when the test has "killed" them. */
final class FakeMediaNodeControl implements MediaNodeControl {

    final Map<String, NodeLoad> loads = new HashMap<>();
    final Set<String> dead = new HashSet<>();
    final Set<String> full = new HashSet<>();
    /** Nodes that answer updates only when the test says ({@link #held}): a freshly started node, slow to answer. */
    final Set<String> slow = new HashSet<>();
    final List<CompletableFuture<NodeLoad>> held = new ArrayList<>();
    /** Nodes whose range is exhausted: their leases grant no port. */
    final Set<String> noPorts = new HashSet<>();
    final Map<String, List<SessionUpdate>> updates = new HashMap<>();
    final List<String> releases = new ArrayList<>();
    /** Calls each node reports silent in its status answers. */
    final Map<String, List<UUID>> silent = new HashMap<>();
    /** What each node's release answers for a call's media; null: no figures. */
    MediaStats figures;
    private int nextPort = 20_000;

    void load(String node, int sessions, int max) {
        loads.put(node, new NodeLoad(sessions, max));
    }

    static String addressOf(String node) {
        return "192.0.2." + (node.charAt(node.length() - 1) - 'a' + 1);
    }

    private <T> CompletableFuture<T> answer(String node, T value) {
        return dead.contains(node) ? CompletableFuture.failedFuture(new TimeoutException()) : CompletableFuture.completedFuture(value);
    }

    private NodeLoad loadOf(String node) {
        return loads.getOrDefault(node, new NodeLoad(0, 5_000));
    }

    @Override
    public CompletableFuture<PortGrant> lease(String node, int pairs) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < pairs && !noPorts.contains(node); i++) {
            ports.add(nextPort);
            nextPort += 2;
        }
        return answer(node, new PortGrant(addressOf(node), ports, loadOf(node)));
    }

    @Override
    public CompletableFuture<NodeLoad> update(String node, SessionUpdate update) {
        updates.computeIfAbsent(node, n -> new ArrayList<>()).add(update);
        if (full.contains(node)) {
            return CompletableFuture.failedFuture(new RefusedException("this media node is full: 5000 of 5000 sessions"));
        }
        if (slow.contains(node)) {
            CompletableFuture<NodeLoad> later = new CompletableFuture<>();
            held.add(later);
            return later;
        }
        return answer(node, loadOf(node));
    }

    @Override
    public CompletableFuture<Released> release(String node, UUID call) {
        releases.add(node);
        return answer(node, new Released(loadOf(node).sessions(), loadOf(node).maxSessions(), figures));
    }

    @Override
    public CompletableFuture<NodeStatus> status(String node, List<Integer> unused) {
        return answer(node, new NodeStatus(loadOf(node).sessions(), loadOf(node).maxSessions(), silent.getOrDefault(node, List.of())));
    }

    SessionUpdate lastUpdate(String node) {
        List<SessionUpdate> list = updates.getOrDefault(node, List.of());
        return list.isEmpty() ? null : list.getLast();
    }
}
