package io.tandem.console.cluster;

import io.tandem.routing.reload.RouteTableHolder;
import org.springframework.stereotype.Component;

/**
 * Routing data changed in the database (a deck import committed, a vendor list or a blocked
 * destination edited): this node reloads at once and every peer is poked, so the cluster serves
 * the change within a round trip instead of a version poll.
 */
@Component
public class RoutingChanges {

    private final RouteTableHolder routeTable;
    private final ClusterPeers peers;

    public RoutingChanges(RouteTableHolder routeTable, ClusterPeers peers) {
        this.routeTable = routeTable;
        this.peers = peers;
    }

    /** Call after the change's transaction committed. Never waits for a peer. */
    public void announce(String what) {
        routeTable.poke();
        peers.pokeAll(what);
    }
}
