package io.tandem.billing.rerating;

import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.util.UUID;

/** One answered attempt whose price changes: what it cost, and what the decks now say. */
public record RerateLine(UUID callUuid, int attempt, long customerAccountId, int billsec, BigDecimal buyCost,
                         BigDecimal oldSellCost, BigDecimal newSellCost, RateSnapshot newRate) {

    /** Positive: the customer owes more. */
    public BigDecimal delta() {
        return newSellCost.subtract(oldSellCost);
    }
}
