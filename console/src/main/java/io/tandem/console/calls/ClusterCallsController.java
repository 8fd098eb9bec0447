package io.tandem.console.calls;

import io.tandem.console.api.ApiError;
import io.tandem.console.cluster.Actor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live calls of every node ({@code GET /api/v1/cluster/calls}) and a hang-up that finds the
 * node carrying the call ({@code DELETE /api/v1/cluster/calls/{id}}). A thin adapter over
 * {@link ClusterCalls}, which the Active calls view uses too.
 */
@RestController
public class ClusterCallsController {

    private final ClusterCalls calls;

    public ClusterCallsController(ClusterCalls calls) {
        this.calls = calls;
    }

    /** A call on the wire: money as a decimal string with 6 decimals. */
    public record LiveCallJson(UUID id, String node, long customerAccountId, String customer, String trunk, Long vendorAccountId,
                               String vendor, String caller, String callee, String state, Instant startedAt, Instant answeredAt,
                               long durationSeconds, String currentCost, String currency) {

        static LiveCallJson of(LiveCall call) {
            return new LiveCallJson(call.id(), call.node(), call.customerAccountId(), call.customer(), call.trunk(),
                    call.vendorAccountId(), call.vendor(), call.caller(), call.callee(), call.state(), call.startedAt(),
                    call.answeredAt(), call.durationSeconds(), call.currentCost() == null ? null : call.currentCost().setScale(6, java.math.RoundingMode.HALF_UP).toPlainString(),
                    call.currency());
        }
    }

    public record ClusterCallsJson(Instant at, List<NodeCallStatus> nodes, List<LiveCallJson> calls) {
    }

    @GetMapping("/api/v1/cluster/calls")
    public ClusterCallsJson list() {
        ClusterCallList list = calls.list().join();
        return new ClusterCallsJson(list.at(), list.nodes(), list.calls().stream().map(LiveCallJson::of).toList());
    }

    public record HangUpJson(UUID id, String node) {
    }

    @DeleteMapping("/api/v1/cluster/calls/{id}")
    public ResponseEntity<Object> hangUp(@PathVariable String id, HttpServletRequest http) {
        UUID callId;
        try {
            callId = id.length() == 36 ? UUID.fromString(id) : null;
        } catch (IllegalArgumentException e) {
            callId = null;
        }
        if (callId == null) {
            return ApiError.invalid(java.util.Map.of("id", "a call id (UUID, 36 characters)"));
        }
        Actor actor = Actor.of(SecurityContextHolder.getContext().getAuthentication(), http.getRemoteAddr());
        HangUpOutcome outcome = calls.hangUp(callId, actor).join();
        return switch (outcome) {
            case HangUpOutcome.HungUp done -> ResponseEntity.accepted().body(new HangUpJson(done.callId(), done.node()));
            case HangUpOutcome.NotFound missing -> ApiError.status(HttpStatus.NOT_FOUND, "no node that answered carries call " + id);
            case HangUpOutcome.Refused refused -> ApiError.status(HttpStatus.FORBIDDEN, refused.why());
            case HangUpOutcome.NodeFailed failed -> ApiError.status(HttpStatus.BAD_GATEWAY,
                    "node " + failed.node() + " did not hang up call " + id + ": " + failed.why());
        };
    }
}
