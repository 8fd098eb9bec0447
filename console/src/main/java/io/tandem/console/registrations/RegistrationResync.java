package io.tandem.console.registrations;

import io.tandem.console.cluster.ClusterPeers;
import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.registrar.ClusterEventCodec;
import io.tandem.softswitch.registrar.Registrar;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A node that starts (or restarts) has missed its peers' registration events: once ready, it pulls
 * each peer's table ({@code GET /api/v1/cluster/registrations} with the peer's API key) and applies
 * it like events, so newer knowledge wins and nothing is applied twice. Runs off the start thread;
 * a peer that does not answer is logged and skipped (its bindings arrive with its next changes).
 */
@Component
@ConditionalOnProperty(name = "tandem.sip.enabled", havingValue = "true", matchIfMissing = true)
public class RegistrationResync {
    private static final Logger log = LoggerFactory.getLogger(RegistrationResync.class);
    static final Duration PULL_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterPeers peers;
    private final Registrar registrar;
    private final TandemProperties properties;
    private final ClusterEventCodec codec = new ClusterEventCodec();

    public RegistrationResync(ClusterPeers peers, Registrar registrar, TandemProperties properties) {
        this.peers = peers;
        this.registrar = registrar;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void pullFromPeers() {
        if (!properties.registrar().enabled() || properties.cluster().eventKey() == null) {
            return;
        }
        for (TandemProperties.Peer peer : peers.peers()) {
            if (peer.sipAddress() == null) {
                continue;
            }
            peers.call(peer, "GET", "/api/v1/cluster/registrations", null, null, PULL_TIMEOUT)
                    .thenCompose(answer -> {
                        if (!answer.ok()) {
                            throw new IllegalStateException("HTTP " + answer.status());
                        }
                        try {
                            return registrar.resync(codec.decodeAll(answer.body(), properties.registrar().maxBindings()));
                        } catch (ClusterEventCodec.MalformedEvent e) {
                            throw new IllegalStateException("unreadable answer: " + e.getMessage(), e);
                        }
                    })
                    .whenComplete((changed, error) -> {
                        if (error != null) {
                            log.warn("Registrations not pulled from peer {}: {}", peer.name(), ClusterPeers.describe(error));
                        } else {
                            log.info("Pulled registrations from peer {}: {} bindings new to this node", peer.name(), changed);
                        }
                    });
        }
    }
}
