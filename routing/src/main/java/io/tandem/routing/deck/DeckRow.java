package io.tandem.routing.deck;

import java.time.Instant;

/**
 * One valid row of an uploaded deck, amounts in micros. {@code effectiveFrom} is null when the row
 * gives no date (the import's date applies). {@code graceSeconds} is -1 when the row gives none
 * (the deck's grace time applies).
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
        RowAction action,
        int graceSeconds) {

    /** A row without its own grace time. */
    public DeckRow(int row, String prefix, String destination, long rateMicros, long connectFeeMicros, int initialIncrement,
                   int nextIncrement, Instant effectiveFrom, RowAction action) {
        this(row, prefix, destination, rateMicros, connectFeeMicros, initialIncrement, nextIncrement, effectiveFrom, action, -1);
    }

    /** Same price terms: rate, connect fee, increments and grace time. */
    public boolean samePriceAs(long rate, long connectFee, int initial, int next, int grace) {
        return rateMicros == rate && connectFeeMicros == connectFee && initialIncrement == initial && nextIncrement == next
                && graceSeconds == grace;
    }
}
