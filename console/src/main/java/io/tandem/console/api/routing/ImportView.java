package io.tandem.console.api.routing;

import io.tandem.routing.Micros;
import io.tandem.routing.deck.DeckDiff;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.DiffKind;
import io.tandem.routing.deck.DiffLine;
import io.tandem.routing.deck.PriceTerms;
import io.tandem.routing.deck.RowError;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deck upload on the wire. {@code preview} (samples per kind and the increases inside the notice
 * period) is present in the answer to the upload only; the counts are stored.
 */
public record ImportView(long id, long deckId, String status, String fileName, String fileSha256, String format, String mode,
                         Instant effectiveFrom, String uploadedBy, Instant uploadedAt, Instant committedAt, int rowCount,
                         Map<String, Integer> counts, int errorCount, List<RowError> errors, Boolean keptValidRows,
                         Preview preview) {

    /** The diff's samples, by kind ({@code new}, {@code increased}, ...), and the notice check. */
    public record Preview(Map<String, List<Line>> samples, int noticeViolationCount, List<Line> noticeViolations) {
    }

    /**
     * One code of the diff; {@code row} 0 = closed because a full deck left it out. Increments are
     * the effective ones, written {@code initial/next} ({@code 30/60}), so an operator sees the
     * defaults a blank cell took before committing. {@code old*} are absent for a new code,
     * {@code new*} for a closed one. {@code increase} names what rose on an increased code, e.g.
     * {@code connect fee increase from 0.010000 to 0.020000}.
     */
    public record Line(int row, String prefix, String destination, String oldRate, String newRate, String oldConnectFee,
                       String newConnectFee, String oldIncrements, String newIncrements, String increase,
                       Instant effectiveFrom) {
        static Line of(DiffLine l) {
            PriceTerms before = l.oldTerms();
            PriceTerms after = l.newTerms();
            return new Line(l.row(), l.prefix(), l.destination(),
                    before == null ? null : Micros.format(before.rateMicros()), after == null ? null : Micros.format(after.rateMicros()),
                    before == null ? null : Micros.format(before.connectFeeMicros()),
                    after == null ? null : Micros.format(after.connectFeeMicros()),
                    before == null ? null : before.increments(), after == null ? null : after.increments(), l.increase(),
                    l.effectiveFrom());
        }
    }

    public static ImportView of(DeckImport i, DeckDiff diff, Boolean keptValidRows) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("new", i.newCount());
        counts.put("increased", i.increasedCount());
        counts.put("decreased", i.decreasedCount());
        counts.put("unchanged", i.unchangedCount());
        counts.put("closed", i.closedCount());
        Preview preview = null;
        if (diff != null) {
            Map<String, List<Line>> samples = new LinkedHashMap<>();
            for (DiffKind kind : DiffKind.values()) {
                samples.put(kind.name().toLowerCase(Locale.ROOT), diff.samples().getOrDefault(kind, List.of()).stream().map(Line::of).toList());
            }
            preview = new Preview(samples, diff.noticeViolationCount(), diff.noticeViolations().stream().map(Line::of).toList());
        }
        return new ImportView(i.id(), i.deckId(), i.status().code(), i.fileName(), i.fileSha256(), i.fileFormat(), i.mode().code(),
                i.effectiveFrom(), i.uploadedBy(), i.uploadedAt(), i.committedAt(), i.rowCount(), counts, i.errorCount(),
                i.errors(), keptValidRows, preview);
    }
}
