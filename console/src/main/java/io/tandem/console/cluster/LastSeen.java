package io.tandem.console.cluster;

import io.tandem.console.cluster.persistence.ClusterNodeRepository;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** When each node was last seen alive: its heartbeat in the database, or the last time a peer answered. */
public final class LastSeen {

    private static final Logger LOG = LoggerFactory.getLogger(LastSeen.class);

    private LastSeen() {
    }

    /**
     * Every node's last heartbeat; empty, with a warning, when the database cannot say, so that offline
     * peers show when this node last heard from them instead.
     */
    public static Map<String, Instant> heartbeats(ClusterNodeRepository repository) {
        try {
            return repository.lastHeartbeats();
        } catch (RuntimeException e) {
            LOG.warn("node heartbeats not read ({}); offline peers show when this node last heard from them", e.toString());
            return Map.of();
        }
    }

    /** The later of two instants; either may be null. */
    public static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
