package io.tandem.billing.settlement;

import java.util.List;

/**
 * Where settlements become durable truth: the database ({@code persistence.SettlementStore}).
 * Applying is idempotent on the call's UUID and all-or-nothing per batch.
 */
public interface SettlementSink {

    /** Applies the batch in one transaction; throws if nothing of it was applied. */
    AppliedSettlements apply(List<Settlement> batch);

    /** True if the database answers now: tells "the database is down" from "it refused this". */
    boolean reachable();
}
