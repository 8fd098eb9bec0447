package io.tandem.routing.deck;

import java.util.List;

/** The outcome of committing a previewed import. */
public sealed interface CommitResult {

    /** The deck now reads as the import says; routing reloads with the new config version. */
    record Committed(DeckImport deckImport) implements CommitResult {
    }

    /** Rate increases come sooner than the deck's notice period; commit again with the override. */
    record NoticeRequired(int count, List<DiffLine> increases, int noticeDays) implements CommitResult {
    }

    /** The import is not (or no longer) waiting for a commit. */
    record NotCommittable(ImportStatus status, String reason) implements CommitResult {
    }
}
