package io.tandem.routing.deck;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The writes that apply an import: rates to insert (already resolved to their effective instant),
 * existing periods to end at an instant, and scheduled periods the import supersedes (they never
 * took effect, so they are deleted). Rows whose code is already priced the same, open-ended, need
 * no write and are listed in {@code noOpPrefixes}.
 */
public record DeckChangePlan(
        List<PlannedRate> inserts,
        Map<Instant, List<Long>> endAt,
        List<Long> deletes,
        List<String> noOpPrefixes) {

    /** A new rate period from {@code effectiveFrom}, open-ended. */
    public record PlannedRate(DeckRow row, Instant effectiveFrom) {
    }
}
