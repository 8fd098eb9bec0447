package io.tandem.softswitch.media.relay;

import io.tandem.routing.provisioning.MediaMode;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;

/**
 * Opens each call's media side with its ingress trunk's mode; on each vendor attempt the gateway's
 * mode adds to it: {@code relay} anchors the call on the {@link MediaRelay}, {@code bypass} leaves
 * SDP untouched (media flows end to end), {@code auto} anchors when the customer's offer needs it
 * ({@link RelayedCall#needsAnchoring}) or, for a gateway, when its address is not public.
 */
public final class TrunkMediaAnchors implements MediaAnchor.Factory {

    private final MediaRelay relay;
    private final RelayedCall.Listener listener;

    public TrunkMediaAnchors(MediaRelay relay, RelayedCall.Listener listener) {
        this.relay = relay;
        this.listener = listener;
    }

    @Override
    public MediaAnchor open(CallFacts call, TransactionExecutor loop) {
        if (call.trunk() == null) {
            return MediaAnchor.PASS_THROUGH;
        }
        // even a bypass trunk's call is anchored when a vendor gateway of its hunt asks (decided per attempt)
        return new RelayedCall(relay, call, listener, call.trunk().mediaMode() == null ? MediaMode.RELAY : call.trunk().mediaMode());
    }
}
