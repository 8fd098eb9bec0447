package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.BALANCE_RESERVATION;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;

import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.settlement.AppliedSettlements;
import io.tandem.billing.settlement.BalanceEvent;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.Settlement;
import io.tandem.billing.settlement.SettlementSink;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies settlements to the database, many per transaction, so the call path never waits for
 * a round trip per call and the database sees a handful of statements per batch:
 *
 * <ol>
 *   <li>lock the customers' account rows ({@code SELECT … FOR UPDATE}, in id order, the same
 *       order every writer of {@code account} uses, so batches on several nodes cannot deadlock);</li>
 *   <li>skip calls whose ledger entry {@code call:<uuid>} exists (a replayed settlement; looked up
 *       only after the unique key refused a batch, since replays are rare);</li>
 *   <li>release held money: delete the calls' reservations, shrink this node's lease by the cost;</li>
 *   <li>insert the ledger entries with their running {@code balance_after}, update each account
 *       once ({@code balance - debit, held - released}), add to the daily spend;</li>
 *   <li>insert the CDRs as multi-row inserts, ignoring attempts already stored.</li>
 * </ol>
 *
 * Money leaves {@code balance} and {@code held} together, so {@code balance - held} (what new
 * calls may take) never changes at settlement; the guarded lease and reservation updates are what
 * keep an account above its credit limit.
 */
public final class SettlementStore implements SettlementSink {

    private static final Logger log = LoggerFactory.getLogger(SettlementStore.class);

    /** Rows per multi-row insert: below PostgreSQL's 32,767 bind parameters for 44 CDR columns. */
    static final int ROWS_PER_INSERT = 500;

    private final DSLContext dsl;
    private final String actor;

    /** @param actor the ledger's {@code created_by} for call entries, e.g. {@code "node:<id>"} */
    public SettlementStore(DSLContext dsl, String actor) {
        this.dsl = dsl;
        this.actor = actor;
    }

    /** Applies the batch in one transaction: all of it or, on an exception, none of it. */
    @Override
    public AppliedSettlements apply(List<Settlement> batch) {
        Map<UUID, Settlement> unique = new LinkedHashMap<>();
        for (Settlement settlement : batch) {
            unique.putIfAbsent(settlement.callUuid(), settlement);
        }
        List<Settlement> settlements = List.copyOf(unique.values());
        try {
            return dsl.transactionResult(cfg -> applyInTransaction(cfg.dsl(), settlements, false));
        } catch (DataAccessException e) {
            if (e.sqlState() == null || !e.sqlState().startsWith("23")) {
                throw e;
            }
            // A call in the batch was settled before (a replay): the ledger's unique key refused it
            // and the transaction rolled back whole. Again, this time skipping what is settled.
            return dsl.transactionResult(cfg -> applyInTransaction(cfg.dsl(), settlements, true));
        }
    }

    /** True if the database answers a trivial query now. */
    @Override
    public boolean reachable() {
        try {
            dsl.selectOne().fetch();
            return true;
        } catch (RuntimeException e) {
            log.debug("Database not reachable: {}", e.getMessage());
            return false;
        }
    }

