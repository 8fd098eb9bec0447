package io.tandem.routing.deck;

import java.time.Instant;

/**
 * One code in the preview: its terms before and after (null when there was none or will be none)
 * and when the change takes effect. {@code row} is the file row, 0 for codes closed because a full
 * deck left them out.
 */
public record DiffLine(
        DiffKind kind,
        int row,
        String prefix,
        String destination,
        PriceTerms oldTerms,
        PriceTerms newTerms,
        Instant effectiveFrom) {

    public Long oldRateMicros() {
        return oldTerms == null ? null : oldTerms.rateMicros();
    }

    public Long newRateMicros() {
        return newTerms == null ? null : newTerms.rateMicros();
    }

    /**
     * What rose, with the old and new values, e.g. {@code connect fee increase from 0.010000 to
     * 0.020000; increments increase from 30/6 to 60/60}; null unless the line is {@link DiffKind#INCREASED}.
     */
    public String increase() {
        if (kind != DiffKind.INCREASED) {
            return null;
        }
        return String.join("; ", newTerms.risesSince(oldTerms));
    }
}
