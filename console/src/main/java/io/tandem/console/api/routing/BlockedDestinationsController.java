package io.tandem.console.api.routing;

import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.routing.RoutingService;
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

    private final RoutingService service;

    public BlockedDestinationsController(RoutingService service) {
        this.service = service;
    }

    public record BlockRequest(String prefix, String reason) {
    }

    @GetMapping
    public ResponseEntity<Object> list(@PathVariable long accountId) {
        return ApiOutcomes.ok(service.blocked(accountId));
    }

    @PostMapping
    public ResponseEntity<Object> add(@PathVariable long accountId, @RequestBody BlockRequest request) {
        return ApiOutcomes.createdAt(service.block(accountId, request.prefix(), request.reason()),
                saved -> "/api/v1/accounts/" + accountId + "/blocked-destinations/" + saved.id(), saved -> saved);
    }

    @DeleteMapping("/{blockedId}")
    public ResponseEntity<Object> delete(@PathVariable long accountId, @PathVariable long blockedId) {
        return ApiOutcomes.noContent(service.unblock(accountId, blockedId));
    }
}
