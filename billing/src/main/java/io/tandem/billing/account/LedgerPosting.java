package io.tandem.billing.account;

import java.math.BigDecimal;

/**
 * A request to change a balance through the ledger.
 *
 * @param amount         signed amount: positive credits, negative debits
 * @param idempotencyKey replaying a posting with the same key changes nothing (null = none)
 * @param callUuid       the call a posting settles, if any
 */
public record LedgerPosting(
        long accountId,
        LedgerEntryKind kind,
        BigDecimal amount,
        String reference,
        String actor,
        String idempotencyKey,
        String callUuid) {

    public static LedgerPosting of(long accountId, LedgerEntryKind kind, BigDecimal amount, String reference, String actor) {
        return new LedgerPosting(accountId, kind, amount, reference, actor, null, null);
    }

    public LedgerPosting withIdempotencyKey(String key) {
        return new LedgerPosting(accountId, kind, amount, reference, actor, key, callUuid);
    }
}
