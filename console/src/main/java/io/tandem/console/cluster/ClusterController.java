package io.tandem.console.cluster;

import io.tandem.console.node.TandemProperties;
import io.tandem.routing.reload.RouteTableHolder;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What peers ask of this node: its health, and a routing reload after a change elsewhere. */
@RestController
@RequestMapping("/api/v1/cluster")
public class ClusterController {

    private final RouteTableHolder routeTable;
    private final String nodeId;
    private final AtomicLong reloadRequests = new AtomicLong();

    public ClusterController(RouteTableHolder routeTable, TandemProperties properties) {
        this.routeTable = routeTable;
        this.nodeId = properties.effectiveNodeId();
    }

    /**
     * @param routingVersion config version of the routing table this node serves
     * @param configVersion  config version in the database now; above {@code routingVersion} while
     *                       the node has yet to load a change
     * @param reloadRequests reload pokes received from peers since start
     */
    public record ClusterHealth(String nodeId, String status, long routingVersion, long configVersion, long reloadRequests) {
    }

    @GetMapping("/health")
    public ClusterHealth health() {
        long serving = routeTable.current().version();
        return new ClusterHealth(nodeId, "up", serving, routeTable.sourceVersion(), reloadRequests.get());
    }

    /**
     * A peer changed routing data: look at the version now instead of at the next poll and reload if
     * it moved. Answers at once; pokes that arrive while one waits are folded into it.
     */
    @PostMapping("/reload")
    public ResponseEntity<Void> reload() {
        reloadRequests.incrementAndGet();
        routeTable.pokeFromPeer();
        return ResponseEntity.accepted().build();
    }
}
