package io.tandem.billing.rerating;

import io.tandem.billing.cdr.CdrFilter;
import java.util.List;
import java.util.UUID;

/**
 * A re-rating preview: nothing has changed yet. {@link Rerater#apply} turns it into ledger
 * adjustments.
 *
 * @param id        names this preview; the adjustments' idempotency keys carry it, so applying the
 *                  same preview twice adjusts once
 * @param examined  answered attempts looked at
 * @param unpriced  attempts the decks no longer price (kept at their old price)
 * @param changes   the attempts whose price changes, in start order
 */
public record RerateReport(UUID id, CdrFilter filter, long examined, long unpriced, List<RerateTotal> totals,
                           List<RerateLine> changes) {

    public RerateReport {
        totals = List.copyOf(totals);
        changes = List.copyOf(changes);
    }
}
