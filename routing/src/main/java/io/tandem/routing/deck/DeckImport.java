package io.tandem.routing.deck;

import java.time.Instant;
import java.util.List;

/**
 * One uploaded file and what became of it: who sent it when, its SHA-256, the counts of the diff
 * and the row errors (at most {@link DeckParser#MAX_REPORTED_ERRORS}; {@code errorCount} is all).
 */
public record DeckImport(
        long id,
        long deckId,
        String uploadedBy,
        Instant uploadedAt,
        Instant committedAt,
        String fileName,
        String fileSha256,
        String fileFormat,
        ImportMode mode,
        Instant effectiveFrom,
        ImportStatus status,
        int rowCount,
        int newCount,
        int increasedCount,
        int decreasedCount,
        int unchangedCount,
        int closedCount,
        int errorCount,
        List<RowError> errors) {
}
