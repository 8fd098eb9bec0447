package io.tandem.console.media;

import io.tandem.console.api.ApiError;
import io.tandem.softswitch.media.relay.ControlledSessions;
import io.tandem.softswitch.media.remote.MediaNodeControl.NodeLoad;
import io.tandem.softswitch.media.remote.MediaNodeControl.PortGrant;
import io.tandem.softswitch.media.remote.MediaNodeControl.Released;
import io.tandem.softswitch.media.remote.MediaNodeControl.SessionUpdate;
import io.tandem.softswitch.media.remote.MediaNodeControl.StreamTargets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The media-node end of the control protocol (docs/media.md, "Media nodes"): signalling nodes lease
 * ports, create, re-target and release sessions, and ask the load. Under {@code /api/v1/cluster/},
 * so only peers' keys (and ADMIN/OPERATOR keys) reach it. A node without the media role answers 503.
 */
@RestController
@RequestMapping("/api/v1/cluster/media")
public class MediaControlController {

    static final int MAX_HOLDER = 64;
    static final int MAX_PAIRS = 256;
    static final int MAX_STREAMS = 16;
    static final long MAX_SILENCE_LIMIT_MILLIS = 7L * 24 * 3600 * 1000;
    /** A release answers without figures rather than wait longer for the session's media loop. */
    static final long RELEASE_WAIT_MILLIS = 300;

    private final ObjectProvider<ControlledSessions> sessions;

    public MediaControlController(ObjectProvider<ControlledSessions> sessions) {
        this.sessions = sessions;
    }

    public record LeaseRequest(String holder, int pairs) {
    }

    public record StatusRequest(String holder, List<Integer> unused) {
    }

    /** @param silenceLimitMillis absent or 0: the session never times out (a signalling node of an older build) */
    public record SessionRequest(String holder, long revision, List<StreamTargets> streams, boolean answered, Long silenceLimitMillis) {
    }

    @PostMapping("/leases")
    public ResponseEntity<Object> lease(@RequestBody LeaseRequest request) {
        Map<String, String> errors = holderErrors(request.holder());
        if (request.pairs() < 1 || request.pairs() > MAX_PAIRS) {
            errors.put("pairs", "must be 1-" + MAX_PAIRS);
        }
        ControlledSessions node = sessions.getIfAvailable();
        if (node == null) {
            return noMediaRole();
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        PortGrant grant = node.lease(request.holder(), request.pairs());
        return ResponseEntity.ok(grant);
    }

    @PostMapping("/status")
    public ResponseEntity<Object> status(@RequestBody StatusRequest request) {
        Map<String, String> errors = holderErrors(request.holder());
        ControlledSessions node = sessions.getIfAvailable();
        if (node == null) {
            return noMediaRole();
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        return ResponseEntity.ok(node.status(request.holder(), request.unused()));
    }

    @PutMapping("/sessions/{call}")
    public ResponseEntity<Object> update(@PathVariable UUID call, @RequestBody SessionRequest request) {
        Map<String, String> errors = holderErrors(request.holder());
        if (request.streams() == null || request.streams().size() > MAX_STREAMS) {
            errors.put("streams", "a list of at most " + MAX_STREAMS + " streams");
        } else {
            for (int i = 0; i < request.streams().size(); i++) {
                StreamTargets s = request.streams().get(i);
                if (s == null || s.customerPort() < 1024 || s.customerPort() > 65534 || s.vendorPort() < 1024 || s.vendorPort() > 65534) {
                    errors.put("streams[" + i + "]", "needs customerPort and vendorPort, leased ports 1024-65534");
                }
            }
        }
        long silenceLimit = request.silenceLimitMillis() == null ? 0 : request.silenceLimitMillis();
        if (silenceLimit < 0 || silenceLimit > MAX_SILENCE_LIMIT_MILLIS) {
            errors.put("silenceLimitMillis", "0 (never) to " + MAX_SILENCE_LIMIT_MILLIS + " ms (7 days)");
        }
        ControlledSessions node = sessions.getIfAvailable();
        if (node == null) {
            return noMediaRole();
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        return switch (node.update(request.holder(), new SessionUpdate(call, request.revision(), request.streams(), request.answered(),
                silenceLimit))) {
            case ControlledSessions.Outcome.Applied applied -> ResponseEntity.ok(applied.load());
            case ControlledSessions.Outcome.Refused refused -> ApiError.status(HttpStatus.CONFLICT, refused.why());
        };
    }

    @DeleteMapping("/sessions/{call}")
    public ResponseEntity<Object> release(@PathVariable UUID call, @RequestParam(required = false) String holder) {
        Map<String, String> errors = holderErrors(holder);
        ControlledSessions node = sessions.getIfAvailable();
        if (node == null) {
            return noMediaRole();
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        try {
            // the figures are read on the session's media loop as its ports close: a hop, never a wait on the network
            return ResponseEntity.ok(node.release(holder, call).get(RELEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            NodeLoad load = node.load();
            return ResponseEntity.ok(new Released(load.sessions(), load.maxSessions(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiError.status(HttpStatus.SERVICE_UNAVAILABLE, "interrupted while the session closed");
        } catch (ExecutionException e) {
            throw new IllegalStateException("closing the session of call " + call + " failed", e.getCause());
        }
    }

    private static Map<String, String> holderErrors(String holder) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (holder == null || holder.isBlank() || holder.length() > MAX_HOLDER) {
            errors.put("holder", "the asking node's id, 1-" + MAX_HOLDER + " characters");
        }
        return errors;
    }

    private static ResponseEntity<Object> noMediaRole() {
        return ApiError.status(HttpStatus.SERVICE_UNAVAILABLE, "this node relays no media for others (tandem.roles is sip, "
                + "or SIP is off on a node that is not tandem.roles=media)");
    }
}
