package io.tandem.softswitch.call;

import io.tandem.softswitch.sip.message.SipResponse;

/** What {@link VendorHunt} tells the call when it cannot go on by itself. */
sealed interface HuntStep {

    /** The callee's own final answer (busy, not found, declined...): relay it to the customer. */
    record Relay(SipResponse answer) implements HuntStep {
    }

    /** No candidate left, or the post-dial delay ran out; {@code lastStatus} 0 means a timeout. */
    record Exhausted(int lastStatus) implements HuntStep {
    }

    /** The customer's offer cannot be anchored although the call must be (488, or 503 without ports): no vendor is tried. */
    record Refused(CallRejection rejection) implements HuntStep {
    }

    /** The customer cancelled while the hunt was between vendors. */
    record Cancelled() implements HuntStep {
    }
}
