package io.tandem.routing.deck;

import java.time.Instant;
import java.util.Objects;

/**
 * One valid row of an uploaded deck, amounts in micros. {@code effectiveFrom} is null when the row
 * gives no date (the import's date applies). {@code graceSeconds} is -1 when the row gives none
 * (the deck's grace time applies). A {@link RowAction#CLOSE} row carries no price of its own: see
 * {@link #closing}.
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

    /** Increments of a row that gives none, in seconds. */
    public static final int DEFAULT_INCREMENT = 60;

    /** A row without its own grace time. */
    public DeckRow(int row, String prefix, String destination, long rateMicros, long connectFeeMicros, int initialIncrement,
                   int nextIncrement, Instant effectiveFrom, RowAction action) {
        this(row, prefix, destination, rateMicros, connectFeeMicros, initialIncrement, nextIncrement, effectiveFrom, action, -1);
    }

    /**
     * A row that closes its code at {@code effectiveFrom}. The code stops being priced, so the row has
     * no rate or fee (zero) and the default increments; they are never billed.
     */
    public static DeckRow closing(int row, String prefix, String destination, Instant effectiveFrom) {
        return new DeckRow(row, prefix, destination, 0, 0, DEFAULT_INCREMENT, DEFAULT_INCREMENT, effectiveFrom,
                RowAction.CLOSE, -1);
    }

    /** The row's price terms; those of a closing row are never billed. */
    public PriceTerms terms() {
        return new PriceTerms(rateMicros, connectFeeMicros, initialIncrement, nextIncrement, graceSeconds);
    }

    /** Same action, date and price terms (rate, connect fee, increments and grace time); row and destination aside. */
    public boolean sameTermsAs(DeckRow other) {
        return action == other.action && Objects.equals(effectiveFrom, other.effectiveFrom) && rateMicros == other.rateMicros
                && connectFeeMicros == other.connectFeeMicros && initialIncrement == other.initialIncrement
                && nextIncrement == other.nextIncrement && graceSeconds == other.graceSeconds;
    }
}
