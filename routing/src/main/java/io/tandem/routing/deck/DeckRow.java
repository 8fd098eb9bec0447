package io.tandem.routing.deck;

import java.time.Instant;

/**
 * One valid row of an uploaded deck, amounts in micros. {@code effectiveFrom} is null when the row
 * gives no date (the import's date applies).
 */
public record DeckRow(
        int row,
        String prefix,
        String destination,
        long rateMicros,
        long connectFeeMicros,
        int initialIncrement,
        int nextIncrement,
        Instant effectiveFrom,
        RowAction action) {

    /** Same price terms: rate, connect fee and increments. */
    public boolean samePriceAs(long rate, long connectFee, int initial, int next) {
        return rateMicros == rate && connectFeeMicros == connectFee && initialIncrement == initial && nextIncrement == next;
    }
}
