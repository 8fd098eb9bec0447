package io.tandem.console.registrations;

import io.tandem.softswitch.registrar.ClusterEvent;
import io.tandem.softswitch.registrar.ClusterEventCodec;
import io.tandem.softswitch.registrar.Registrar;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/cluster/registrations}: every binding this node knows, as the JSON array of
 * register events a restarted peer pulls to catch up (docs/registrations.md). Peer, admin and operator
 * keys (the {@code /api/v1/cluster/**} rule).
 */
@RestController
@ConditionalOnProperty(name = "tandem.sip.enabled", havingValue = "true", matchIfMissing = true)
public class RegistrationsController {

    private final Registrar registrar;
    private final ClusterEventCodec codec = new ClusterEventCodec();

    public RegistrationsController(Registrar registrar) {
        this.registrar = registrar;
    }

    @GetMapping(path = "/api/v1/cluster/registrations", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<byte[]>> registrations() {
        return registrar.bindings().thenApply(bindings -> ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(codec.encodeAll(bindings.stream().map(b -> new ClusterEvent(ClusterEvent.Kind.REGISTER, b)).toList())));
    }
}
