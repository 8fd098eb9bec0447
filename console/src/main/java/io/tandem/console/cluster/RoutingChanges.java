package io.tandem.console.cluster;

import io.tandem.routing.reload.RouteTableHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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

    /**
     * Reloads here and pokes the peers; inside a transaction, once it has committed (a reload before
     * the commit would read the old rows, a rolled-back change is never announced). Never waits for a peer.
     */
    public void announce(String what) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    announceNow(what);
                }
            });
            return;
        }
        announceNow(what);
    }

    private void announceNow(String what) {
        routeTable.poke();
        peers.pokeAll(what);
    }
}
