package io.tandem.billing.authorization;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Money held for live calls in the shared database ({@code persistence.LeaseStore}). Every hold
 * is one guarded update of the account, so no combination of nodes can hold more than the
 * account has plus its credit limit. All methods block on the database: call them off the event
 * loop.
 */
public interface BalanceHolds {

    Optional<AccountFunds> funds(long accountId, Instant now);

    /**
     * Grows the lease and records {@code changeId} on it ({@link #lastLeaseChange}).
     * @return false (nothing changed) if the account cannot afford {@code amount} or is not active
     */
    boolean growLease(long accountId, String nodeId, BigDecimal amount, Instant now, Instant expiresAt, long changeId);

    /**
     * Gives back up to {@code amount} and records {@code changeId} on the lease ({@link #lastLeaseChange}).
     * @return what was actually given back (at most what the lease holds)
     */
    BigDecimal shrinkLease(long accountId, String nodeId, BigDecimal amount, Instant now, long changeId);

    /**
     * The last grow or shrink recorded on this node's lease; empty if it has no lease row. How a
     * node learns whether a change whose statement failed (the connection broke) landed after all.
     */
    Optional<LeaseChange> lastLeaseChange(long accountId, String nodeId);

    boolean reserve(UUID callUuid, long accountId, String nodeId, BigDecimal amount, Instant now, Instant expiresAt);

    boolean extendReservation(UUID callUuid, long accountId, BigDecimal amount, Instant now);

    /** What this node's lease on the account holds in the database (zero if it has none). */
    BigDecimal leased(long accountId, String nodeId);

    /**
     * Marks the node alive, with its roles ({@link NodeRoles}), and pushes the expiry of its leases and
     * reservations to {@code expiresAt}.
     */
    void heartbeat(String nodeId, String roles, Instant now, Instant expiresAt);

    /** Returns to their accounts the expired holds of nodes silent since {@code silentSince}. */
    int reclaimFromDeadNodes(Instant now, Instant silentSince);

    /**
     * Nodes that take calls ({@link NodeRoles#takesCalls}) whose last heartbeat is at or after {@code silentSince}
     * (this node's own included once it heartbeated, if it takes calls).
     */
    int liveNodes(Instant silentSince);
}
