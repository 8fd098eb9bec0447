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
        boolean blocked) {

    boolean inForceJustBefore(Instant t) {
        return effectiveFrom.isBefore(t) && (effectiveUntil == null || !effectiveUntil.isBefore(t));
    }
}
