package io.tandem.billing.account;

import java.math.BigDecimal;

/** The outcome of a ledger posting. Expected refusals are values, not exceptions. */
public sealed interface PostingResult {

    /** The balance changed and the entry was written. */
    record Posted(LedgerEntry entry) implements PostingResult {
    }

    /** The same idempotency key was posted before; nothing changed. */
    record Replayed(LedgerEntry entry) implements PostingResult {
    }

    /** A guarded debit would take the account below its credit limit; nothing changed. */
    record InsufficientFunds(BigDecimal available) implements PostingResult {
    }

    /** No such account. */
    record UnknownAccount(long accountId) implements PostingResult {
    }
}
