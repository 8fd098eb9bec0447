package io.tandem.console.calls;

import io.tandem.console.api.ApiError;
import io.tandem.console.node.TandemProperties;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node's traffic points for the dashboards of its peers:
 * {@code GET /api/v1/cluster/traffic?resolution=second|minute&since=<epoch seconds>}.
 */
@RestController
public class TrafficController {

    private final TrafficRecorder recorder;
    private final String nodeId;

    public TrafficController(TrafficRecorder recorder, TandemProperties properties) {
        this.recorder = recorder;
        this.nodeId = properties.effectiveNodeId();
    }

    public record TrafficJson(String node, String resolution, List<TrafficPoint> points) {
    }

    @GetMapping("/api/v1/cluster/traffic")
    public ResponseEntity<Object> traffic(@RequestParam(defaultValue = "second") String resolution,
                                          @RequestParam(defaultValue = "0") long since) {
        TrafficRecorder.Resolution ring = switch (resolution) {
            case "second" -> TrafficRecorder.Resolution.SECOND;
            case "minute" -> TrafficRecorder.Resolution.MINUTE;
            default -> null;
        };
        if (ring == null) {
            return ApiError.invalid(Map.of("resolution", "second or minute"));
        }
        List<TrafficPoint> points = recorder.points(ring).stream().filter(point -> point.at() > since).toList();
        return ResponseEntity.ok(new TrafficJson(nodeId, resolution, points));
    }
}
