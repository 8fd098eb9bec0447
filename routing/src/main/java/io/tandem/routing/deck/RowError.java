package io.tandem.routing.deck;

/**
 * A problem in an uploaded deck, in words a partner understands. {@code row} is the line as a
 * spreadsheet shows it (the header is row 1 unless rows precede it); 0 means the file as a whole.
 */
public record RowError(int row, String column, String message) {
}
