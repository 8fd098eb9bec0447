package io.tandem.softswitch.call;

/**
 * The states of a call. Only {@link Call} changes a call's state; the table of events and
 * actions is in {@link Call}'s javadoc and in docs/call-engine.md.
 */
public enum CallState {
    /** Identified and admitted; the route is chosen and billing is asked. */
    ROUTING,
    /** Money held; vendors are being tried. */
    TRYING,
    /** A vendor sent a provisional answer (180/183) that was relayed to the customer. */
    RINGING,
    /** A vendor answered; both legs are up and the billable clock runs. */
    ANSWERED,
    /** Over: every leg ended, settlement submitted. */
    ENDED
}
