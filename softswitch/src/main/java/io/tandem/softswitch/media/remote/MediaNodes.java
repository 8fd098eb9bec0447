package io.tandem.softswitch.media.remote;

import io.tandem.softswitch.media.remote.MediaNodeControl.NodeLoad;
import io.tandem.softswitch.media.remote.MediaNodeControl.PortGrant;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote media nodes a signalling node anchors calls on, and the choice among them: the least
 * loaded healthy node under its session cap. A node is healthy while its heartbeat in the cluster
 * table is fresher than {@code deadAfter} and its last control call succeeded; when it stops being
 * healthy, every call placed on it hears {@link Member#mediaNodeLost} once.
 *
 * <p>Each node keeps a stock of leased port pairs on this side, refilled in the background, so that
 * placing a call and numbering its ports never waits on the network. Thread-safe: SIP loops place
 * and release calls, the control protocol's callbacks and the periodic {@link #tick} report back;
 * the lock is held only for bookkeeping, never across a control call or a member's callback.
 *
 * <p>Health rules:
 * <table>
 *   <caption>when a node takes new calls</caption>
 *   <tr><th>heartbeat</th><th>last control call</th><th>healthy</th></tr>
 *   <tr><td>never seen, or older than deadAfter</td><td>any</td><td>no</td></tr>
 *   <tr><td>fresh</td><td>failed</td><td>no, until a status call succeeds</td></tr>
 *   <tr><td>fresh</td><td>succeeded (or none yet)</td><td>yes; placed only with sessions &lt; cap and ports in stock</td></tr>
 * </table>
 */
public final class MediaNodes {

    private static final Logger log = LoggerFactory.getLogger(MediaNodes.class);

    /** A call anchored on a node; told on any thread, once, when that node is lost. */
    public interface Member {
        /** The call's id, as the media nodes know its session. */
        UUID call();

        void mediaNodeLost(String node);

        /** The node reports the answered call silent past its limit (media timeout); told at each status call until it ends. */
        void mediaSilent(String node);
    }

    /** Where a call was placed: the node and its public media address. */
    public record Placement(String node, String address) {
    }

    /**
     * @param deadAfter   heartbeat silence after which a node is lost (default 15 s: three heartbeats of 5 s)
     * @param maxSessions cap assumed until a node reports its own (default 5,000)
     * @param leaseBatch  port pairs leased at a time (default 64)
     * @param lowStock    a refill starts when a node's stock falls below this (default 32)
     */
    public record Settings(Duration deadAfter, int maxSessions, int leaseBatch, int lowStock) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(15), 5_000, 64, 32);
        }
    }

    private static final class Node {
        final String name;
        Instant heartbeat;
        boolean failed;
        boolean lost = true;
        int sessions;
        int maxSessions;
        String address;
        final ArrayDeque<Integer> stock = new ArrayDeque<>();
        boolean refilling;
        final Set<Member> members = ConcurrentHashMap.newKeySet();

        Node(String name, int maxSessions) {
            this.name = name;
            this.maxSessions = maxSessions;
        }
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final MediaNodeControl control;
    private final InstantSource clock;
    private final Settings settings;

    public MediaNodes(Collection<String> names, MediaNodeControl control, InstantSource clock, Settings settings) {
        this.control = control;
        this.clock = clock;
        this.settings = settings;
        names.forEach(name -> nodes.put(name, new Node(name, settings.maxSessions())));
    }

    public List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * Places a call on the least loaded healthy node (sessions over cap; the first configured wins a
     * tie) that is under its cap and has ports in stock; null when there is none.
     */
    public Placement place(Member call) {
        Placement placed;
        synchronized (this) {
            Node best = null;
            for (Node node : nodes.values()) {
                if (!healthy(node) || node.sessions >= node.maxSessions || node.stock.size() < 2 || node.address == null) {
                    continue;
                }
                if (best == null || (long) node.sessions * best.maxSessions < (long) best.sessions * node.maxSessions) {
                    best = node;
                }
            }
            if (best == null) {
                return null;
            }
            best.sessions++;
            best.members.add(call);
            placed = new Placement(best.name, best.address);
        }
        return placed;
    }

    /** {@code pairs} leased port pairs of the node, or null if its stock has too few. Never waits. */
    public int[] takePorts(String node, int pairs) {
        int[] ports;
        synchronized (this) {
            Node n = nodes.get(node);
            if (n == null || n.lost || n.stock.size() < pairs) {
                return null;
            }
            ports = new int[pairs];
            for (int i = 0; i < pairs; i++) {
                ports[i] = n.stock.poll();
            }
        }
        refill();
        return ports;
    }

    /** The call left the node (it ended, or moved to another after a loss). */
    public void released(String node, Member call) {
        synchronized (this) {
            Node n = nodes.get(node);
            if (n != null && n.members.remove(call)) {
                n.sessions = Math.max(0, n.sessions - 1);
            }
        }
    }

    /** Heartbeats from the cluster table (node id to last beat); nodes missing from it keep their last. */
    public void heartbeats(Map<String, Instant> beats) {
        synchronized (this) {
            beats.forEach((name, at) -> {
                Node n = nodes.get(name);
                if (n != null && at != null && (n.heartbeat == null || at.isAfter(n.heartbeat))) {
                    n.heartbeat = at;
                }
            });
        }
        checkHealth();
    }

    /** A control call answered: the node's own count and cap replace ours. */
    public void answered(String node, NodeLoad load) {
        synchronized (this) {
            Node n = nodes.get(node);
            if (n == null) {
                return;
            }
            n.failed = false;
            n.sessions = load.sessions();
            n.maxSessions = load.maxSessions();
        }
        checkHealth();
    }

    /** A control call failed or timed out: the node takes no calls until a status call succeeds. */
    public void failed(String node, String why) {
        synchronized (this) {
            Node n = nodes.get(node);
            if (n == null || n.failed) {
                return;
            }
            n.failed = true;
            log.warn("media node {} did not answer a control call ({}); no new calls go there until it does", node, why);
        }
        checkHealth();
    }

    /**
     * Periodic work (every second or two, off the SIP loops): loses nodes whose heartbeat went stale,
     * asks every node its load (which also renews this node's leases there and revives a failed one),
     * and refills stocks.
     */
    public void tick() {
        checkHealth();
        Map<String, List<Integer>> unused = new LinkedHashMap<>();
        synchronized (this) {
            nodes.values().forEach(n -> unused.put(n.name, n.refilling ? null : List.copyOf(n.stock)));
        }
        for (Map.Entry<String, List<Integer>> node : unused.entrySet()) {
            String name = node.getKey();
            control.status(name, node.getValue()).whenComplete((status, error) -> {
                if (error != null) {
                    failed(name, describe(error));
                } else {
                    answered(name, status.load());
                    silent(name, status.silent());
                }
            });
        }
        refill();
    }

    /** The node's silent calls hear it (each ends its call, once). */
    private void silent(String node, List<UUID> calls) {
        if (calls.isEmpty()) {
            return;
        }
        Set<UUID> wanted = Set.copyOf(calls);
        List<Member> heard;
        synchronized (this) {
            Node n = nodes.get(node);
            heard = n == null ? List.of() : n.members.stream().filter(m -> wanted.contains(m.call())).toList();
        }
        heard.forEach(member -> member.mediaSilent(node));
    }

    /** Leased port pairs in stock on this side for the node. */
    public synchronized int stockOf(String node) {
        Node n = nodes.get(node);
        return n == null ? 0 : n.stock.size();
    }

    /** The load of each node as this side sees it, for the Cluster view; unhealthy nodes are absent. */
    public synchronized Map<String, NodeLoad> loads() {
        Map<String, NodeLoad> loads = new LinkedHashMap<>();
        nodes.values().stream().filter(this::healthy).forEach(n -> loads.put(n.name, new NodeLoad(n.sessions, n.maxSessions)));
        return loads;
    }

    private boolean healthy(Node n) {
        return !n.failed && n.heartbeat != null && !n.heartbeat.isBefore(clock.instant().minus(settings.deadAfter()));
    }

    private void checkHealth() {
        List<Map.Entry<String, List<Member>>> lost = new ArrayList<>();
        synchronized (this) {
            for (Node n : nodes.values()) {
                boolean healthy = healthy(n);
                if (healthy && n.lost) {
                    n.lost = false;
                    log.info("media node {} is healthy: new calls may be anchored there", n.name);
                } else if (!healthy && !n.lost) {
                    n.lost = true;
                    // its leases lapse there; a node that comes back leases afresh
                    n.stock.clear();
                    n.address = null;
                    lost.add(Map.entry(n.name, List.copyOf(n.members)));
                    n.members.clear();
                    n.sessions = 0;
                    log.warn("media node {} lost ({}); {} calls on it move or end", n.name,
                            n.failed ? "control calls fail" : "no heartbeat for " + settings.deadAfter().toSeconds() + " s",
                            lost.getLast().getValue().size());
                }
            }
        }
        for (Map.Entry<String, List<Member>> entry : lost) {
            entry.getValue().forEach(member -> member.mediaNodeLost(entry.getKey()));
        }
    }

    private void refill() {
        List<String> due = new ArrayList<>();
        synchronized (this) {
            for (Node n : nodes.values()) {
                if (healthy(n) && !n.refilling && n.stock.size() < settings.lowStock()) {
                    n.refilling = true;
                    due.add(n.name);
                }
            }
        }
        for (String name : due) {
            control.lease(name, settings.leaseBatch()).whenComplete((grant, error) -> leased(name, grant, error));
        }
    }

    private void leased(String name, PortGrant grant, Throwable error) {
        synchronized (this) {
            Node n = nodes.get(name);
            n.refilling = false;
            if (error == null && !n.lost) {
                n.address = grant.address();
                n.stock.addAll(grant.ports());
            }
        }
        if (error != null) {
            failed(name, describe(error));
        } else {
            answered(name, grant.load());
        }
    }

    static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof java.util.concurrent.TimeoutException ? "no answer in time" : cause.toString();
    }
}
