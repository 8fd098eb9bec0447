package io.tandem.softswitch.capture;

import io.tandem.softswitch.sip.transport.WireMessage;
import java.util.List;
import java.util.UUID;

/**
 * Every captured message of one call, oldest first.
 *
 * @param dropped messages left out by the per-call or live caps (the oldest)
 * @param live    the call is still in progress (or lingering) on the node that answered
 */
public record CallCapture(UUID callId, List<CaptureLeg> legs, List<WireMessage> messages, int dropped, boolean live) {

    public CallCapture {
        legs = List.copyOf(legs);
        messages = List.copyOf(messages);
    }

    /** The leg a message belongs to, by its Call-ID; null if none (should not happen). */
    public CaptureLeg legOf(WireMessage m) {
        for (CaptureLeg leg : legs) {
            if (leg.sipCallId().equals(m.sipCallId())) {
                return leg;
            }
        }
        return null;
    }
}
