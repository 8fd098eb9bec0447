package io.tandem.billing.rerating;

import java.util.List;

/**
 * Where a re-rating lands ({@code persistence.RerateStore}): per customer, in one transaction,
 * the CDRs get their new price and the balance a {@code rerate} ledger entry for the difference.
 */
public interface RerateAdjustments {

    /**
     * Re-prices the lines of one customer whose stored price is still the preview's old price
     * (a CDR re-priced meanwhile is left alone) and posts the sum of their differences.
     *
     * @return the lines actually re-priced
     */
    List<RerateLine> apply(long customerAccountId, List<RerateLine> lines, String idempotencyKey, String actor);
}
