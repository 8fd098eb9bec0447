package io.tandem.routing.deck;

import java.util.List;

/**
 * The result of reading a deck file: the valid rows, the errors (at most
 * {@link DeckParser#MAX_REPORTED_ERRORS} kept, {@code errorCount} counts all) and the number of
 * data rows read.
 */
public record ParsedDeck(String format, int rowCount, List<DeckRow> rows, List<RowError> errors, int errorCount) {

    public ParsedDeck {
        rows = List.copyOf(rows);
        errors = List.copyOf(errors);
    }

    public boolean valid() {
        return errorCount == 0;
    }
}
