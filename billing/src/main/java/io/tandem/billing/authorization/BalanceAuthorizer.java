package io.tandem.billing.authorization;

import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.CallRater;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.Settlement;
import io.tandem.billing.settlement.SettlementWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's prepaid and credit control: authorizes calls against an account's money, holds money
 * for them while they run, and hands finished calls to the {@link SettlementWriter}.
 *
 * <p><b>Balance leases.</b> Instead of a database round trip per call, the node takes a slice of
 * an account's available money with one guarded update (a <em>lease</em>, counted in
 * {@code account.held}) and serves many calls from it in memory. It tops the lease up in the
 * background before it runs dry and gives back what it does not use ({@link #maintain()}). Because
 * the lease money is already out of every other node's reach, no interleaving of nodes can spend
 * more than the account has plus its credit limit. When the account's money is small (a slice
 * would be below {@link AuthorizationSettings#minimumLease()}), each call holds exactly its own
 * money instead (a per-call reservation), so the last cents are shared fairly between nodes.
 *
 * <p><b>Dead nodes.</b> Leases and reservations expire unless the owner's {@link #maintain()}
 * heartbeat renews them; a node only serves from a lease until a quarter of the TTL before expiry,
 * and peers reclaim expired holds only of nodes whose heartbeat has been silent for
 * {@link AuthorizationSettings#deadNodeAfter()}.
 *
 * <p><b>One change at a time.</b> At most one grow or give-back statement per lease runs at a time,
 * and each records a random id on the lease row. When a statement fails, its connection may have
 * broken after the commit: the change stays <em>unresolved</em> until the node reads the id back
 * (before the lease changes again, at the latest on the next {@link #maintain()}), so memory and
 * database agree on the lease to the cent, whatever the database did when it went away.
 *
 * <p>All methods may block on the database: call them on a worker executor, never on an event
 * loop. Background top-ups run on the {@code background} executor given to the constructor.
 */
public final class BalanceAuthorizer implements CallAuthorizer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BalanceAuthorizer.class);
    /** The most a background top-up asks for, in configured slices (still at most a {@code leaseShare} of the money). */
    static final int MAX_TOP_UP_SLICES = 64;
    /** How long {@link #close()} waits for a top-up or give-back whose statement is still running. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /** How long a call that needs the lease to grow waits for a top-up or give-back already running. */
    private static final Duration CHANGE_WAIT = Duration.ofSeconds(5);

    private final String nodeId;
    private final String roles;
    private final BalanceHolds holds;
    private final SettlementWriter writer;
    private final AuthorizationSettings settings;
    private final Clock clock;
    private final Executor background;
    private final Map<Long, LocalLease> leases = new ConcurrentHashMap<>();
    /** Lease money set aside per live call, whatever grant the caller settles with (an ignored extension too). */
    private final Map<UUID, BigDecimal> leaseHolds = new ConcurrentHashMap<>();
    /** Set by {@link #close()}: no new top-ups start. */
    private volatile boolean closed;

    public BalanceAuthorizer(String nodeId, BalanceHolds holds, SettlementWriter writer, AuthorizationSettings settings,
                             Clock clock, Executor background) {
        this(nodeId, NodeRoles.BOTH, holds, writer, settings, clock, background);
    }

    /** @param roles what this node does ({@link NodeRoles}), written with its heartbeat */
    public BalanceAuthorizer(String nodeId, String roles, BalanceHolds holds, SettlementWriter writer, AuthorizationSettings settings,
                             Clock clock, Executor background) {
        this.roles = NodeRoles.checked(roles);
        this.nodeId = nodeId;
        this.holds = holds;
        this.writer = writer;
        this.settings = settings;
        this.clock = clock;
        this.background = background;
    }

    /** Money this node may still hand to calls from its lease on the account, without the database. */
    public BigDecimal leaseFree(long accountId) {
        LocalLease lease = leases.get(accountId);
        if (lease == null) {
            return Money.ZERO;
        }
        lease.lock.lock();
        try {
            return lease.free;
        } finally {
            lease.lock.unlock();
        }
    }

    /**
     * May this call start? Holds money for up to {@link AuthorizationSettings#holdDuration()} of
     * talk time (less if the account has less), at least the connect fee and first increment.
     */
    @Override
    public Authorization authorize(UUID callUuid, long accountId, RateSnapshot rate) {
        LocalLease lease = leases.computeIfAbsent(accountId, id -> new LocalLease(settings.leaseSlice()));
        lease.lock.lock();
        try {
            Optional<Authorization> fromLease = grantIfLeaseCovers(callUuid, accountId, rate, lease);
            if (fromLease.isPresent()) {
                return fromLease.get();
            }
        } finally {
            lease.lock.unlock();
        }
        BigDecimal minimum = CallRater.minimumCharge(rate);
        BigDecimal wanted = CallRater.charge(rate, settings.holdDuration().toSeconds()).cost().max(minimum);
        return authorizeFromDatabase(callUuid, accountId, rate, lease, Money.ZERO, minimum, wanted, HoldSource.NONE);
    }

    /**
     * {@link #authorize} for the common case, without ever waiting: answers only when this node's
     * lease on the account can pay for the call at once and its lock is free this instant; empty
     * means "ask {@link #authorize} on a worker" (no lease yet, lease too low or expiring, the
     * lease busy with a top-up). Safe on an event loop: no database, no blocking lock.
     */
    @Override
    public Optional<Authorization> authorizeIfLeaseReady(UUID callUuid, long accountId, RateSnapshot rate) {
        LocalLease lease = leases.get(accountId);
        if (lease == null || !lease.lock.tryLock()) {
            return Optional.empty();
        }
        try {
            return grantIfLeaseCovers(callUuid, accountId, rate, lease);
        } finally {
            lease.lock.unlock();
        }
    }

    /** Under the lease's lock: a grant from the lease when it is usable and holds at least the call's minimum. */
    private Optional<Authorization> grantIfLeaseCovers(UUID callUuid, long accountId, RateSnapshot rate, LocalLease lease) {
        BigDecimal minimum = CallRater.minimumCharge(rate);
        Instant now = clock.instant();
        if (!usable(lease, now) || lease.free.compareTo(minimum) < 0) {
            return Optional.empty();
        }
        BigDecimal wanted = CallRater.charge(rate, settings.holdDuration().toSeconds()).cost().max(minimum);
        return Optional.of(grantFromLease(callUuid, accountId, rate, lease, Money.ZERO, wanted, now));
    }

    /**
     * Asks for more money for a call that is about to reach its maximum duration. On success the
     * new grant has a longer {@code maxDurationSeconds}; a rejection means: hang up at the old one.
     */
    @Override
    public Authorization extend(Authorization.Granted grant) {
        RateSnapshot rate = grant.rate();
        BigDecimal minimum = CallRater.minimumCharge(rate);
        BigDecimal wanted = CallRater.charge(rate, settings.holdDuration().toSeconds()).cost().max(minimum);
        Instant now = clock.instant();
        if (grant.source() == HoldSource.LEASE) {
            LocalLease lease = leases.computeIfAbsent(grant.accountId(), id -> new LocalLease(settings.leaseSlice()));
            lease.lock.lock();
            try {
                if (usable(lease, now) && lease.free.signum() > 0) {
                    return grantFromLease(grant.callUuid(), grant.accountId(), rate, lease, grant.held(), wanted, now);
                }
            } finally {
                lease.lock.unlock();
            }
            return authorizeFromDatabase(grant.callUuid(), grant.accountId(), rate, lease, grant.held(), BigDecimal.ZERO,
                    wanted, HoldSource.LEASE);
        }
        if (grant.source() == HoldSource.RESERVATION) {
            Optional<AccountFunds> funds = readFunds(grant.accountId(), now);
            if (funds.isEmpty()) {
                return new Authorization.Rejected(grant.callUuid(), RejectionReason.BILLING_UNAVAILABLE, "database unavailable");
            }
            BigDecimal more = wanted.min(spendable(funds.get()));
            if (more.signum() > 0 && holds.extendReservation(grant.callUuid(), grant.accountId(), more, now)) {
                return granted(grant.callUuid(), grant.accountId(), rate, HoldSource.RESERVATION, grant.held().add(more));
            }
        }
        return new Authorization.Rejected(grant.callUuid(), RejectionReason.INSUFFICIENT_FUNDS, "no more money for this call");
    }

    /**
     * The call ended: frees what it held beyond its cost and queues its settlement (CDRs, ledger
     * entry, balance change). The future completes when the settlement is durable (database or
     * spool); the call engine need not wait for it.
     *
     * @param attempts every attempt of the call, priced ({@link CdrRecord#priced()})
     */
    @Override
    public CompletableFuture<Void> settle(Authorization.Granted grant, List<CdrRecord> attempts) {
        Settlement settlement = new Settlement(grant.callUuid(), grant.accountId(), nodeId, grant.source(), attempts,
                clock.instant());
        BigDecimal charge = settlement.charge();
        BigDecimal held = grant.held();
        if (grant.source() == HoldSource.LEASE) {
            BigDecimal tracked = leaseHolds.remove(grant.callUuid());
            held = tracked == null ? Money.ZERO : tracked;
            LocalLease lease = leases.computeIfAbsent(grant.accountId(), id -> new LocalLease(settings.leaseSlice()));
            lease.lock.lock();
            try {
                lease.inCalls = lease.inCalls.subtract(held);
                lease.free = lease.free.add(held).subtract(charge);
            } finally {
                lease.lock.unlock();
            }
        }
        if (charge.compareTo(held) > 0) {
            log.warn("Call {} cost {} but held only {}: it ran past its maximum duration; charging the full cost",
                    grant.callUuid(), charge, held);
        }
        return writer.submit(settlement);
    }

    /** Writes the CDRs of a call that was refused before any money was held. */
    @Override
    public CompletableFuture<Void> settleUnauthorized(UUID callUuid, long accountId, List<CdrRecord> attempts) {
        return writer.submit(new Settlement(callUuid, accountId, nodeId, HoldSource.NONE, attempts, clock.instant()));
    }

    /**
     * Housekeeping, to run every few seconds (at most a third of the lease TTL) on a worker thread:
     * heartbeat and renew this node's holds; give back lease money idle since the last run, surplus
     * beyond two slices, and all free lease money once the account's available money is below
     * {@link AuthorizationSettings#minimumLease()} (so the last of it is shared by per-call
     * reservations across nodes); reclaim the expired holds of dead peers.
     */
    private volatile int liveNodes = 1;

    public void maintain() {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.leaseTtl());
        holds.heartbeat(nodeId, roles, now, expiresAt);
        for (Map.Entry<Long, LocalLease> entry : leases.entrySet()) {
            giveBackSurplus(entry.getKey(), entry.getValue(), now, expiresAt);
        }
        holds.reclaimFromDeadNodes(now, now.minus(settings.deadNodeAfter()));
        liveNodes = Math.max(1, holds.liveNodes(now.minus(settings.deadNodeAfter())));
    }

    /**
     * How many nodes shared the cluster's calls at the last {@link #maintain()}: those that take calls
     * ({@link NodeRoles#takesCalls}) whose heartbeat is younger than {@link AuthorizationSettings#deadNodeAfter()},
     * at least 1. Cluster-wide CPS and
     * call limits are divided by it.
     */
    public int liveNodes() {
        return liveNodes;
    }

    /**
     * One lease's share of {@link #maintain}. The lock is held only for arithmetic: calls draw on
     * the lease on the event loops with {@code tryLock}, and a database statement can wait behind a
     * settlement that holds the account's row. Money to give back leaves the lease before the
     * database is asked, so memory never promises more than the database holds.
     */
    private void giveBackSurplus(long accountId, LocalLease lease, Instant now, Instant expiresAt) {
        boolean idle;
        boolean mayBeExhausted;
        lease.lock.lock();
        try {
            boolean changeRunning = lease.statementsInFlight > 0;
            if (!changeRunning) {
                resolveUnresolvedChange(accountId, lease);
            }
            resyncIfLapsed(accountId, lease, now);
            lease.expiresAt = expiresAt;
            if (changeRunning) {
                return;   // a top-up is running: the lease is in use
            }
            idle = lease.inCalls.signum() == 0 && !lease.usedSinceMaintenance;
            mayBeExhausted = !idle && lease.free.signum() > 0;
        } finally {
            lease.lock.unlock();
        }
        // The account's last money is in leases: give ours back so that every node's calls share
        // what is left through per-call reservations.
        boolean exhausted = mayBeExhausted && nearlyExhausted(accountId, now);
        BigDecimal surplus;
        long changeId = newChangeId();
        lease.lock.lock();
        try {
            if (lease.statementsInFlight > 0 || lease.unresolved != null) {
                return;
            }
            boolean stillIdle = idle && lease.inCalls.signum() == 0 && !lease.usedSinceMaintenance;
            if (stillIdle || exhausted) {
                surplus = lease.free;
            } else {
                surplus = lease.free.subtract(lease.topUp.multiply(BigDecimal.TWO));
            }
            lease.usedSinceMaintenance = false;
            if (surplus.signum() <= 0) {
                return;
            }
            lease.free = lease.free.subtract(surplus);
            lease.statementsInFlight++;
        } finally {
            lease.lock.unlock();
        }
        BigDecimal returned = null;
        try {
            returned = holds.shrinkLease(accountId, nodeId, surplus, now, changeId);
        } finally {
            lease.lock.lock();
            try {
                if (returned == null) {
                    lease.unresolved = new UnresolvedChange(changeId, false, surplus, now);
                } else {
                    lease.free = lease.free.add(surplus.subtract(returned));
                }
                lease.statementDone();
            } finally {
                lease.lock.unlock();
            }
        }
    }

    private boolean nearlyExhausted(long accountId, Instant now) {
        return holds.funds(accountId, now)
                .map(funds -> spendable(funds).compareTo(settings.minimumLease()) < 0)
                .orElse(false);
    }

    /**
     * Gives back the unused money of every lease (call when the node stops, after its calls ended).
     * A top-up or give-back whose statement is still running is waited for (up to 10 s), so money
     * it moves is counted before the rest is given back; no top-up starts after this.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Map.Entry<Long, LocalLease> entry : leases.entrySet()) {
            LocalLease lease = entry.getValue();
            lease.lock.lock();
            try {
                if (!lease.awaitStatements(deadline)) {
                    log.warn("A lease statement on account {} still runs after {}; giving back what is known to be free",
                            entry.getKey(), CLOSE_WAIT);
                }
                Instant now = clock.instant();
                resolveUnresolvedChange(entry.getKey(), lease);
                if (lease.free.signum() > 0) {
                    lease.free = lease.free.subtract(
                            holds.shrinkLease(entry.getKey(), nodeId, lease.free, now, newChangeId()));
                }
            } catch (RuntimeException e) {
                log.warn("Could not give back the lease on account {} ({}); peers reclaim it after it expires",
                        entry.getKey(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Interrupted while giving back the lease on account {}; peers reclaim it after it expires",
                        entry.getKey());
            } finally {
                lease.lock.unlock();
            }
        }
    }

    private Authorization authorizeFromDatabase(UUID callUuid, long accountId, RateSnapshot rate, LocalLease lease,
                                                BigDecimal alreadyHeld, BigDecimal minimum, BigDecimal wanted,
                                                HoldSource existing) {
        Instant now = clock.instant();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<AccountFunds> read;
            try {
                read = holds.funds(accountId, now);
            } catch (RuntimeException e) {
                log.warn("Cannot read the funds of account {}: {}", accountId, e.toString());
                return new Authorization.Rejected(callUuid, RejectionReason.BILLING_UNAVAILABLE, "database unavailable");
            }
            if (read.isEmpty()) {
                return new Authorization.Rejected(callUuid, RejectionReason.UNKNOWN_ACCOUNT, "no account " + accountId);
            }
            AccountFunds funds = read.get();
            if (!funds.active()) {
                return new Authorization.Rejected(callUuid, RejectionReason.ACCOUNT_NOT_ACTIVE, "account is not active");
            }
            BigDecimal spendable = spendable(funds);
            if (funds.dailyHeadroom() != null && minimum.signum() > 0 && funds.dailyHeadroom().compareTo(minimum) < 0) {
                return new Authorization.Rejected(callUuid, RejectionReason.DAILY_LIMIT_REACHED, "daily spend limit reached");
            }
            BigDecimal slice = Money.round(settings.leaseSlice()
                    .min(spendable.divide(BigDecimal.valueOf(settings.leaseShare()), Money.SCALE, RoundingMode.DOWN)));
            if (existing != HoldSource.RESERVATION && slice.compareTo(settings.minimumLease()) >= 0
                    && slice.compareTo(minimum) >= 0) {
                lease.lock.lock();
                try {
                    if (!lease.awaitStatements(System.nanoTime() + CHANGE_WAIT.toNanos())) {
                        log.warn("A change of the lease on account {} still runs after {}", accountId, CHANGE_WAIT);
                        return new Authorization.Rejected(callUuid, RejectionReason.BILLING_UNAVAILABLE, "database too slow");
                    }
                    resolveUnresolvedChange(accountId, lease);
                    resyncIfLapsed(accountId, lease, now);
                    if (usable(lease, now) && lease.free.compareTo(minimum.max(Money.ZERO)) >= 0 && lease.free.signum() > 0) {
                        // A concurrent authorization or a top-up grew the lease while we read the funds,
                        // or a grow whose answer was lost turned out to have landed.
                        return grantFromLease(callUuid, accountId, rate, lease, alreadyHeld, wanted, now);
                    }
                    Instant expiresAt = now.plus(settings.leaseTtl());
                    if (growLease(accountId, lease, slice, now, expiresAt)) {
                        lease.free = lease.free.add(slice);
                        lease.expiresAt = expiresAt;
                        return grantFromLease(callUuid, accountId, rate, lease, alreadyHeld, wanted, now);
                    }
                } catch (RuntimeException e) {
                    log.warn("Cannot grow the lease on account {}: {}", accountId, e.toString());
                    return new Authorization.Rejected(callUuid, RejectionReason.BILLING_UNAVAILABLE, "database unavailable");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Authorization.Rejected(callUuid, RejectionReason.BILLING_UNAVAILABLE, "interrupted");
                } finally {
                    lease.lock.unlock();
                }
                continue;
            }
            if (existing == HoldSource.LEASE) {
                // A call served from a lease cannot switch to a reservation mid-call.
                return new Authorization.Rejected(callUuid, RejectionReason.INSUFFICIENT_FUNDS, "no more money for this call");
            }
            BigDecimal hold = wanted.min(spendable);
            if (hold.compareTo(minimum) < 0 || hold.signum() < 0) {
                return new Authorization.Rejected(callUuid, RejectionReason.INSUFFICIENT_FUNDS,
                        "available " + funds.available() + " < " + minimum);
            }
            try {
                if (holds.reserve(callUuid, accountId, nodeId, hold, now, now.plus(settings.leaseTtl()))) {
                    return granted(callUuid, accountId, rate, HoldSource.RESERVATION, hold);
                }
            } catch (RuntimeException e) {
                log.warn("Cannot reserve money on account {}: {}", accountId, e.toString());
                return new Authorization.Rejected(callUuid, RejectionReason.BILLING_UNAVAILABLE, "database unavailable");
            }
            // Another node took the money between our read and our update: read again.
        }
        return new Authorization.Rejected(callUuid, RejectionReason.INSUFFICIENT_FUNDS, "money taken by concurrent calls");
    }

    /** Caller holds {@code lease.lock}. */
    private Authorization grantFromLease(UUID callUuid, long accountId, RateSnapshot rate, LocalLease lease,
                                         BigDecimal alreadyHeld, BigDecimal wanted, Instant now) {
        BigDecimal take = wanted.min(lease.free);
        lease.free = lease.free.subtract(take);
        lease.inCalls = lease.inCalls.add(take);
        leaseHolds.merge(callUuid, take, BigDecimal::add);
        lease.usedSinceMaintenance = true;
        if (!closed && !lease.topUpScheduled && lease.free.compareTo(lease.topUp.divide(BigDecimal.valueOf(4))) < 0) {
            lease.topUpScheduled = true;
            background.execute(() -> topUp(accountId, lease));
        }
        return granted(callUuid, accountId, rate, HoldSource.LEASE, alreadyHeld.add(take));
    }

    /** Grows a lease that is running low before calls have to wait for it. */
    private void topUp(long accountId, LocalLease lease) {
        boolean inFlight = false;
        try {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            Optional<AccountFunds> funds = holds.funds(accountId, now);
            if (funds.isEmpty() || !funds.get().active()) {
                return;
            }
            BigDecimal wanted;
            lease.lock.lock();
            try {
                if (closed || lease.statementsInFlight > 0) {
                    return;
                }
                resolveUnresolvedChange(accountId, lease);
                resyncIfLapsed(accountId, lease, now);
                wanted = lease.topUp;
                // close() waits for this statement, so what it adds is given back with the rest.
                lease.statementsInFlight++;
                inFlight = true;
            } finally {
                lease.lock.unlock();
            }
            BigDecimal slice = Money.round(wanted.min(spendable(funds.get())
                    .divide(BigDecimal.valueOf(settings.leaseShare()), Money.SCALE, RoundingMode.DOWN)));
            if (slice.compareTo(settings.minimumLease()) < 0) {
                return;
            }
            // Without the lock: the update can wait behind a settlement holding the account's row,
            // and calls keep drawing on what the lease still has meanwhile.
            Instant expiresAt = now.plus(settings.leaseTtl());
            if (growLease(accountId, lease, slice, now, expiresAt)) {
                lease.lock.lock();
                try {
                    lease.free = lease.free.add(slice);
                    if (expiresAt.isAfter(lease.expiresAt)) {
                        lease.expiresAt = expiresAt;
                    }
                    lease.adaptTopUp(settings.leaseSlice(), now);
                } finally {
                    lease.lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Background top-up of the lease on account {} failed: {}", accountId, e.toString());
        } finally {
            lease.lock.lock();
            try {
                lease.topUpScheduled = false;
                if (inFlight) {
                    lease.statementDone();
                }
            } finally {
                lease.lock.unlock();
            }
        }
    }

    /**
     * Grows the lease in the database under a new change id. If the statement fails, the change is
     * left unresolved (it may have committed) and the exception goes on to the caller.
     */
    private boolean growLease(long accountId, LocalLease lease, BigDecimal slice, Instant now, Instant expiresAt) {
        long changeId = newChangeId();
        try {
            return holds.growLease(accountId, nodeId, slice, now, expiresAt, changeId);
        } catch (RuntimeException e) {
            lease.lock.lock();   // reentrant: a caller may hold it already
            try {
                lease.unresolved = new UnresolvedChange(changeId, true, slice, expiresAt);
            } finally {
                lease.lock.unlock();
            }
            throw e;
        }
    }

    /**
     * Caller holds the lock. Reads back the id of the lease's last change to learn whether a change
     * whose statement failed landed, and counts its money accordingly. Throws if the database
     * cannot tell yet; the lease must not change until it can.
     */
    private void resolveUnresolvedChange(long accountId, LocalLease lease) {
        UnresolvedChange change = lease.unresolved;
        if (change == null) {
            return;
        }
        Optional<LeaseChange> last = holds.lastLeaseChange(accountId, nodeId);
        boolean landed = last.isPresent() && last.get().id() == change.id();
        if (change.grow()) {
            if (landed) {
                lease.free = lease.free.add(change.amount());
                if (change.expiresAt().isAfter(lease.expiresAt)) {
                    lease.expiresAt = change.expiresAt();
                }
            }
        } else {
            BigDecimal givenBack = landed ? last.get().amount().negate() : Money.ZERO;
            lease.free = lease.free.add(change.amount().subtract(givenBack));
        }
        lease.unresolved = null;
        log.warn("The {} of {} on the lease of account {} failed without an answer; the database says it {}",
                change.grow() ? "top-up" : "give-back", change.amount(), accountId, landed ? "landed" : "did not land");
    }

    private static long newChangeId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);   // 0: the column's default, no change recorded
        return id;
    }

    /**
     * A lease that lapsed locally may have been reclaimed by a peer that took this node for dead:
     * never trust more free money than the database still holds for it. Caller holds the lock.
     */
    private void resyncIfLapsed(long accountId, LocalLease lease, Instant now) {
        if (lease.expiresAt.isAfter(now) || lease.free.signum() <= 0) {
            return;
        }
        BigDecimal inDatabase = holds.leased(accountId, nodeId).subtract(lease.inCalls).max(Money.ZERO);
        if (inDatabase.compareTo(lease.free) < 0) {
            log.warn("Lease on account {} lapsed and the database holds only {} of the {} this node thought free",
                    accountId, inDatabase, lease.free);
            lease.free = inDatabase;
        }
    }

    private Authorization.Granted granted(UUID callUuid, long accountId, RateSnapshot rate, HoldSource source,
                                          BigDecimal held) {
        long seconds = Math.min(CallRater.maxDurationSeconds(rate, held), settings.maxCallDuration().toSeconds());
        return new Authorization.Granted(callUuid, accountId, rate, source, held, seconds);
    }

    private Optional<AccountFunds> readFunds(long accountId, Instant now) {
        try {
            return holds.funds(accountId, now);
        } catch (RuntimeException e) {
            log.warn("Cannot read the funds of account {}: {}", accountId, e.toString());
            return Optional.empty();
        }
    }

    private static BigDecimal spendable(AccountFunds funds) {
        BigDecimal spendable = funds.available();
        if (funds.dailyHeadroom() != null) {
            spendable = spendable.min(funds.dailyHeadroom());
        }
        return spendable.max(Money.ZERO);
    }

    private boolean usable(LocalLease lease, Instant now) {
        return now.isBefore(lease.expiresAt.minus(settings.leaseTtl().dividedBy(4)));
    }

    /**
     * A grow or give-back whose outcome the node does not know. {@code amount}: for a grow, the money
     * asked for; for a give-back, the money taken out of {@code free} for it.
     */
    private record UnresolvedChange(long id, boolean grow, BigDecimal amount, Instant expiresAt) {
    }

    /** This node's view of its lease on one account. Guarded by {@link #lock}. */
    private static final class LocalLease {
        final ReentrantLock lock = new ReentrantLock();
        /** Leased money not set aside for any call. */
        BigDecimal free = Money.ZERO;
        /** Leased money set aside for live calls. */
        BigDecimal inCalls = Money.ZERO;
        Instant expiresAt = Instant.EPOCH;
        boolean usedSinceMaintenance;
        boolean topUpScheduled;
        /** Top-ups and give-backs whose database statement runs without the lock (at most one). */
        int statementsInFlight;
        /** A change whose statement failed without telling whether it committed; resolved before the next. */
        UnresolvedChange unresolved;
        final Condition statementsSettled = lock.newCondition();
        /**
         * What the next background top-up asks for: the configured slice, doubled each time top-ups
         * follow each other within a second (up to {@link #MAX_TOP_UP_SLICES} slices) and halved back
         * when they don't. A burst of thousands of calls a second from an idle account would
         * otherwise drain a fixed slice faster than one database round trip refills it, and its
         * calls would queue for the account's row.
         */
        BigDecimal topUp = Money.ZERO;
        Instant lastTopUp = Instant.EPOCH;

        LocalLease(BigDecimal slice) {
            topUp = slice;
        }

        /** Caller holds the lock. */
        void statementDone() {
            if (--statementsInFlight == 0) {
                statementsSettled.signalAll();
            }
        }

        /** Caller holds the lock; false if statements still run at the deadline ({@link System#nanoTime()}). */
        boolean awaitStatements(long deadlineNanos) throws InterruptedException {
            while (statementsInFlight > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                statementsSettled.awaitNanos(left);
            }
            return true;
        }

        void adaptTopUp(BigDecimal slice, Instant now) {
            BigDecimal max = slice.multiply(BigDecimal.valueOf(MAX_TOP_UP_SLICES));
            if (Duration.between(lastTopUp, now).compareTo(Duration.ofSeconds(1)) < 0) {
                topUp = topUp.multiply(BigDecimal.TWO).min(max);
            } else {
                topUp = topUp.divide(BigDecimal.TWO, Money.SCALE, RoundingMode.DOWN).max(slice);
            }
            lastTopUp = now;
        }
    }
}
