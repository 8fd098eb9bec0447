package io.tandem.console.api.routing;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.cluster.RoutingChanges;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.persistence.BlockedDestinationRepository;
import io.tandem.routing.persistence.BlockedDestinationRepository.BlockedDestination;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's blocked destinations: calls to these prefixes get {@code 403} before any vendor is
 * tried. Routing on this node reloads at once; peers within a second.
 */
@RestController
@RequestMapping("/api/v1/accounts/{accountId}/blocked-destinations")
public class BlockedDestinationsController {

    private final BlockedDestinationRepository blocked;
    private final RoutingChanges routingChanges;
    private final AuditLogRepository audit;

    public BlockedDestinationsController(BlockedDestinationRepository blocked, RoutingChanges routingChanges, AuditLogRepository audit) {
        this.blocked = blocked;
        this.routingChanges = routingChanges;
        this.audit = audit;
    }

    public record BlockRequest(String prefix, String reason) {
    }

    @GetMapping
    public ResponseEntity<Object> list(@PathVariable long accountId) {
        return blocked.list(accountId).<ResponseEntity<Object>>map(ResponseEntity::ok)
                .orElseGet(() -> ApiError.notFound("account", accountId));
    }

    @PostMapping
    public ResponseEntity<Object> add(@PathVariable long accountId, @RequestBody BlockRequest request, HttpServletRequest http) {
        if (blocked.list(accountId).isEmpty()) {
            return ApiError.notFound("account", accountId);
        }
        String prefix = request.prefix() == null ? null : request.prefix().trim();
        Map<String, String> errors = blocked.validate(accountId, prefix, request.reason());
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        BlockedDestination saved = blocked.add(accountId, prefix, request.reason());
        routingChanges.announce("blocked destinations of account " + accountId);
        audit.record(ApiCaller.name(), "create", "blocked_destination", String.valueOf(saved.id()),
                "account " + accountId + " prefix " + prefix, http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + accountId + "/blocked-destinations/" + saved.id())).body(saved);
    }

    @DeleteMapping("/{blockedId}")
    public ResponseEntity<Object> delete(@PathVariable long accountId, @PathVariable long blockedId, HttpServletRequest http) {
        if (!blocked.delete(accountId, blockedId)) {
            return ApiError.notFound("blocked destination", blockedId);
        }
        routingChanges.announce("blocked destinations of account " + accountId);
        audit.record(ApiCaller.name(), "delete", "blocked_destination", String.valueOf(blockedId), "account " + accountId,
                http.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
