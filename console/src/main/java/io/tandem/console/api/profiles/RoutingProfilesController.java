package io.tandem.console.api.profiles;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.provisioning.ProvisionedRoutingProfile;
import io.tandem.routing.provisioning.ProvisioningValidation;
import io.tandem.routing.provisioning.RoutingProfileSpec;
import io.tandem.routing.provisioning.persistence.RoutingProfileRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Routing profiles: strategy and loss protection. Their vendor rules: {@code /api/v1/routing-profiles/{id}/rules}. */
@RestController
@RequestMapping("/api/v1/routing-profiles")
public class RoutingProfilesController {

    private final RoutingProfileRepository profiles;
    private final AuditLogRepository audit;

    public RoutingProfilesController(RoutingProfileRepository profiles, AuditLogRepository audit) {
        this.profiles = profiles;
        this.audit = audit;
    }

    public record ProfileRequest(String name, String strategy, String minMargin, String minMarginPercent, Boolean allowLoss, Integer maxAttempts) {
    }

    public record ProfileView(long id, String name, String strategy, String minMargin, String minMarginPercent, boolean allowLoss,
                              int maxAttempts, java.time.Instant createdAt, java.time.Instant updatedAt) {
        static ProfileView of(ProvisionedRoutingProfile p) {
            return new ProfileView(p.id(), p.name(), p.strategy(), io.tandem.billing.account.Money.format(p.minMargin()),
                    p.minMarginPercent().stripTrailingZeros().toPlainString(), p.allowLoss(), p.maxAttempts(), p.createdAt(), p.updatedAt());
        }
    }

    @GetMapping
    public List<ProfileView> list(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return profiles.list(Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream().map(ProfileView::of).toList();
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return profiles.find(id).<ResponseEntity<Object>>map(p -> ResponseEntity.ok(ProfileView.of(p)))
                .orElseGet(() -> ApiError.notFound("routing profile", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody ProfileRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        RoutingProfileSpec spec = spec(request, null, errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        ProvisionedRoutingProfile profile = profiles.create(spec);
        audit.record(ApiCaller.name(), "create", "routing_profile", String.valueOf(profile.id()), profile.name(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/routing-profiles/" + profile.id())).body(ProfileView.of(profile));
    }

    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody ProfileRequest request, HttpServletRequest http) {
        if (profiles.find(id).isEmpty()) {
            return ApiError.notFound("routing profile", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        RoutingProfileSpec spec = spec(request, id, errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        audit.record(ApiCaller.name(), "update", "routing_profile", String.valueOf(id), spec.name(), http.getRemoteAddr());
        return ResponseEntity.ok(ProfileView.of(profiles.update(id, spec).orElseThrow()));
    }

    private RoutingProfileSpec spec(ProfileRequest request, Long id, Map<String, String> errors) {
        FieldParsing fields = new FieldParsing(errors);
        BigDecimal minMargin = fields.money("minMargin", request.minMargin());
        BigDecimal minMarginPercent = null;
        if (request.minMarginPercent() != null) {
            try {
                minMarginPercent = new BigDecimal(request.minMarginPercent());
            } catch (NumberFormatException e) {
                errors.put("minMarginPercent", "a number between 0 and 100");
            }
        }
        RoutingProfileSpec spec = new RoutingProfileSpec(request.name() == null ? null : request.name().trim(),
                request.strategy() == null ? "lcr" : request.strategy(), minMargin, minMarginPercent,
                Boolean.TRUE.equals(request.allowLoss()), request.maxAttempts() == null ? 5 : request.maxAttempts());
        errors.putAll(ProvisioningValidation.profile(spec));
        if (spec.name() != null && profiles.nameTaken(spec.name(), id)) {
            errors.put("name", "a routing profile with this name exists");
        }
        return spec;
    }
}
