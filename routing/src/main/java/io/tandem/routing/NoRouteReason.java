package io.tandem.routing;

/** Why a call has no route at all. The call engine maps these to SIP statuses in one place. */
public enum NoRouteReason {
    UNKNOWN_TRUNK,
    TRUNK_DISABLED,
    /** The dialled number lacks the trunk's tech prefix. */
    MISSING_TECH_PREFIX,
    /** After translation the number is empty or holds more than digits. */
    INVALID_NUMBER,
    /** The customer may not call this destination (blocked list or a blocked sell rate). */
    BLOCKED_DESTINATION,
    /** The trunk has no sell deck, or the deck has no rate for the number now. */
    NO_SELL_RATE,
    NO_ROUTING_PROFILE,
    /** The profile lists no vendor for the number, or every vendor was skipped. */
    NO_VENDOR,
    /**
     * Every vendor was skipped and at least one only because the registered contact it reaches is not
     * registered now: the callee may be back later (the call path answers 480).
     */
    NOT_REGISTERED
}
