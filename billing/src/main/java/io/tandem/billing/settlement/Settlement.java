package io.tandem.billing.settlement;

import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a finished call changes in the database, applied in one transaction: its CDRs (one
 * per attempt), and for a call that cost money the ledger entry {@code call:<uuid>}, the balance
 * debit, the daily spend, and the release of the money held for it. Applying the same settlement
 * twice changes nothing the second time.
 */
public record Settlement(UUID callUuid, long customerAccountId, String nodeId, HoldSource holdSource,
                         List<CdrRecord> attempts, Instant settledAt) {

    public Settlement {
        Objects.requireNonNull(callUuid, "callUuid");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(holdSource, "holdSource");
        Objects.requireNonNull(settledAt, "settledAt");
        attempts = List.copyOf(attempts);
        for (CdrRecord attempt : attempts) {
            if (!attempt.callUuid().equals(callUuid) || attempt.customerAccountId() != customerAccountId) {
                throw new IllegalArgumentException("Attempt " + attempt.attempt() + " belongs to another call or customer");
            }
        }
    }

    /** What the customer pays: the sum of the attempts' sell costs (only an answered attempt has one). */
    public BigDecimal charge() {
        BigDecimal total = Money.ZERO;
        for (CdrRecord attempt : attempts) {
            total = total.add(attempt.sellCost());
        }
        return total;
    }

    /** The ledger's idempotency key for this call. */
    public String ledgerKey() {
        return idempotencyKey(callUuid);
    }

    public static String idempotencyKey(UUID callUuid) {
        return "call:" + callUuid;
    }
}
