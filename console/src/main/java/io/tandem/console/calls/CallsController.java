package io.tandem.console.calls;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.reload.RouteTableHolder;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node's live calls (list, hang up), drain for rolling restarts, and the vendors' circuit
 * breakers and quality. The console fans these out to every peer.
 */
@RestController
public class CallsController {

    private final ObjectProvider<CallEngine> engines;
    private final ObjectProvider<VendorBreakers> breakerProvider;
    private final ObjectProvider<QualityStats> qualityProvider;
    private final AuditLogRepository audit;
    private final ObjectProvider<TrunkIdentificationHolder> trunkProvider;
    private final ObjectProvider<RouteTableHolder> routeProvider;

    public CallsController(ObjectProvider<CallEngine> engines, ObjectProvider<VendorBreakers> breakers,
                           ObjectProvider<QualityStats> quality, AuditLogRepository audit,
                           ObjectProvider<TrunkIdentificationHolder> trunkProvider, ObjectProvider<RouteTableHolder> routeProvider) {
        this.trunkProvider = trunkProvider;
        this.routeProvider = routeProvider;
        this.engines = engines;
        this.breakerProvider = breakers;
        this.qualityProvider = quality;
        this.audit = audit;
    }

    private static ResponseEntity<Object> sipDisabled() {
        return ApiError.status(HttpStatus.SERVICE_UNAVAILABLE, "SIP is disabled on this node (tandem.sip.enabled=false)");
    }

    @GetMapping("/api/v1/calls")
    public ResponseEntity<Object> calls() {
        CallEngine engine = engines.getIfAvailable();
        return engine == null ? sipDisabled() : ResponseEntity.ok(engine.activeCalls());
    }

    /**
     * Hangs a call up on this node. A peer node's key may do so only on behalf of a named console
     * user or operator key ({@code X-On-Behalf-Of}), who is then in this node's audit log beside the peer.
     */
    @DeleteMapping("/api/v1/calls/{id}")
    public ResponseEntity<Object> hangUp(@PathVariable UUID id,
                                         @org.springframework.web.bind.annotation.RequestHeader(value = ON_BEHALF_OF, required = false)
                                         String onBehalfOf, HttpServletRequest http) {
        String detail = "";
        if (ApiCaller.isPeer()) {
            if (onBehalfOf == null || onBehalfOf.isBlank() || onBehalfOf.length() > 128) {
                return ApiError.invalid(java.util.Map.of(ON_BEHALF_OF,
                        "a peer hangs up only on behalf of a named user or key (1-128 characters)"));
            }
            detail = "on behalf of " + onBehalfOf.strip();
        }
        CallEngine engine = engines.getIfAvailable();
        if (engine == null) {
            return sipDisabled();
        }
        if (!engine.hangUp(id)) {
            return ApiError.status(org.springframework.http.HttpStatus.NOT_FOUND, "no call " + id + " on this node");
        }
        audit.record(ApiCaller.name(), "hang-up", "call", id.toString(), detail, http.getRemoteAddr());
        return ResponseEntity.accepted().build();
    }

    /** Who a peer acts for when it hangs up a call here. */
    public static final String ON_BEHALF_OF = "X-On-Behalf-Of";

    public record DrainRequest(boolean draining) {
    }

    /**
     * @param routingVersion config version of the routing table in use
     * @param trunksVersion  config version the trunk identification was loaded at; equal to
     *                       {@code routingVersion} once a change is live for new calls
     */
    public record NodeState(boolean draining, int activeCalls, long offered, long answered, long rejected, long failovers,
                            long routingVersion, long trunksVersion) {
    }

    @GetMapping("/api/v1/node")
    public ResponseEntity<Object> node() {
        CallEngine engine = engines.getIfAvailable();
        if (engine == null) {
            return sipDisabled();
        }
        TrunkIdentificationHolder trunks = trunkProvider.getIfAvailable();
        RouteTableHolder routes = routeProvider.getIfAvailable();
        io.tandem.softswitch.call.CallStats stats = engine.stats();
        return ResponseEntity.ok(new NodeState(engine.draining(), stats.active(), stats.offered(), stats.answered(), stats.rejected(),
                stats.failovers(),
                routes == null ? 0 : routes.current().version(), trunks == null ? 0 : trunks.loadedVersion()));
    }

    /** {@code {"draining": true}}: new INVITEs get 503 + Retry-After while current calls finish. */
    @PostMapping("/api/v1/node/drain")
    public ResponseEntity<Object> drain(@RequestBody DrainRequest request, HttpServletRequest http) {
        CallEngine engine = engines.getIfAvailable();
        if (engine == null) {
            return sipDisabled();
        }
        engine.setDraining(request.draining());
        audit.record(ApiCaller.name(), request.draining() ? "drain" : "undrain", "node", "", "", http.getRemoteAddr());
        return node();
    }

    public record GatewayHealth(long gatewayId, String breaker, int attempts, double asrPercent, double acdSeconds, double pddMillis) {
    }

    /** Closes a gateway's circuit breaker by hand (the vendor says it is fixed); audited. */
    @PostMapping("/api/v1/node/breakers/{gatewayId}/reset")
    public ResponseEntity<Object> resetBreaker(@PathVariable long gatewayId, HttpServletRequest http) {
        VendorBreakers breakers = breakerProvider.getIfAvailable();
        if (breakers == null) {
            return sipDisabled();
        }
        breakers.reset(gatewayId);
        audit.record(ApiCaller.name(), "reset-breaker", "vendor-gateway", Long.toString(gatewayId), "", http.getRemoteAddr());
        return breakers();
    }

    @GetMapping("/api/v1/node/breakers")
    public ResponseEntity<Object> breakers() {
        VendorBreakers breakers = breakerProvider.getIfAvailable();
        QualityStats quality = qualityProvider.getIfAvailable();
        if (breakers == null || quality == null) {
            return sipDisabled();
        }
        Map<Long, String> states = breakers.states();
        List<GatewayHealth> health = states.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            QualityStats.Snapshot s = quality.gateway(e.getKey());
            return new GatewayHealth(e.getKey(), e.getValue(), s.attempts(), s.asrPercent(), s.acdSeconds(), s.pddMillis());
        }).collect(Collectors.toList());
        return ResponseEntity.ok(health);
    }
}
