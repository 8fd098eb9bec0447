package io.tandem.console.api.routing;

import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.routing.RuleRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A routing profile's vendor list: {@code GET} it, {@code PUT} the whole list, {@code POST} one
 * rule, {@code DELETE} one rule. Routing on this node reloads at once; peers within a second.
 */
@RestController
@RequestMapping("/api/v1/routing-profiles/{profileId}/rules")
public class RoutingRulesController {

    private final RoutingService service;

    public RoutingRulesController(RoutingService service) {
        this.service = service;
    }

    @GetMapping
    public ResponseEntity<Object> list(@PathVariable long profileId) {
        return ApiOutcomes.ok(service.rules(profileId));
    }

    @PutMapping
    public ResponseEntity<Object> replace(@PathVariable long profileId, @RequestBody List<RuleRequest> request) {
        return ApiOutcomes.ok(service.replaceRules(profileId, request));
    }

    @PostMapping
    public ResponseEntity<Object> add(@PathVariable long profileId, @RequestBody RuleRequest request) {
        return ApiOutcomes.createdAt(service.addRule(profileId, request),
                rule -> "/api/v1/routing-profiles/" + profileId + "/rules/" + rule.id(), rule -> rule);
    }

    @DeleteMapping("/{ruleId}")
    public ResponseEntity<Object> delete(@PathVariable long profileId, @PathVariable long ruleId) {
        return ApiOutcomes.noContent(service.deleteRule(profileId, ruleId));
    }
}
