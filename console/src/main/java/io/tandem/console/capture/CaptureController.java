package io.tandem.console.capture;

import io.tandem.console.api.ApiError;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A call's SIP capture: {@code GET /api/v1/calls/{id}/capture} for people and tools (admin and operator
 * keys: captures hold numbers and addresses), and the node-to-node pair under
 * {@code /api/v1/cluster/captures/{id}} by which a node ships a finished call to its capture node and
 * reads what a node holds.
 */
@RestController
public class CaptureController {

    /** Largest shipped capture accepted, base64 (a blob inflates to at most 16 MB; it deflates well below this). */
    public static final int MAX_SHIPPED_CHARS = 12 * 1024 * 1024;

    private final CallCaptures captures;

    public CaptureController(CallCaptures captures) {
        this.captures = captures;
    }

    /**
     * @param node the node carrying the call, when known (the active-calls list gives it): asked too
     *             while the call is still in progress there
     */
    @GetMapping("/api/v1/calls/{id}/capture")
    public ResponseEntity<Object> capture(@PathVariable UUID id, @RequestParam(required = false) String node) {
        if (node != null && node.length() > 128) {
            return ApiError.invalid(Map.of("node", "a node id of at most 128 characters"));
        }
        // peers are asked with their own timeout each, so this wait is bounded (as the cluster call list's is)
        return captures.find(id, node).join()
                .<ResponseEntity<Object>>map(c -> ResponseEntity.ok(CaptureView.of(c)))
                .orElseGet(() -> ApiError.status(HttpStatus.NOT_FOUND, "no capture of call " + id + " (capture node "
                        + captures.ownerOf(id) + "): capture off, kept for less than the call's age, or no such call"));
    }

    /** What this node holds of a call, as the compressed blob; for peers. */
    @GetMapping(value = "/api/v1/cluster/captures/{id}", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<byte[]> held(@PathVariable UUID id) {
        return captures.local(id).map(c -> ResponseEntity.ok(io.tandem.softswitch.capture.CaptureCodec.encode(c)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /** A finished call's capture shipped by the node that carried it. */
    public record ShippedCapture(String blob) {
    }

    @PostMapping("/api/v1/cluster/captures/{id}")
    public ResponseEntity<Object> ship(@PathVariable UUID id, @RequestBody ShippedCapture shipped) {
        if (shipped == null || shipped.blob() == null || shipped.blob().isEmpty()) {
            return ApiError.invalid(Map.of("blob", "the compressed capture, base64"));
        }
        if (shipped.blob().length() > MAX_SHIPPED_CHARS) {
            return ApiError.invalid(Map.of("blob", "at most " + MAX_SHIPPED_CHARS + " characters"));
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(shipped.blob());
        } catch (IllegalArgumentException e) {
            return ApiError.invalid(Map.of("blob", "not base64: " + e.getMessage()));
        }
        try {
            captures.accept(id, blob);
        } catch (IllegalArgumentException e) {
            return ApiError.invalid(Map.of("blob", e.getMessage()));
        }
        return ResponseEntity.noContent().build();
    }
}
