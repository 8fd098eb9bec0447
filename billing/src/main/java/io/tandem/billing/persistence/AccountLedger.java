package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;

import io.tandem.billing.account.LedgerEntry;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.Money;
import io.tandem.billing.account.PostingResult;
import io.tandem.db.jooq.tables.records.LedgerEntryRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The only writer of balances. Every change is one transaction: the balance update and its
 * ledger entry, so {@code balance == sum(ledger_entry.amount)} for every account at all times.
 *
 * <p>{@link #debit} is the guarded debit used for money the account must have:
 * {@code UPDATE account SET balance = balance - ? WHERE id = ? AND balance - held - ? >= -credit_limit},
 * one statement with a row-count check, never select-then-update, so concurrent debits on any
 * number of nodes can never take an account below its credit limit.
 */
public final class AccountLedger {

    private final DSLContext dsl;
    private final Clock clock;

    public AccountLedger(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Credits or debits unconditionally (top-ups, operator adjustments). */
    public PostingResult post(LedgerPosting posting) {
        return inTransaction(posting, tx -> post(tx, posting));
    }

    /**
     * Debits {@code posting.amount()} (a positive number) only if the account's available money
     * covers it.
     */
    public PostingResult debit(LedgerPosting posting) {
        if (posting.amount().signum() < 0) {
            throw new IllegalArgumentException("a debit amount is positive: " + posting.amount());
        }
        return inTransaction(posting, tx -> {
            BigDecimal amount = Money.round(posting.amount());
            int updated = tx.update(ACCOUNT)
                    .set(ACCOUNT.BALANCE, ACCOUNT.BALANCE.minus(amount))
                    .set(ACCOUNT.UPDATED_AT, clock.instant())
                    .where(ACCOUNT.ID.eq(posting.accountId()))
                    .and(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).minus(amount).ge(ACCOUNT.CREDIT_LIMIT.neg()))
                    .execute();
            if (updated == 0) {
                var row = tx.select(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).plus(ACCOUNT.CREDIT_LIMIT))
                        .from(ACCOUNT).where(ACCOUNT.ID.eq(posting.accountId())).fetchOne();
                return row == null
                        ? new PostingResult.UnknownAccount(posting.accountId())
                        : new PostingResult.InsufficientFunds(Money.round(row.value1()));
            }
            return new PostingResult.Posted(insertEntry(tx, posting, amount.negate()));
        });
    }

    /** Posts inside the caller's transaction (for callers that write more in the same transaction). */
    PostingResult post(DSLContext tx, LedgerPosting posting) {
        BigDecimal amount = Money.round(posting.amount());
        int updated = tx.update(ACCOUNT)
                .set(ACCOUNT.BALANCE, ACCOUNT.BALANCE.plus(amount))
                .set(ACCOUNT.UPDATED_AT, clock.instant())
                .where(ACCOUNT.ID.eq(posting.accountId()))
                .execute();
        if (updated == 0) {
            return new PostingResult.UnknownAccount(posting.accountId());
        }
        return new PostingResult.Posted(insertEntry(tx, posting, amount));
    }

    private LedgerEntry insertEntry(DSLContext tx, LedgerPosting posting, BigDecimal signedAmount) {
        // The row is locked by our UPDATE, so this read is the balance our change produced.
        BigDecimal balanceAfter = tx.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(posting.accountId())).fetchSingle().value1();
        LedgerEntryRecord entry = tx.newRecord(LEDGER_ENTRY);
        entry.setAccountId(posting.accountId());
        entry.setKind(posting.kind().code());
        entry.setAmount(signedAmount);
        entry.setBalanceAfter(balanceAfter);
        entry.setCallUuid(posting.callUuid());
        entry.setIdempotencyKey(posting.idempotencyKey());
        entry.setReference(posting.reference() == null ? "" : posting.reference());
        entry.setCreatedBy(posting.actor());
        entry.setCreatedAt(clock.instant());
        entry.store();
        return toEntry(entry);
    }

    private PostingResult inTransaction(LedgerPosting posting, java.util.function.Function<DSLContext, PostingResult> work) {
        String key = posting.idempotencyKey();
        if (key != null) {
            Optional<LedgerEntry> earlier = findByIdempotencyKey(key);
            if (earlier.isPresent()) {
                return new PostingResult.Replayed(earlier.get());
            }
        }
        try {
            return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
        } catch (RuntimeException e) {
            // Two replays of the same key raced and the unique key refused the loser, whose
            // transaction rolled back whole. (Caught broadly: under Spring, jOOQ's exception
            // arrives translated into Spring's DataIntegrityViolationException.)
            if (key != null) {
                Optional<LedgerEntry> winner = findByIdempotencyKey(key);
                if (winner.isPresent()) {
                    return new PostingResult.Replayed(winner.get());
                }
            }
            throw e;
        }
    }

    public Optional<LedgerEntry> findByIdempotencyKey(String key) {
        return dsl.selectFrom(LEDGER_ENTRY).where(LEDGER_ENTRY.IDEMPOTENCY_KEY.eq(key)).fetchOptional().map(AccountLedger::toEntry);
    }

    /** The newest entries of an account, newest first. */
    public List<LedgerEntry> entries(long accountId, int offset, int limit) {
        return dsl.selectFrom(LEDGER_ENTRY)
                .where(LEDGER_ENTRY.ACCOUNT_ID.eq(accountId))
                .orderBy(LEDGER_ENTRY.ID.desc())
                .offset(offset).limit(limit)
                .fetch(AccountLedger::toEntry);
    }

    /**
     * Accounts whose balance differs from the sum of their ledger entries. Always empty unless
     * someone wrote a balance behind the ledger's back.
     */
    public List<LedgerMismatch> reconcile() {
        var ledgerSum = org.jooq.impl.DSL.coalesce(org.jooq.impl.DSL.sum(LEDGER_ENTRY.AMOUNT), BigDecimal.ZERO);
        return dsl.select(ACCOUNT.ID, ACCOUNT.BALANCE, ledgerSum)
                .from(ACCOUNT)
                .leftJoin(LEDGER_ENTRY).on(LEDGER_ENTRY.ACCOUNT_ID.eq(ACCOUNT.ID))
                .groupBy(ACCOUNT.ID, ACCOUNT.BALANCE)
                .having(ACCOUNT.BALANCE.ne(ledgerSum))
                .fetch(r -> new LedgerMismatch(r.value1(), r.value2(), r.value3()));
    }

    /** An account whose balance is not the sum of its ledger. */
    public record LedgerMismatch(long accountId, BigDecimal balance, BigDecimal ledgerSum) {
    }

    static LedgerEntry toEntry(LedgerEntryRecord r) {
        return new LedgerEntry(r.getId(), r.getAccountId(), LedgerEntryKind.ofCode(r.getKind()), r.getAmount(),
                r.getBalanceAfter(), r.getCallUuid(), r.getIdempotencyKey(), r.getReference(), r.getCreatedBy(), r.getCreatedAt());
    }
}