    private AppliedSettlements applyInTransaction(DSLContext tx, List<Settlement> settlements, boolean skipSettled) {
        boolean postgres = tx.dialect().family() == SQLDialect.POSTGRES;
        Set<Long> accountIds = new TreeSet<>();
        List<String> keys = new ArrayList<>();
        List<String> reservationCalls = new ArrayList<>();
        for (Settlement s : settlements) {
            if (s.charge().signum() > 0) {
                accountIds.add(s.customerAccountId());
                keys.add(s.ledgerKey());
            }
            if (s.holdSource() == HoldSource.RESERVATION) {
                accountIds.add(s.customerAccountId());
                reservationCalls.add(s.callUuid().toString());
            }
        }

        Map<Long, AccountState> accounts = accountIds.isEmpty() ? new TreeMap<>()
                : tx.connectionResult(connection -> lockAccounts(connection, accountIds));
        // Replays are rare, so the common path does not look for them: the unique ledger key does.
        Set<String> alreadySettled = keys.isEmpty() || !skipSettled ? Set.of()
                : tx.select(LEDGER_ENTRY.IDEMPOTENCY_KEY).from(LEDGER_ENTRY)
                        .where(LEDGER_ENTRY.IDEMPOTENCY_KEY.in(keys)).fetchSet(LEDGER_ENTRY.IDEMPOTENCY_KEY);

        releaseReservations(tx, reservationCalls, accounts);

        // Costs served from leases, per (account, node).
        Map<LeaseKey, BigDecimal> leaseCosts = new LinkedHashMap<>();
        List<Settlement> toDebit = new ArrayList<>();
        int replayed = 0;
        for (Settlement s : settlements) {
            if (s.charge().signum() <= 0) {
                continue;
            }
            if (alreadySettled.contains(s.ledgerKey())) {
                replayed++;
                continue;
            }
            toDebit.add(s);
            if (s.holdSource() == HoldSource.LEASE) {
                leaseCosts.merge(new LeaseKey(s.customerAccountId(), s.nodeId()), s.charge(), BigDecimal::add);
            }
        }

        Map<DayKey, BigDecimal> dailySpend = new LinkedHashMap<>();
        List<Object[]> ledgerRows = new ArrayList<>(toDebit.size());
        for (Settlement s : toDebit) {
            AccountState account = accounts.get(s.customerAccountId());
            if (account == null) {
                throw new IllegalStateException("Settlement " + s.callUuid() + " names unknown account "
                        + s.customerAccountId());
            }
            BigDecimal charge = s.charge();
            account.debit = account.debit.add(charge);
            BigDecimal balanceAfter = account.balanceBefore.subtract(account.debit);
            ledgerRows.add(new Object[] {s.customerAccountId(), LedgerEntryKind.CALL.code(), charge.negate(), balanceAfter,
                    s.callUuid().toString(), s.ledgerKey(), actor, s.settledAt()});
            dailySpend.merge(new DayKey(s.customerAccountId(), LocalDate.ofInstant(s.settledAt(), ZoneOffset.UTC)),
                    charge, BigDecimal::add);
        }

        List<BalanceEvent> events = new ArrayList<>();
        Instant now = settlements.isEmpty() ? Instant.now() : settlements.getLast().settledAt();
        tx.connection(connection -> {
            releaseFromLeases(connection, leaseCosts, accounts, postgres);
            insertLedgerRows(connection, ledgerRows, postgres);
            updateAccounts(connection, accounts, now, events, postgres);
            addDailySpend(connection, dailySpend, postgres);
        });

        List<CdrRecord> cdrs = new ArrayList<>();
        for (Settlement s : settlements) {
            cdrs.addAll(s.attempts());
        }
        List<Settlement> notStored = new ArrayList<>(0);
        String problem = null;
        try {
            insertCdrs(tx, cdrs);
        } catch (DataAccessException batchRefused) {
            if (!isDataError(batchRefused)) {
                throw batchRefused;
            }
            // One call's CDR is refused: the money of the whole batch stands; each call's CDRs are
            // tried alone so that only the refused ones are kept aside.
            problem = batchRefused.getMessage();
            for (Settlement s : settlements) {
                try {
                    insertCdrs(tx, s.attempts());
                } catch (DataAccessException refused) {
                    if (!isDataError(refused)) {
                        throw refused;
                    }
                    notStored.add(s);
                    problem = refused.getMessage();
                }
            }
        }
        return new AppliedSettlements(settlements.size() - replayed, replayed, events, notStored, notStored.isEmpty() ? null : problem);
    }

    /** The CDRs in a savepoint, so that a refused insert rolls back only itself, never the charges. */
    private static void insertCdrs(DSLContext tx, List<CdrRecord> cdrs) {
        tx.transaction(savepoint -> CdrStore.insertIgnoringDuplicates(savepoint.dsl(), cdrs));
    }

