package io.tandem.routing.deck;

/**
 * The answer to an upload: the stored import (status previewed, or rejected when the file is
 * invalid), and the diff with samples when there was something to compare (null when rejected).
 * {@code keptValidRows} says that bad rows were dropped and the rest kept.
 */
public record ImportPreview(DeckImport deckImport, DeckDiff diff, boolean keptValidRows) {
}
