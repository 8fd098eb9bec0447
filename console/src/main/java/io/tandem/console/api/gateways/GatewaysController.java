package io.tandem.console.api.gateways;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.api.PutBodyMerge;
import io.tandem.console.gateways.GatewayRequest;
import io.tandem.console.gateways.GatewayService;
import io.tandem.routing.provisioning.VendorGateway;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vendors' gateways: where and how we send their calls, limits and failover codes. A thin adapter
 * over {@link GatewayService}, which the console's gateways view uses too.
 */
@RestController
@RequestMapping("/api/v1/vendor-gateways")
public class GatewaysController {

    /** Fields whose empty value means something ("no tech prefix", "no limit", "default codes"): an explicit {@code null} clears them. */
    private static final Set<String> CLEARABLE = Set.of("techPrefix", "maxCps", "maxConcurrentCalls", "failoverCodes",
            "registeredTrunkId");

    private final GatewayService service;
    private final PutBodyMerge putBodies;

    public GatewaysController(GatewayService service, JsonMapper json) {
        this.service = service;
        this.putBodies = new PutBodyMerge(json);
    }

    @GetMapping
    public List<VendorGateway> list(@RequestParam(required = false) Long accountId, @RequestParam(defaultValue = "0") int offset,
                                    @RequestParam(defaultValue = "100") int limit) {
        return service.list(accountId, offset, limit);
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return service.find(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> ApiError.notFound("vendor gateway", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody GatewayRequest request) {
        return ApiOutcomes.createdAt(service.create(request), g -> "/api/v1/vendor-gateways/" + g.id(), g -> g);
    }

    /**
     * Replaces the fields the body names; the others keep their value (see {@link PutBodyMerge}):
     * a disabled gateway stays disabled, its port and caps stay. {@code null} clears {@link #CLEARABLE} fields only.
     */
    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody JsonNode body) {
        Optional<VendorGateway> current = service.find(id);
        if (current.isEmpty()) {
            return ApiError.notFound("vendor gateway", id);
        }
        return switch (putBodies.merge(GatewayRequest.of(current.get()), body, GatewayRequest.class, CLEARABLE)) {
            case PutBodyMerge.Merged.Request<GatewayRequest>(GatewayRequest request) -> ApiOutcomes.ok(service.update(id, request));
            case PutBodyMerge.Merged.Unreadable<GatewayRequest>(String problem) -> ApiError.status(HttpStatus.BAD_REQUEST, problem);
        };
    }

    /** Disables the gateway: routing stops using it; nothing is deleted. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> disable(@PathVariable long id) {
        return ApiOutcomes.ok(service.setEnabled(id, false));
    }

    /** This node's breaker state and ASR/ACD/PDD for the gateway. */
    @GetMapping("/{id}/health")
    public ResponseEntity<Object> health(@PathVariable long id) {
        if (service.find(id).isEmpty()) {
            return ApiError.notFound("vendor gateway", id);
        }
        return ResponseEntity.ok(service.health(id));
    }
}
