package io.tandem.routing.deck;

import java.time.Instant;

/**
 * A rate period already in the deck and not yet over: what an import is compared with.
 * {@code effectiveUntil} null = open-ended.
 */
public record CurrentRate(
        long id,
        String prefix,
        String destination,
        long rateMicros,
        long connectFeeMicros,
        int initialIncrement,
        int nextIncrement,
        Instant effectiveFrom,
        Instant effectiveUntil,
        boolean blocked,
        int graceSeconds) {

    /** A rate period without its own grace time (-1: the deck's applies). */
    public CurrentRate(long id, String prefix, String destination, long rateMicros, long connectFeeMicros, int initialIncrement,
                       int nextIncrement, Instant effectiveFrom, Instant effectiveUntil, boolean blocked) {
        this(id, prefix, destination, rateMicros, connectFeeMicros, initialIncrement, nextIncrement, effectiveFrom,
                effectiveUntil, blocked, -1);
    }

    public PriceTerms terms() {
        return new PriceTerms(rateMicros, connectFeeMicros, initialIncrement, nextIncrement, graceSeconds);
    }

    boolean inForceJustBefore(Instant t) {
        return effectiveFrom.isBefore(t) && (effectiveUntil == null || !effectiveUntil.isBefore(t));
    }
}
