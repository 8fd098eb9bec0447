package io.tandem.console.api.profiles;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.api.PutBodyMerge;
import io.tandem.console.routing.ProfileRequest;
import io.tandem.console.routing.ProfileView;
import io.tandem.console.routing.RoutingService;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
 * Routing profiles: strategy and loss protection. Their vendor rules: {@code /api/v1/routing-profiles/{id}/rules}.
 * A thin adapter over {@link RoutingService}, which the console's routing view uses too.
 */
@RestController
@RequestMapping("/api/v1/routing-profiles")
public class RoutingProfilesController {

    private final RoutingService service;
    private final PutBodyMerge putBodies;

    public RoutingProfilesController(RoutingService service, JsonMapper json) {
        this.service = service;
        this.putBodies = new PutBodyMerge(json);
    }

    @GetMapping
    public List<ProfileView> list(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return service.profiles(offset, limit);
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return service.profile(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> ApiError.notFound("routing profile", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody ProfileRequest request) {
        return ApiOutcomes.createdAt(service.createProfile(request), p -> "/api/v1/routing-profiles/" + p.id(), p -> p);
    }

    /** Replaces the fields the body names; the others keep their value (see {@link PutBodyMerge}). */
    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody JsonNode body) {
        Optional<ProfileView> current = service.profile(id);
        if (current.isEmpty()) {
            return ApiError.notFound("routing profile", id);
        }
        return switch (putBodies.merge(ProfileRequest.of(current.get()), body, ProfileRequest.class, Set.of())) {
            case PutBodyMerge.Merged.Request<ProfileRequest>(ProfileRequest request) -> ApiOutcomes.ok(service.updateProfile(id, request));
            case PutBodyMerge.Merged.Unreadable<ProfileRequest>(String problem) -> ApiError.status(HttpStatus.BAD_REQUEST, problem);
        };
    }
}
