package io.tandem.console.registrations;

import io.tandem.softswitch.registrar.ClusterEvent;
import io.tandem.softswitch.registrar.ClusterEventCodec;
import io.tandem.softswitch.registrar.Registrar;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
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
public class RegistrationsController {

    private final ObjectProvider<Registrar> registrar;
    private final ClusterEventCodec codec = new ClusterEventCodec();

    /** A node without SIP ({@code tandem.sip.enabled=false}) has no registrar and answers an empty list. */
    public RegistrationsController(ObjectProvider<Registrar> registrar) {
        this.registrar = registrar;
    }

    @GetMapping(path = "/api/v1/cluster/registrations", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<byte[]>> registrations() {
        Registrar here = registrar.getIfAvailable();
        CompletableFuture<java.util.List<io.tandem.softswitch.registrar.Binding>> bindings = here == null
                ? CompletableFuture.completedFuture(java.util.List.of())
                : here.bindings();
        return bindings.thenApply(list -> ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(codec.encodeAll(list.stream().map(b -> new ClusterEvent(ClusterEvent.Kind.REGISTER, b)).toList())));
    }
}
