package io.tandem.billing.account;

import java.math.BigDecimal;
import java.time.Instant;

/** One change of a balance: positive credits the account, negative debits it. */
public record LedgerEntry(
        long id,
        long accountId,
        LedgerEntryKind kind,
        BigDecimal amount,
        BigDecimal balanceAfter,
        String callUuid,
        String idempotencyKey,
        String reference,
        String createdBy,
        Instant createdAt) {
}
