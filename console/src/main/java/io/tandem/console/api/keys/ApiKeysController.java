package io.tandem.console.api.keys;

import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import io.tandem.console.users.ConsoleUsers;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys (admin only). The secret is returned once, at creation; only its hash is kept. Over {@link ConsoleUsers}. */
@RestController
@RequestMapping("/api/v1/api-keys")
public class ApiKeysController {

    private final ConsoleUsers access;

    public ApiKeysController(ConsoleUsers access) {
        this.access = access;
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
        return access.keys().stream().map(k -> KeyView.of(k, null)).toList();
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody KeyRequest request) {
        return ApiOutcomes.createdAt(access.issueKey(request.name(), request.role()), issued -> "/api/v1/api-keys/" + issued.stored().id(),
                issued -> KeyView.of(issued.stored(), issued.secret()));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Object> revoke(@PathVariable long id) {
        return ApiOutcomes.noContent(access.revokeKey(id));
    }
}
