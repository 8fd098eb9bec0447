package io.tandem.softswitch.call;

import io.tandem.billing.cdr.HangupSide;
import java.util.UUID;

/** What a call tells its {@link CallObserver}s: metrics, capture and the cluster hook in here. */
public sealed interface CallEvent {

    UUID callId();

    /** Admitted and registered; the customer leg's Call-ID is known. */
    record Started(UUID callId, CallFacts facts) implements CallEvent {
    }

    /** A B-leg INVITE went out to a vendor gateway. */
    record AttemptStarted(UUID callId, int attempt, String sipCallId, long gatewayId) implements CallEvent {
    }

    record StateChanged(UUID callId, CallState state) implements CallEvent {
    }

    /** The call is over; {@code status} is the final SIP status of the call (200 for an answered call). */
    record Ended(UUID callId, HangupSide side, int status, String why) implements CallEvent {
    }
}
