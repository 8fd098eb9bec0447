package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.ACCOUNT_DAILY_SPEND;
import static io.tandem.db.jooq.Tables.BALANCE_LEASE;
import static io.tandem.db.jooq.Tables.BALANCE_RESERVATION;
import static io.tandem.db.jooq.Tables.CLUSTER_NODE;

import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.Money;
import io.tandem.billing.authorization.AccountFunds;
import io.tandem.billing.authorization.BalanceHolds;
import io.tandem.billing.authorization.LeaseChange;
import io.tandem.billing.authorization.NodeRoles;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Money held for live calls, in SQL. Every hold is one guarded statement on the account row:
 *
 * <pre>UPDATE account SET held = held + ? WHERE id = ? AND status = 'active' AND balance - held - ? &gt;= -credit_limit</pre>
 *
 * with a row-count check, never select-then-update, so any number of nodes holding money at
 * the same time cannot take an account below its credit limit. The matching
 * {@code balance_lease} or {@code balance_reservation} row is written in the same transaction,
 * so {@code account.held} always equals the sum of the account's leases and reservations.
 * The account row is always locked before lease or reservation rows (the same order as
 * {@link SettlementStore}), so concurrent writers cannot deadlock.
 */
public final class LeaseStore implements BalanceHolds {

    private static final Logger log = LoggerFactory.getLogger(LeaseStore.class);

    private final DSLContext dsl;

