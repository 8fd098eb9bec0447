package io.tandem.console.calls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The live calls of every node that answered, taken at {@code at}, and how each node answered.
 * Immutable: views page through it without asking again.
 */
public record ClusterCallList(Instant at, List<LiveCall> calls, List<NodeCallStatus> nodes) {

    public ClusterCallList {
        calls = List.copyOf(calls);
        nodes = List.copyOf(nodes);
    }

    public Optional<LiveCall> find(UUID id) {
        for (LiveCall call : calls) {
            if (call.id().equals(id)) {
                return Optional.of(call);
            }
        }
        return Optional.empty();
    }

    public List<NodeCallStatus> offlineNodes() {
        return nodes.stream().filter(node -> !node.online()).toList();
    }
}
