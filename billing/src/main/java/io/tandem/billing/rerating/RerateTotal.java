package io.tandem.billing.rerating;

import java.math.BigDecimal;

/** What re-rating changes for one customer: the calls whose price moves and by how much in total. */
public record RerateTotal(long customerAccountId, long calls, BigDecimal oldTotal, BigDecimal newTotal) {

    /** Positive: the customer owes more; the ledger adjustment is its negation. */
    public BigDecimal delta() {
        return newTotal.subtract(oldTotal);
    }
}
