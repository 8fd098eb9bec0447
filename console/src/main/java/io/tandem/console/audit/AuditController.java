package io.tandem.console.audit;

import io.tandem.console.api.ApiError;
import io.tandem.console.audit.persistence.AuditLogRepository;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log, newest first: who changed what, when, from where. Filters by actor, action,
 * entity (and its id) and period; pages by id ({@code before} = the last id of the previous page).
 */
@RestController
public class AuditController {

    static final int MAX_PAGE = 500;

    private final AuditLogRepository audit;

    public AuditController(AuditLogRepository audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/audit")
    public ResponseEntity<Object> find(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                                       @RequestParam(required = false) String entity, @RequestParam(required = false) String entityId,
                                       @RequestParam(required = false) String from, @RequestParam(required = false) String until,
                                       @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
        Map<String, String> errors = new LinkedHashMap<>();
        Instant start = instant("from", from, errors);
        Instant end = instant("until", until, errors);
        if (limit < 1 || limit > MAX_PAGE) {
            errors.put("limit", "1-" + MAX_PAGE);
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        return ResponseEntity.ok(audit.find(actor, action, entity, entityId, start, end, before, limit));
    }

    private static Instant instant(String field, String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.put(field, "an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
            return null;
        }
    }
}
