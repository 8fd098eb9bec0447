package io.tandem.console.cluster;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.calls.CallsController;
import io.tandem.console.cluster.ClusterNodes.DrainOutcome;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The nodes of the cluster: this node's report for its peers ({@code GET /api/v1/cluster/node}),
 * every node's ({@code GET /api/v1/cluster/nodes}), and drain/undrain of any node. A thin adapter
 * over {@link ClusterNodes}, which the Cluster view uses too.
 */
@RestController
public class ClusterNodesController {

    /** Node names are peer names from configuration; longer is not one of ours. */
    static final int MAX_NODE_NAME = 64;

    private final ClusterNodes nodes;

    public ClusterNodesController(ClusterNodes nodes) {
        this.nodes = nodes;
    }

    public record DrainRequest(boolean draining) {
    }

    @GetMapping("/api/v1/cluster/node")
    public ClusterNodes.NodeReport self() {
        return nodes.self();
    }

    @GetMapping("/api/v1/cluster/nodes")
    public List<ClusterNodes.NodeReport> all() {
        return nodes.all().join();
    }

    /** Drains this node; a peer key must name whom it acts for ({@code X-On-Behalf-Of}), like a hang-up. */
    @PostMapping("/api/v1/cluster/node/drain")
    public ResponseEntity<Object> drainSelf(@RequestBody DrainRequest request,
                                            @RequestHeader(value = CallsController.ON_BEHALF_OF, required = false) String onBehalfOf,
                                            HttpServletRequest http) {
        String detail = "";
        if (ApiCaller.isPeer()) {
            if (onBehalfOf == null || onBehalfOf.isBlank() || onBehalfOf.length() > 128) {
                return ApiError.invalid(Map.of(CallsController.ON_BEHALF_OF,
                        "a peer drains a node only on behalf of a named user or key (1-128 characters)"));
            }
            detail = "on behalf of " + onBehalfOf.strip();
        }
        return answer(nodes.drainSelf(request.draining(), ApiCaller.name(), detail, http.getRemoteAddr()));
    }

    @PostMapping("/api/v1/cluster/nodes/{node}/drain")
    public ResponseEntity<Object> drain(@PathVariable String node, @RequestBody DrainRequest request, HttpServletRequest http) {
        if (node.length() > MAX_NODE_NAME) {
            return ApiError.invalid(Map.of("node", "at most " + MAX_NODE_NAME + " characters"));
        }
        Actor actor = Actor.of(SecurityContextHolder.getContext().getAuthentication(), http.getRemoteAddr());
        return answer(nodes.drain(node, request.draining(), actor).join());
    }

    private static ResponseEntity<Object> answer(DrainOutcome outcome) {
        return switch (outcome) {
            case DrainOutcome.Done done -> ResponseEntity.ok(done.node());
            case DrainOutcome.Refused refused -> ApiError.status(HttpStatus.FORBIDDEN, refused.why());
            case DrainOutcome.NoSuchNode missing -> ApiError.status(HttpStatus.NOT_FOUND, "no node " + missing.node() + " in this cluster");
            case DrainOutcome.NodeFailed failed -> ApiError.status(HttpStatus.BAD_GATEWAY,
                    "node " + failed.node() + " did not change: " + failed.why());
        };
    }
}
