package io.tandem.softswitch.media.remote;

import io.tandem.routing.provisioning.MediaMode;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.time.Duration;

/**
 * Opens each call's media side on a signalling-only node ({@code tandem.roles=sip}): with the ingress
 * trunk's mode, to which each vendor gateway's adds on its attempt, as on a node with its own relay
 * ({@code TrunkMediaAnchors}), but anchored on the remote media nodes.
 */
public final class RemoteMediaAnchors implements MediaAnchor.Factory {

    private final MediaNodes nodes;
    private final MediaNodeControl control;
    private final RemoteRelayedCall.Listener listener;
    private final Duration timeout;
    private final Duration holdTimeout;

    public RemoteMediaAnchors(MediaNodes nodes, MediaNodeControl control, RemoteRelayedCall.Listener listener) {
        this(nodes, control, listener, Duration.ofSeconds(60), Duration.ofHours(1));
    }

    /** @param timeout media timeout after answer; {@code holdTimeout} the same while a stream is held */
    public RemoteMediaAnchors(MediaNodes nodes, MediaNodeControl control, RemoteRelayedCall.Listener listener, Duration timeout,
                              Duration holdTimeout) {
        this.timeout = timeout;
        this.holdTimeout = holdTimeout;
        this.nodes = nodes;
        this.control = control;
        this.listener = listener;
    }

    @Override
    public MediaAnchor open(CallFacts call, TransactionExecutor loop) {
        if (call.trunk() == null) {
            return MediaAnchor.PASS_THROUGH;
        }
        // even a bypass trunk's call is anchored when a vendor gateway of its hunt asks (decided per attempt)
        MediaMode trunkMode = call.trunk().mediaMode() == null ? MediaMode.RELAY : call.trunk().mediaMode();
        return new RemoteRelayedCall(nodes, control, call, loop, listener, trunkMode, timeout, holdTimeout);
    }
}
