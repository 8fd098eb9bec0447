package io.tandem.console.api.keys;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.ApiRole;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys (admin only). The secret is returned once, at creation; only its hash is kept. */
@RestController
@RequestMapping("/api/v1/api-keys")
public class ApiKeysController {

    private final ApiKeys apiKeys;
    private final AuditLogRepository audit;

    public ApiKeysController(ApiKeys apiKeys, AuditLogRepository audit) {
        this.apiKeys = apiKeys;
        this.audit = audit;
    }

    public record KeyRequest(String name, String role) {
    }

    public record KeyView(long id, String name, String prefix, String role, String createdBy, Instant createdAt, Instant lastUsedAt,
                          Instant revokedAt, String key) {
        static KeyView of(StoredApiKey k, String secret) {
            return new KeyView(k.id(), k.name(), k.prefix(), k.role().code(), k.createdBy(), k.createdAt(), k.lastUsedAt(), k.revokedAt(), secret);
        }
    }

    @GetMapping
    public List<KeyView> list() {
        return apiKeys.list().stream().map(k -> KeyView.of(k, null)).toList();
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody KeyRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (request.name() == null || request.name().isBlank() || request.name().length() > 128) {
            errors.put("name", "required, at most 128 characters");
        }
        ApiRole role = new FieldParsing(errors).choice("role", request.role(), ApiRole::ofCode, "admin, operator, viewer, peer",
                ApiRole.OPERATOR);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        ApiKeys.IssuedKey issued = apiKeys.issue(request.name().trim(), role, ApiCaller.name());
        audit.record(ApiCaller.name(), "create", "api_key", String.valueOf(issued.stored().id()), issued.stored().name(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + issued.stored().id())).body(KeyView.of(issued.stored(), issued.secret()));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Object> revoke(@PathVariable long id, HttpServletRequest http) {
        if (!apiKeys.revoke(id)) {
            return ApiError.notFound("active API key", id);
        }
        audit.record(ApiCaller.name(), "revoke", "api_key", String.valueOf(id), "", http.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
