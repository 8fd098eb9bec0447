package io.tandem.console.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The one error body of the REST API: {@code {"error": "...", "fields": {"name": "message"}}}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(String error, Map<String, String> fields) {

    public static ResponseEntity<Object> invalid(Map<String, String> fields) {
        return ResponseEntity.badRequest().body(new ApiError("invalid request: " + fields.size() + " field(s) need attention", fields));
    }

    public static ResponseEntity<Object> notFound(String what, long id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ApiError(what + " " + id + " does not exist", Map.of()));
    }

    public static ResponseEntity<Object> conflict(String message) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(new ApiError(message, Map.of()));
    }

    public static ResponseEntity<Object> status(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(new ApiError(message, Map.of()));
    }
}