    public LeaseStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Available money, status and what the daily limit leaves today (after settled spend and held money); empty if no such account. */
    @Override
    public Optional<AccountFunds> funds(long accountId, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        var spent = DSL.select(ACCOUNT_DAILY_SPEND.SPENT).from(ACCOUNT_DAILY_SPEND)
                .where(ACCOUNT_DAILY_SPEND.ACCOUNT_ID.eq(ACCOUNT.ID).and(ACCOUNT_DAILY_SPEND.SPEND_DAY.eq(today)))
                .asField("spent_today");
        return dsl.select(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).plus(ACCOUNT.CREDIT_LIMIT), ACCOUNT.STATUS,
                        ACCOUNT.DAILY_SPEND_LIMIT, spent, ACCOUNT.HELD)
                .from(ACCOUNT)
                .where(ACCOUNT.ID.eq(accountId))
                .fetchOptional()
                .map(r -> {
                    BigDecimal limit = r.value3();
                    BigDecimal spentToday = r.value4() == null ? BigDecimal.ZERO : (BigDecimal) r.value4();
                    // Money held by live calls (and leases) may be spent any moment: it counts as spent.
                    BigDecimal headroom = limit == null ? null : limit.subtract(spentToday).subtract(r.value5()).max(BigDecimal.ZERO);
                    return new AccountFunds(accountId, Money.round(r.value1()),
                            AccountStatus.ACTIVE.code().equals(r.value2()), headroom);
                });
    }

    /**
     * Grows this node's lease on the account by {@code amount} if the account can afford it.
     * @return false (nothing changed) if the money is not there or the account is not active
     */
    @Override
    public boolean growLease(long accountId, String nodeId, BigDecimal amount, Instant now, Instant expiresAt,
                             long changeId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (!holdOnAccount(tx, accountId, amount, now)) {
                return false;
            }
            int updated = tx.update(BALANCE_LEASE)
                    .set(BALANCE_LEASE.AMOUNT, BALANCE_LEASE.AMOUNT.plus(amount))
                    .set(BALANCE_LEASE.EXPIRES_AT, expiresAt)
                    .set(BALANCE_LEASE.LAST_CHANGE_ID, changeId)
                    .set(BALANCE_LEASE.LAST_CHANGE_AMOUNT, amount)
                    .where(BALANCE_LEASE.ACCOUNT_ID.eq(accountId).and(BALANCE_LEASE.NODE_ID.eq(nodeId)))
                    .execute();
            if (updated == 0) {
                tx.insertInto(BALANCE_LEASE)
                        .set(BALANCE_LEASE.ACCOUNT_ID, accountId)
                        .set(BALANCE_LEASE.NODE_ID, nodeId)
                        .set(BALANCE_LEASE.AMOUNT, amount)
                        .set(BALANCE_LEASE.GRANTED_AT, now)
                        .set(BALANCE_LEASE.EXPIRES_AT, expiresAt)
                        .set(BALANCE_LEASE.LAST_CHANGE_ID, changeId)
                        .set(BALANCE_LEASE.LAST_CHANGE_AMOUNT, amount)
                        .execute();
            }
            return true;
        });
    }

    /**
     * Gives back up to {@code amount} of this node's lease (never more than the lease holds).
     * @return what was given back
     */
    @Override
    public BigDecimal shrinkLease(long accountId, String nodeId, BigDecimal amount, Instant now, long changeId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            lockAccount(tx, accountId);
            Condition lease = BALANCE_LEASE.ACCOUNT_ID.eq(accountId).and(BALANCE_LEASE.NODE_ID.eq(nodeId));
            BigDecimal leased = tx.select(BALANCE_LEASE.AMOUNT).from(BALANCE_LEASE).where(lease).forUpdate()
                    .fetchOne(BALANCE_LEASE.AMOUNT);
            if (leased == null) {
                return Money.ZERO;
            }
            BigDecimal release = leased.min(amount);
            // The row stays at zero rather than going: its change id answers lastLeaseChange.
            tx.update(BALANCE_LEASE)
                    .set(BALANCE_LEASE.AMOUNT, BALANCE_LEASE.AMOUNT.minus(release))
                    .set(BALANCE_LEASE.LAST_CHANGE_ID, changeId)
                    .set(BALANCE_LEASE.LAST_CHANGE_AMOUNT, release.negate())
                    .where(lease)
                    .execute();
            releaseOnAccount(tx, accountId, release, now);
            return release;
        });
    }

    /** Holds {@code amount} for one call. @return false if the account cannot afford it */
    @Override
    public boolean reserve(UUID callUuid, long accountId, String nodeId, BigDecimal amount, Instant now, Instant expiresAt) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (!holdOnAccount(tx, accountId, amount, now)) {
                return false;
            }
            tx.insertInto(BALANCE_RESERVATION)
                    .set(BALANCE_RESERVATION.CALL_UUID, callUuid.toString())
                    .set(BALANCE_RESERVATION.ACCOUNT_ID, accountId)
                    .set(BALANCE_RESERVATION.NODE_ID, nodeId)
                    .set(BALANCE_RESERVATION.AMOUNT, amount)
                    .set(BALANCE_RESERVATION.CREATED_AT, now)
                    .set(BALANCE_RESERVATION.EXPIRES_AT, expiresAt)
                    .execute();
            return true;
        });
    }

    /** Adds {@code amount} to a live call's reservation (the next slice of a long call). */
    @Override
    public boolean extendReservation(UUID callUuid, long accountId, BigDecimal amount, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (!holdOnAccount(tx, accountId, amount, now)) {
                return false;
            }
            int updated = tx.update(BALANCE_RESERVATION)
                    .set(BALANCE_RESERVATION.AMOUNT, BALANCE_RESERVATION.AMOUNT.plus(amount))
                    .where(BALANCE_RESERVATION.CALL_UUID.eq(callUuid.toString()))
                    .execute();
            if (updated == 0) {
                throw new IllegalStateException("No reservation for call " + callUuid + " (reclaimed or settled)");
            }
            return true;
        });
    }

    /** Records this node as alive, with its roles, and pushes the expiry of all its leases and reservations. */
    @Override
    public void heartbeat(String nodeId, String roles, Instant now, Instant expiresAt) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(CLUSTER_NODE).set(CLUSTER_NODE.HEARTBEAT_AT, now).set(CLUSTER_NODE.ROLES, roles)
                    .where(CLUSTER_NODE.NODE_ID.eq(nodeId)).execute();
            if (updated == 0) {
                tx.insertInto(CLUSTER_NODE)
                        .set(CLUSTER_NODE.NODE_ID, nodeId)
                        .set(CLUSTER_NODE.STARTED_AT, now)
                        .set(CLUSTER_NODE.HEARTBEAT_AT, now)
                        .set(CLUSTER_NODE.ROLES, roles)
                        .onDuplicateKeyIgnore()
                        .execute();
            }
            tx.update(BALANCE_LEASE).set(BALANCE_LEASE.EXPIRES_AT, expiresAt)
                    .where(BALANCE_LEASE.NODE_ID.eq(nodeId)).execute();
            tx.update(BALANCE_RESERVATION).set(BALANCE_RESERVATION.EXPIRES_AT, expiresAt)
                    .where(BALANCE_RESERVATION.NODE_ID.eq(nodeId)).execute();
        });
    }

    /**
     * Gives back to their accounts the leases and reservations of nodes that are gone: expired
     * before {@code now} and owned by a node whose last heartbeat is older than
     * {@code silentSince} (or that never heartbeated). A live node's leases are never touched,
     * even if a clock hiccup let them lapse.
     *
     * @return the number of leases and reservations reclaimed
     */
    @Override
    public int reclaimFromDeadNodes(Instant now, Instant silentSince) {
        Condition deadNode = DSL.notExists(DSL.selectOne().from(CLUSTER_NODE)
                .where(CLUSTER_NODE.NODE_ID.eq(BALANCE_LEASE.NODE_ID).and(CLUSTER_NODE.HEARTBEAT_AT.ge(silentSince))));
        int reclaimed = 0;
        for (var lease : dsl.select(BALANCE_LEASE.ACCOUNT_ID, BALANCE_LEASE.NODE_ID).from(BALANCE_LEASE)
                .where(BALANCE_LEASE.EXPIRES_AT.lt(now)).and(deadNode).fetch()) {
            reclaimed += reclaimLease(lease.value1(), lease.value2(), now, silentSince) ? 1 : 0;
        }
        Condition deadReservationNode = DSL.notExists(DSL.selectOne().from(CLUSTER_NODE)
                .where(CLUSTER_NODE.NODE_ID.eq(BALANCE_RESERVATION.NODE_ID).and(CLUSTER_NODE.HEARTBEAT_AT.ge(silentSince))));
        for (var reservation : dsl.select(BALANCE_RESERVATION.CALL_UUID, BALANCE_RESERVATION.ACCOUNT_ID)
                .from(BALANCE_RESERVATION).where(BALANCE_RESERVATION.EXPIRES_AT.lt(now)).and(deadReservationNode).fetch()) {
            reclaimed += reclaimReservation(reservation.value1(), reservation.value2(), now) ? 1 : 0;
        }
        return reclaimed;
    }

    private boolean reclaimLease(long accountId, String nodeId, Instant now, Instant silentSince) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            lockAccount(tx, accountId);
            Condition lease = BALANCE_LEASE.ACCOUNT_ID.eq(accountId).and(BALANCE_LEASE.NODE_ID.eq(nodeId))
                    .and(BALANCE_LEASE.EXPIRES_AT.lt(now));
            BigDecimal amount = tx.select(BALANCE_LEASE.AMOUNT).from(BALANCE_LEASE).where(lease).forUpdate()
                    .fetchOne(BALANCE_LEASE.AMOUNT);
            boolean stillSilent = !tx.fetchExists(CLUSTER_NODE,
                    CLUSTER_NODE.NODE_ID.eq(nodeId).and(CLUSTER_NODE.HEARTBEAT_AT.ge(silentSince)));
            if (amount == null || !stillSilent) {
                return false;
            }
            tx.deleteFrom(BALANCE_LEASE).where(lease).execute();
            releaseOnAccount(tx, accountId, amount, now);
            log.warn("Reclaimed the expired lease of silent node {} on account {}: {} back to available money",
                    nodeId, accountId, amount);
            return true;
        });
    }

    private boolean reclaimReservation(String callUuid, long accountId, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            lockAccount(tx, accountId);
            BigDecimal amount = tx.select(BALANCE_RESERVATION.AMOUNT).from(BALANCE_RESERVATION)
                    .where(BALANCE_RESERVATION.CALL_UUID.eq(callUuid).and(BALANCE_RESERVATION.EXPIRES_AT.lt(now)))
                    .forUpdate().fetchOne(BALANCE_RESERVATION.AMOUNT);
            if (amount == null) {
                return false;
            }
            tx.deleteFrom(BALANCE_RESERVATION).where(BALANCE_RESERVATION.CALL_UUID.eq(callUuid)).execute();
            releaseOnAccount(tx, accountId, amount, now);
            log.warn("Reclaimed the expired reservation of call {} on account {} from a silent node: {}",
                    callUuid, accountId, amount);
            return true;
        });
    }

    /** Money this node holds in its lease on the account, as the database sees it (zero if none). */
    @Override
    public Optional<LeaseChange> lastLeaseChange(long accountId, String nodeId) {
        return dsl.select(BALANCE_LEASE.LAST_CHANGE_ID, BALANCE_LEASE.LAST_CHANGE_AMOUNT).from(BALANCE_LEASE)
                .where(BALANCE_LEASE.ACCOUNT_ID.eq(accountId).and(BALANCE_LEASE.NODE_ID.eq(nodeId)))
                .fetchOptional(r -> new LeaseChange(r.value1(), r.value2()));
    }

    @Override
    public BigDecimal leased(long accountId, String nodeId) {
        BigDecimal amount = dsl.select(BALANCE_LEASE.AMOUNT).from(BALANCE_LEASE)
                .where(BALANCE_LEASE.ACCOUNT_ID.eq(accountId).and(BALANCE_LEASE.NODE_ID.eq(nodeId)))
                .fetchOne(BALANCE_LEASE.AMOUNT);
        return amount == null ? Money.ZERO : amount;
    }

    @Override
    public int liveNodes(Instant silentSince) {
        return dsl.fetchCount(CLUSTER_NODE, CLUSTER_NODE.HEARTBEAT_AT.ge(silentSince)
                .and(CLUSTER_NODE.ROLES.in(NodeRoles.BOTH, NodeRoles.SIP)));
    }

    /**
     * Accounts whose {@code held} differs from the sum of their leases and reservations; always
     * empty unless money was held behind this class's back.
     */
    public List<Long> heldMismatches() {
        var leases = DSL.select(DSL.coalesce(DSL.sum(BALANCE_LEASE.AMOUNT), BigDecimal.ZERO)).from(BALANCE_LEASE)
                .where(BALANCE_LEASE.ACCOUNT_ID.eq(ACCOUNT.ID)).asField();
        var reservations = DSL.select(DSL.coalesce(DSL.sum(BALANCE_RESERVATION.AMOUNT), BigDecimal.ZERO))
                .from(BALANCE_RESERVATION).where(BALANCE_RESERVATION.ACCOUNT_ID.eq(ACCOUNT.ID)).asField();
        return dsl.select(ACCOUNT.ID, ACCOUNT.HELD, leases, reservations).from(ACCOUNT).fetch().stream()
                .filter(r -> r.value2().compareTo(((BigDecimal) r.value3()).add((BigDecimal) r.value4())) != 0)
                .map(r -> r.value1())
                .toList();
    }

    /**
     * Holds money on the account in one guarded statement: within the credit limit, and within the
     * daily spend limit counting what is held already (live calls, leases) as spent, since it may
     * be any moment: today's settled spend + held + this never exceeds the daily limit, whatever
     * number of calls and nodes ask at once.
     */
    private static boolean holdOnAccount(DSLContext tx, long accountId, BigDecimal amount, Instant now) {
        Field<BigDecimal> spentToday = DSL.coalesce(DSL.field(DSL.select(ACCOUNT_DAILY_SPEND.SPENT).from(ACCOUNT_DAILY_SPEND)
                .where(ACCOUNT_DAILY_SPEND.ACCOUNT_ID.eq(accountId)
                        .and(ACCOUNT_DAILY_SPEND.SPEND_DAY.eq(LocalDate.ofInstant(now, ZoneOffset.UTC))))), BigDecimal.ZERO);
        return tx.update(ACCOUNT)
                .set(ACCOUNT.HELD, ACCOUNT.HELD.plus(amount))
                .set(ACCOUNT.UPDATED_AT, now)
                .where(ACCOUNT.ID.eq(accountId))
                .and(ACCOUNT.STATUS.eq(AccountStatus.ACTIVE.code()))
                .and(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).minus(amount).ge(ACCOUNT.CREDIT_LIMIT.neg()))
                .and(ACCOUNT.DAILY_SPEND_LIMIT.isNull()
                        .or(ACCOUNT.DAILY_SPEND_LIMIT.minus(ACCOUNT.HELD).minus(amount).minus(spentToday).ge(BigDecimal.ZERO)))
                .execute() == 1;
    }

    private static void releaseOnAccount(DSLContext tx, long accountId, BigDecimal amount, Instant now) {
        tx.update(ACCOUNT)
                .set(ACCOUNT.HELD, ACCOUNT.HELD.minus(amount))
                .set(ACCOUNT.UPDATED_AT, now)
                .where(ACCOUNT.ID.eq(accountId))
                .execute();
    }

    private static void lockAccount(DSLContext tx, long accountId) {
        tx.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.ID.eq(accountId)).forUpdate().fetch();
    }
}
