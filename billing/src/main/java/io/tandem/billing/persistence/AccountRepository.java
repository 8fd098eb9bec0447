package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.RATE_DECK;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.AccountSpec;
import io.tandem.billing.account.AccountUpdate;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.Money;
import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.jooq.tables.records.AccountRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Accounts in the database. Balances are never written here: they change only through
 * {@link AccountLedger}, so that the balance always equals the sum of the ledger.
 */
public final class AccountRepository {

    private final DSLContext dsl;
    private final Clock clock;
    private final AccountLedger ledger;

    public AccountRepository(DSLContext dsl, Clock clock, AccountLedger ledger) {
        this.dsl = dsl;
        this.clock = clock;
        this.ledger = ledger;
    }

    /**
     * Creates an account; a non-zero opening balance is written as an {@code opening} ledger
     * entry in the same transaction.
     */
    public Account create(AccountSpec spec, BigDecimal openingBalance, String actor) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            AccountRecord row = tx.newRecord(ACCOUNT);
            apply(spec, row);
            row.setBalance(Money.ZERO);
            row.setHeld(Money.ZERO);
            row.setCreatedAt(now);
            row.setUpdatedAt(now);
            row.store();
            if (openingBalance != null && openingBalance.signum() != 0) {
                ledger.post(tx, LedgerPosting.of(row.getId(), LedgerEntryKind.OPENING, openingBalance, "opening balance", actor));
            }
            ConfigVersionStamp.bump(tx, now);
            return toAccount(tx.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(row.getId())).fetchSingle());
        });
    }

    /**
     * Replaces the editable fields. A change of currency is refused while the account holds money
     * or has rate decks; the check runs under the row lock every balance change also takes, so no
     * top-up or call can land between the check and the change.
     */
    public AccountUpdate update(long id, AccountSpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            AccountRecord row = tx.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                return new AccountUpdate.UnknownAccount(id);
            }
            if (!row.getCurrency().equals(spec.currency())) {
                if (row.getBalance().signum() != 0 || row.getHeld().signum() != 0) {
                    return new AccountUpdate.CurrencyLocked("cannot change while the account holds money (balance "
                            + Money.format(row.getBalance()) + " " + row.getCurrency() + ", held for live calls "
                            + Money.format(row.getHeld()) + "): bring the balance to zero with an adjustment first");
                }
                if (tx.fetchExists(RATE_DECK, RATE_DECK.ACCOUNT_ID.eq(id))) {
                    return new AccountUpdate.CurrencyLocked("cannot change while the account has rate decks: their prices are in "
                            + row.getCurrency() + "; create a new account for the new currency");
                }
            }
            apply(spec, row);
            Instant now = clock.instant();
            row.setUpdatedAt(now);
            row.update();
            ConfigVersionStamp.bump(tx, now);
            return new AccountUpdate.Updated(toAccount(row));
        });
    }

    public Optional<Account> setStatus(long id, AccountStatus status) {
        Instant now = clock.instant();
        return dsl.transactionResult(cfg -> {
            int updated = cfg.dsl().update(ACCOUNT)
                    .set(ACCOUNT.STATUS, status.code())
                    .set(ACCOUNT.UPDATED_AT, now)
                    .where(ACCOUNT.ID.eq(id))
                    .execute();
            if (updated == 0) {
                return Optional.empty();
            }
            ConfigVersionStamp.bump(cfg.dsl(), now);
            return Optional.of(toAccount(cfg.dsl().selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchSingle()));
        });
    }

    public Optional<Account> find(long id) {
        return dsl.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOptional().map(AccountRepository::toAccount);
    }

    public Optional<Account> findByName(String name) {
        return dsl.selectFrom(ACCOUNT).where(ACCOUNT.NAME.eq(name)).fetchOptional().map(AccountRepository::toAccount);
    }

    public boolean nameTaken(String name, Long exceptId) {
        var condition = ACCOUNT.NAME.eq(name);
        if (exceptId != null) {
            condition = condition.and(ACCOUNT.ID.ne(exceptId));
        }
        return dsl.fetchExists(ACCOUNT, condition);
    }

    public List<Account> list(int offset, int limit) {
        return dsl.selectFrom(ACCOUNT).orderBy(ACCOUNT.ID).offset(offset).limit(limit).fetch(AccountRepository::toAccount);
    }

    public int count() {
        return dsl.fetchCount(ACCOUNT);
    }

    /** The names of these accounts (ids that name no account are left out): labels for one page of a grid. */
    public Map<Long, String> names(Collection<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            dsl.select(ACCOUNT.ID, ACCOUNT.NAME).from(ACCOUNT).where(ACCOUNT.ID.in(ids)).fetch()
                    .forEach(row -> names.put(row.value1(), row.value2()));
        }
        return names;
    }

    /**
     * Accounts whose name contains {@code text} (any case; empty = all), by name. {@code kind} CUSTOMER or VENDOR
     * also finds accounts of kind BOTH; null = any kind.
     */
    public List<Account> search(String text, AccountKind kind, int offset, int limit) {
        return dsl.selectFrom(ACCOUNT).where(searchCondition(text, kind)).orderBy(ACCOUNT.NAME, ACCOUNT.ID).offset(offset).limit(limit)
                .fetch(AccountRepository::toAccount);
    }

    public int count(String text, AccountKind kind) {
        return dsl.fetchCount(ACCOUNT, searchCondition(text, kind));
    }

    private static org.jooq.Condition searchCondition(String text, AccountKind kind) {
        org.jooq.Condition condition = text == null || text.isEmpty() ? org.jooq.impl.DSL.noCondition() : ACCOUNT.NAME.containsIgnoreCase(text);
        if (kind != null) {
            condition = condition.and(kind == AccountKind.BOTH ? ACCOUNT.KIND.eq(kind.code())
                    : ACCOUNT.KIND.in(kind.code(), AccountKind.BOTH.code()));
        }
        return condition;
    }

    private static void apply(AccountSpec spec, AccountRecord row) {
        row.setName(spec.name());
        row.setKind(spec.kind().code());
        row.setCurrency(spec.currency());
        row.setCreditLimit(spec.creditLimit() == null ? Money.ZERO : spec.creditLimit());
        row.setStatus((spec.status() == null ? AccountStatus.ACTIVE : spec.status()).code());
        row.setMaxCps(spec.maxCps());
        row.setMaxConcurrentCalls(spec.maxConcurrentCalls());
        row.setDailySpendLimit(spec.dailySpendLimit());
        row.setLowBalanceThreshold(spec.lowBalanceThreshold());
        row.setSuspendAtZero(spec.suspendAtZero());
        row.setNoticeDays(spec.noticeDays());
    }

    static Account toAccount(AccountRecord r) {
        return new Account(
                r.getId(), r.getName(), AccountKind.ofCode(r.getKind()), r.getCurrency(),
                r.getBalance(), r.getHeld(), r.getCreditLimit(), AccountStatus.ofCode(r.getStatus()),
                r.getMaxCps(), r.getMaxConcurrentCalls(), r.getDailySpendLimit(), r.getLowBalanceThreshold(),
                Boolean.TRUE.equals(r.getSuspendAtZero()), r.getCreatedAt(), r.getUpdatedAt(), r.getNoticeDays());
    }
}