    /** SQLSTATE class 22 (data exception: too long, out of range) or 23 (a constraint): the row, not the database. */
    private static boolean isDataError(DataAccessException e) {
        String state = e.sqlState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * Locks the accounts' rows ({@code FOR UPDATE}, in id order, the order every writer of
     * {@code account} uses) and reads what settling needs.
     */
    private static Map<Long, AccountState> lockAccounts(Connection connection, Set<Long> accountIds) throws SQLException {
        Map<Long, AccountState> accounts = new TreeMap<>();
        String sql = LOCK_ACCOUNTS_SQL.computeIfAbsent(accountIds.size(), n ->
                "SELECT id, balance, status, low_balance_threshold, suspend_at_zero FROM account WHERE id IN ("
                        + JdbcValues.marks(n) + ") ORDER BY id FOR UPDATE");
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            for (long id : accountIds) {
                select.setLong(index++, id);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    accounts.put(rows.getLong(1), new AccountState(rows.getBigDecimal(2), rows.getString(3),
                            rows.getBigDecimal(4), rows.getBoolean(5)));
                }
            }
        }
        return accounts;
    }

    /** Multi-row inserts with the statement text built once per row count (see CdrStore for why). */
    private static void insertLedgerRows(Connection connection, List<Object[]> rows, boolean postgres) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
            try (PreparedStatement insert = connection.prepareStatement(LEDGER_SQL.computeIfAbsent(chunk.size(),
                    n -> "INSERT INTO ledger_entry (account_id, kind, amount, balance_after, call_uuid, idempotency_key, "
                            + "created_by, created_at) VALUES "
                            + String.join(", ", Collections.nCopies(n, "(?, ?, ?, ?, ?, ?, ?, ?)"))))) {
                int index = 1;
                for (Object[] row : chunk) {
                    for (Object value : row) {
                        JdbcValues.bind(insert, index++, value, postgres);
                    }
                }
                insert.executeUpdate();
            }
        }
    }

    /** Each account once: {@code balance - debit, held - released}; suspends at zero where asked. */
    private static void updateAccounts(Connection connection, Map<Long, AccountState> accounts, Instant now,
                                       List<BalanceEvent> events, boolean postgres) throws SQLException {
        for (Map.Entry<Long, AccountState> entry : accounts.entrySet()) {
            AccountState account = entry.getValue();
            if (account.debit.signum() == 0 && account.released.signum() == 0) {
                continue;
            }
            BigDecimal after = account.balanceBefore.subtract(account.debit);
            boolean suspend = account.suspendAtZero && account.debit.signum() > 0 && after.signum() <= 0
                    && AccountStatus.ACTIVE.code().equals(account.status);
            try (PreparedStatement update = connection.prepareStatement(suspend ? UPDATE_ACCOUNT_SUSPEND_SQL : UPDATE_ACCOUNT_SQL)) {
                JdbcValues.bind(update, 1, account.debit, postgres);
                JdbcValues.bind(update, 2, account.released, postgres);
                JdbcValues.bind(update, 3, now, postgres);
                int index = 4;
                if (suspend) {
                    update.setString(index++, AccountStatus.SUSPENDED.code());
                    events.add(new BalanceEvent.SuspendedAtZero(entry.getKey(), after));
                }
                update.setLong(index, entry.getKey());
                update.executeUpdate();
            }
            BigDecimal threshold = account.lowBalanceThreshold;
            if (threshold != null && account.balanceBefore.compareTo(threshold) >= 0 && after.compareTo(threshold) < 0) {
                events.add(new BalanceEvent.LowBalance(entry.getKey(), after, threshold));
            }
        }
    }

    private static final String UPDATE_ACCOUNT_SQL =
            "UPDATE account SET balance = balance - ?, held = held - ?, updated_at = ? WHERE id = ?";
    private static final String UPDATE_ACCOUNT_SUSPEND_SQL =
            "UPDATE account SET balance = balance - ?, held = held - ?, updated_at = ?, status = ? WHERE id = ?";

    /**
     * Update-then-insert is race-free here: the account row is locked by this transaction.
     * (An upsert would need a different statement per dialect.)
     */
    private static void addDailySpend(Connection connection, Map<DayKey, BigDecimal> dailySpend, boolean postgres)
            throws SQLException {
        for (Map.Entry<DayKey, BigDecimal> spend : dailySpend.entrySet()) {
            int updated;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE account_daily_spend SET spent = spent + ? WHERE account_id = ? AND spend_day = ?")) {
                JdbcValues.bind(update, 1, spend.getValue(), postgres);
                update.setLong(2, spend.getKey().accountId());
                update.setObject(3, spend.getKey().day());
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO account_daily_spend (account_id, spend_day, spent) VALUES (?, ?, ?)")) {
                    insert.setLong(1, spend.getKey().accountId());
                    insert.setObject(2, spend.getKey().day());
                    JdbcValues.bind(insert, 3, spend.getValue(), postgres);
                    insert.executeUpdate();
                }
            }
        }
    }

    private static final Map<Integer, String> LEDGER_SQL = new ConcurrentHashMap<>();
    private static final Map<Integer, String> LOCK_ACCOUNTS_SQL = new ConcurrentHashMap<>();

    private void releaseReservations(DSLContext tx, List<String> calls, Map<Long, AccountState> accounts) {
        if (calls.isEmpty()) {
            return;
        }
        var rows = tx.select(BALANCE_RESERVATION.ACCOUNT_ID, BALANCE_RESERVATION.AMOUNT)
                .from(BALANCE_RESERVATION)
                .where(BALANCE_RESERVATION.CALL_UUID.in(calls))
                .forUpdate()
                .fetch();
        if (rows.isEmpty()) {
            return;
        }
        tx.deleteFrom(BALANCE_RESERVATION).where(BALANCE_RESERVATION.CALL_UUID.in(calls)).execute();
        for (var row : rows) {
            AccountState account = Objects.requireNonNull(accounts.get(row.value1()),
                    "reservation of an account that was not locked");
            account.released = account.released.add(row.value2());
        }
    }

    private static void releaseFromLeases(Connection connection, Map<LeaseKey, BigDecimal> costs,
                                          Map<Long, AccountState> accounts, boolean postgres) throws SQLException {
        for (Map.Entry<LeaseKey, BigDecimal> cost : costs.entrySet()) {
            LeaseKey key = cost.getKey();
            BigDecimal leased = null;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT amount FROM balance_lease WHERE account_id = ? AND node_id = ? FOR UPDATE")) {
                select.setLong(1, key.accountId());
                select.setString(2, key.nodeId());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        leased = row.getBigDecimal(1);
                    }
                }
            }
            BigDecimal release = leased == null ? Money.ZERO : leased.min(cost.getValue());
            if (release.signum() > 0) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE balance_lease SET amount = amount - ? WHERE account_id = ? AND node_id = ?")) {
                    JdbcValues.bind(update, 1, release, postgres);
                    update.setLong(2, key.accountId());
                    update.setString(3, key.nodeId());
                    update.executeUpdate();
                }
                accounts.get(key.accountId()).released = accounts.get(key.accountId()).released.add(release);
            }
            if (release.compareTo(cost.getValue()) < 0) {
                // The lease was reclaimed by a peer (this node was taken for dead) or is smaller than
                // the calls it served: the calls happened, so they are charged all the same.
                log.warn("Lease of node {} on account {} covered {} of {} settled; charging the rest to the balance",
                        key.nodeId(), key.accountId(), release, cost.getValue());
            }
        }
    }

    private record LeaseKey(long accountId, String nodeId) {
    }

    private record DayKey(long accountId, LocalDate day) {
    }

    private static final class AccountState {
        final BigDecimal balanceBefore;
        final String status;
        final BigDecimal lowBalanceThreshold;
        final boolean suspendAtZero;
        BigDecimal debit = Money.ZERO;
        BigDecimal released = Money.ZERO;

        AccountState(BigDecimal balanceBefore, String status, BigDecimal lowBalanceThreshold, boolean suspendAtZero) {
            this.balanceBefore = balanceBefore;
            this.status = status;
            this.lowBalanceThreshold = lowBalanceThreshold;
            this.suspendAtZero = suspendAtZero;
        }
    }
}
