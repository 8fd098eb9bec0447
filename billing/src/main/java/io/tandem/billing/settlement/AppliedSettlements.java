package io.tandem.billing.settlement;

import java.util.List;

/**
 * The outcome of applying a batch of settlements.
 *
 * @param applied  settlements that changed the database now
 * @param replayed settlements whose call had already been settled (nothing changed)
 * @param events   balance events raised by this batch, to publish after commit
 * @param cdrsNotStored settlements whose money was applied but whose CDRs the database refused
 *                 (a data error, not an outage): they are kept whole elsewhere and reported
 * @param cdrProblem what the database said about them, or null
 */
public record AppliedSettlements(int applied, int replayed, List<BalanceEvent> events, List<Settlement> cdrsNotStored,
                                 String cdrProblem) {

    public AppliedSettlements {
        events = List.copyOf(events);
        cdrsNotStored = List.copyOf(cdrsNotStored);
    }

    public AppliedSettlements(int applied, int replayed, List<BalanceEvent> events) {
        this(applied, replayed, events, List.of(), null);
    }
}
