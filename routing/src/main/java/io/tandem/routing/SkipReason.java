package io.tandem.routing;

/** Why a vendor listed in the routing profile was not offered the call. */
public enum SkipReason {
    /** The routing rule, the vendor account or the gateway is disabled. */
    DISABLED,
    /** The vendor has no rate for the number at this time. */
    NO_RATE,
    /** The vendor's buy deck is in another currency than the customer's sell deck. */
    CURRENCY_MISMATCH,
    /** The vendor's deck blocks the destination. */
    BLOCKED,
    /** The buy rate is above the rule's rate ceiling. */
    ABOVE_RATE_CEILING,
    /** The buy rate is above the sell rate and the profile does not allow a loss. */
    ABOVE_SELL_RATE,
    /** The margin is below the profile's minimum and the profile does not allow a loss. */
    BELOW_MIN_MARGIN,
    /** The vendor has no enabled gateway. */
    NO_GATEWAY,
    /** The gateway reaches a customer trunk's registered contact and the trunk has none now. */
    NOT_REGISTERED,
    /** The profile's maximum number of attempts was reached before this vendor. */
    OVER_MAX_ATTEMPTS
}
