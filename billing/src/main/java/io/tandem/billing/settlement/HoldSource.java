package io.tandem.billing.settlement;

/** Where the money held for a call came from, i.e. what settling it must release. */
public enum HoldSource {
    /** This node's balance lease: the cost leaves the lease ({@code balance_lease.amount} and {@code account.held}). */
    LEASE,
    /** A per-call row in {@code balance_reservation}: deleted, its whole amount leaves {@code account.held}. */
    RESERVATION,
    /**
     * Nothing was held: the call was refused before money was reserved, so its attempts cost
     * nothing and only CDRs are written. (A cost on such a settlement would be debited without a
     * guard; the authorizer never produces one.)
     */
    NONE
}
