package io.tandem.softswitch.media.relay;

import io.tandem.routing.provisioning.MediaMode;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;

/**
 * Opens each call's media side by its ingress trunk's mode: {@code relay} anchors it on the
 * {@link MediaRelay}, {@code bypass} leaves SDP untouched (media flows end to end), {@code auto}
 * anchors when the customer's first offer needs it ({@link RelayedCall#needsAnchoring}).
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
        if (call.trunk() == null || call.trunk().mediaMode() == MediaMode.BYPASS) {
            return MediaAnchor.PASS_THROUGH;
        }
        return new RelayedCall(relay, call, listener, call.trunk().mediaMode() == MediaMode.AUTO);
    }
}
