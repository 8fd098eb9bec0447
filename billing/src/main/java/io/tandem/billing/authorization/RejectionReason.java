package io.tandem.billing.authorization;

/**
 * Why billing refused a call. The call engine maps these to SIP in one place: insufficient funds
 * is {@code 402}, a closed or suspended account {@code 403}, the daily limit and an unavailable
 * database {@code 503} with {@code Retry-After}.
 */
public enum RejectionReason {
    /** Available money does not cover the connect fee and the first increment. */
    INSUFFICIENT_FUNDS,
    /** The account is suspended or closed. */
    ACCOUNT_NOT_ACTIVE,
    /** Today's spend has reached the account's daily limit. */
    DAILY_LIMIT_REACHED,
    UNKNOWN_ACCOUNT,
    /** The database cannot be asked and this node holds no usable lease for the account. */
    BILLING_UNAVAILABLE
}
