package io.tandem.softswitch.call;

/**
 * Why a call was refused. Rejections are values: {@link CallRejections#toSip} maps each one, in
 * one place, to the SIP status, reason phrase, {@code Reason} header and {@code Retry-After}
 * that the customer receives (docs/rejections.md lists the table).
 */
public sealed interface CallRejection {

    /** The source address belongs to no trunk and the request carried no digest credentials. */
    record UnknownSource(String address) implements CallRejection {
    }

    /** Digest credentials did not match. */
    record AuthenticationFailed(String username) implements CallRejection {
    }

    record TrunkDisabled(String trunk) implements CallRejection {
    }

    record AccountNotActive(long accountId, String status) implements CallRejection {
    }

    /** No sell rate, no routing profile, or no vendor that may carry the call. */
    record NoRoute(String why) implements CallRejection {
    }

    /**
     * The only vendors for the number reach a registered contact (docs/registrations.md) and it is not
     * registered now: the callee may come back.
     */
    record NotRegistered(String why) implements CallRejection {
    }

    /** The number is in the customer's blocked destinations. */
    record DestinationBlocked(String prefix) implements CallRejection {
    }

    record InsufficientFunds(long accountId) implements CallRejection {
    }

    record DailySpendLimitReached(long accountId) implements CallRejection {
    }

    /** A calls-per-second limit of the customer account, trunk or vendor gateway. */
    record CpsLimitExceeded(String scope, int retryAfterSeconds) implements CallRejection {
    }

    /** A concurrent-calls limit of the customer account, trunk or vendor gateway. */
    record ConcurrencyLimitExceeded(String scope) implements CallRejection {
    }

    /** The node is draining for a restart and takes no new calls. */
    record NodeDraining() implements CallRejection {
    }

    /** The node has just started and takes no calls until its call path is warm. */
    record NodeWarmingUp() implements CallRejection {
    }

    /** The node's work queues are full. */
    record Overloaded(String what) implements CallRejection {
    }

    /** Every candidate vendor failed over; {@code lastStatus} is the last vendor's answer (0 = timeout). */
    record VendorsExhausted(int lastStatus) implements CallRejection {
    }

    /** RFC 4028 §6: the customer asked for a session interval below our Min-SE. */
    record SessionIntervalTooSmall(long minSeconds) implements CallRejection {
    }

    record TooManyHops() implements CallRejection {
    }

    record LoopDetected() implements CallRejection {
    }

    /** A Call-ID longer than any carrier sends (and than a CDR stores). */
    record CallIdTooLong(int maxOctets) implements CallRejection {
    }

    /** A caller or callee number longer than any numbering plan has (and than a CDR stores). */
    record NumberTooLong(String which, int maxDigits) implements CallRejection {
    }

    /** RFC 3261 §8.2.2.2: a second INVITE of a call already in progress reached us by another path. */
    record MergedRequest() implements CallRejection {
    }

    /**
     * The call's media must be anchored and its SDP offer cannot be: it does not parse or is over the relay's
     * limits (docs/media.md). {@code why} says what is wrong with it.
     */
    record MediaNotAcceptable(String why) implements CallRejection {
    }

    /** The call's media must be anchored and the relay's port range is exhausted. */
    record NoMediaPorts() implements CallRejection {
    }

    /**
     * The switch ended a call before it was answered (operator hang-up, shutdown, no ACK from the
     * customer); {@code why} says which.
     */
    record EndedBySwitch(String why) implements CallRejection {
    }
}
