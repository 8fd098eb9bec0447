package io.tandem.console.cluster.persistence;

import static io.tandem.db.jooq.Tables.CLUSTER_NODE;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;

/** The heartbeats every node writes ({@code cluster_node}): when each node was last alive. */
@org.springframework.stereotype.Repository
public class ClusterNodeRepository {

    private final DSLContext dsl;

    public ClusterNodeRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Last heartbeat by node id. */
    public Map<String, Instant> lastHeartbeats() {
        Map<String, Instant> heartbeats = new HashMap<>();
        dsl.select(CLUSTER_NODE.NODE_ID, CLUSTER_NODE.HEARTBEAT_AT)
                .from(CLUSTER_NODE)
                .fetch()
                .forEach(row -> heartbeats.put(row.value1(), row.value2()));
        return heartbeats;
    }
}
