package io.tandem.console.api.routing;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.cluster.RoutingChanges;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.Micros;
import io.tandem.routing.RoutingRule;
import io.tandem.routing.RoutingRuleSpec;
import io.tandem.routing.persistence.RoutingRuleRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final RoutingRuleRepository rules;
    private final RoutingChanges routingChanges;
    private final AuditLogRepository audit;

    public RoutingRulesController(RoutingRuleRepository rules, RoutingChanges routingChanges, AuditLogRepository audit) {
        this.rules = rules;
        this.routingChanges = routingChanges;
        this.audit = audit;
    }

    /** {@code prefix} "" = every number; {@code vendorGatewayId} null = all the vendor's gateways. */
    public record RuleRequest(String prefix, Long vendorAccountId, Long vendorGatewayId, Integer priority, Integer weight,
                              String rateCeiling, Boolean enabled) {
    }

    public record RuleView(long id, String prefix, long vendorAccountId, Long vendorGatewayId, int priority, int weight,
                           String rateCeiling, boolean enabled) {
        static RuleView of(RoutingRule r) {
            return new RuleView(r.id(), r.prefix(), r.vendorAccountId(), r.gatewayId(), r.priority(), r.weight(),
                    r.rateCeilingMicros() == null ? null : Micros.format(r.rateCeilingMicros()), r.enabled());
        }
    }

    @GetMapping
    public ResponseEntity<Object> list(@PathVariable long profileId) {
        return rules.list(profileId).<ResponseEntity<Object>>map(list -> ResponseEntity.ok(list.stream().map(RuleView::of).toList()))
                .orElseGet(() -> ApiError.notFound("routing profile", profileId));
    }

    @PutMapping
    public ResponseEntity<Object> replace(@PathVariable long profileId, @RequestBody List<RuleRequest> request, HttpServletRequest http) {
        if (!rules.profileExists(profileId)) {
            return ApiError.notFound("routing profile", profileId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        List<RoutingRuleSpec> specs = new ArrayList<>();
        for (int i = 0; i < request.size(); i++) {
            RoutingRuleSpec spec = spec(request.get(i), "[" + i + "].", errors);
            errors.putAll(rules.validate(spec, "[" + i + "]."));
            specs.add(spec);
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        List<RoutingRule> saved = rules.replace(profileId, specs).orElseThrow();
        routingChanges.announce("vendor list of profile " + profileId);
        audit.record(ApiCaller.name(), "replace", "routing_rule", String.valueOf(profileId), saved.size() + " rule(s)", http.getRemoteAddr());
        return ResponseEntity.ok(saved.stream().map(RuleView::of).toList());
    }

    @PostMapping
    public ResponseEntity<Object> add(@PathVariable long profileId, @RequestBody RuleRequest request, HttpServletRequest http) {
        if (!rules.profileExists(profileId)) {
            return ApiError.notFound("routing profile", profileId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        RoutingRuleSpec spec = spec(request, "", errors);
        errors.putAll(rules.validate(spec, ""));
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        RoutingRule rule = rules.add(profileId, spec).orElseThrow();
        routingChanges.announce("vendor list of profile " + profileId);
        audit.record(ApiCaller.name(), "create", "routing_rule", String.valueOf(rule.id()), "profile " + profileId, http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/routing-profiles/" + profileId + "/rules/" + rule.id())).body(RuleView.of(rule));
    }

    @DeleteMapping("/{ruleId}")
    public ResponseEntity<Object> delete(@PathVariable long profileId, @PathVariable long ruleId, HttpServletRequest http) {
        if (!rules.delete(profileId, ruleId)) {
            return ApiError.notFound("routing rule", ruleId);
        }
        routingChanges.announce("vendor list of profile " + profileId);
        audit.record(ApiCaller.name(), "delete", "routing_rule", String.valueOf(ruleId), "profile " + profileId, http.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    private static RoutingRuleSpec spec(RuleRequest request, String field, Map<String, String> errors) {
        BigDecimal ceiling = null;
        if (request.rateCeiling() != null) {
            try {
                ceiling = new BigDecimal(request.rateCeiling());
            } catch (NumberFormatException e) {
                errors.put(field + "rateCeiling", "a decimal amount such as \"0.012500\"");
            }
        }
        return new RoutingRuleSpec(request.prefix(), request.vendorAccountId(), request.vendorGatewayId(), request.priority(),
                request.weight(), ceiling, request.enabled());
    }
}
