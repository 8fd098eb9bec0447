package io.tandem.console.api.trunks;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.api.PutBodyMerge;
import io.tandem.console.trunks.TrunkRequest;
import io.tandem.console.trunks.TrunkService;
import io.tandem.routing.provisioning.IngressTrunk;
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
 * Customers' ingress trunks: source CIDRs, digest users (stored as HA1 only), number translation.
 * A thin adapter over {@link TrunkService}, which the console's trunks view uses too.
 */
@RestController
@RequestMapping("/api/v1/ingress-trunks")
public class TrunksController {

    private final TrunkService service;
    private final PutBodyMerge putBodies;

    public TrunksController(TrunkService service, JsonMapper json) {
        this.service = service;
        this.putBodies = new PutBodyMerge(json);
    }

    /** Fields whose empty value means something, so that an explicit {@code null} in a {@code PUT} clears them. */
    private static final Set<String> CLEARABLE = Set.of("sourceCidrs", "techPrefix", "calleeTranslations", "callerTranslations",
            "routingProfileId", "sellDeckId", "maxCps", "maxConcurrentCalls");

    @GetMapping
    public List<IngressTrunk> list(@RequestParam(required = false) Long accountId, @RequestParam(defaultValue = "0") int offset,
                                   @RequestParam(defaultValue = "100") int limit) {
        return service.list(accountId, offset, limit);
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return service.find(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> ApiError.notFound("ingress trunk", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody TrunkRequest request) {
        return ApiOutcomes.createdAt(service.create(request), t -> "/api/v1/ingress-trunks/" + t.id(), t -> t);
    }

    /**
     * Replaces the fields the body names; the others keep their value (see {@link PutBodyMerge}), so
     * a disabled trunk stays disabled and its limits stay unless the body says otherwise. {@code null}
     * clears {@link #CLEARABLE} fields only; {@code digestUsers} left out or null keeps the users.
     */
    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody JsonNode body) {
        Optional<IngressTrunk> current = service.find(id);
        if (current.isEmpty()) {
            return ApiError.notFound("ingress trunk", id);
        }
        return switch (putBodies.merge(TrunkRequest.of(current.get()), body, TrunkRequest.class, CLEARABLE)) {
            case PutBodyMerge.Merged.Request<TrunkRequest>(TrunkRequest request) -> ApiOutcomes.ok(service.update(id, request));
            case PutBodyMerge.Merged.Unreadable<TrunkRequest>(String problem) -> ApiError.status(HttpStatus.BAD_REQUEST, problem);
        };
    }

    /** Disables the trunk: its traffic is refused from now on; nothing is deleted. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> disable(@PathVariable long id) {
        return ApiOutcomes.ok(service.setEnabled(id, false));
    }
}
