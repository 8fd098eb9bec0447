package io.tandem.billing.settlement;

import java.util.List;

/**
 * The outcome of applying a batch of settlements.
 *
 * @param applied  settlements that changed the database now
 * @param replayed settlements whose call had already been settled (nothing changed)
 * @param events   balance events raised by this batch, to publish after commit
 */
public record AppliedSettlements(int applied, int replayed, List<BalanceEvent> events) {

    public AppliedSettlements {
        events = List.copyOf(events);
    }
}
