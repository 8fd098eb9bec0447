package io.tandem.routing.deck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares an uploaded deck with the deck as it stands and says what would change: counts and
 * samples of new, increased, decreased, unchanged and closed codes, the increases that come sooner
 * than the deck's notice period, and the {@link DeckChangePlan} that applies it.
 *
 * <p>Effective dates: a row without a date takes the import's date; a date in the past means
 * "now" (a deck cannot change what calls already paid). A row effective at {@code E} ends the
 * period in force at {@code E} and replaces periods scheduled at or after {@code E}. Increased /
 * decreased compare the rate per minute, then the connect fee, then the increments, then the grace
 * time ({@link PriceTerms#compareCostTo}).
 */
public record DeckDiff(
        Map<DiffKind, Integer> counts,
        Map<DiffKind, List<DiffLine>> samples,
        int noticeViolationCount,
        List<DiffLine> noticeViolations,
        DeckChangePlan plan) {

    /** Samples kept per kind, and notice violations kept, for the preview. */
    public static final int SAMPLES = 20;

    public int count(DiffKind kind) {
        return counts.getOrDefault(kind, 0);
    }

    /**
     * @param current       the deck's periods that are not over at {@code now}
     * @param rows          the valid rows of the upload
     * @param effectiveFrom the import's date, for rows without one
     * @param noticeDays    the deck's notice period for increases
     */
    public static DeckDiff compute(Collection<CurrentRate> current, List<DeckRow> rows, ImportMode mode,
            Instant effectiveFrom, Instant now, int noticeDays) {
        return compute(current, rows, mode, effectiveFrom, now, noticeDays, KEPT_VIOLATIONS);
    }

    /** Notice violations a preview keeps (the count is always complete). */
    public static final int KEPT_VIOLATIONS = 100;

    /**
     * As {@link #compute(Collection, List, ImportMode, Instant, Instant, int)}, keeping up to {@code keptViolations}
     * notice violations: pushing every early increase to the end of the notice period needs them all.
     */
    public static DeckDiff compute(Collection<CurrentRate> current, List<DeckRow> rows, ImportMode mode,
            Instant effectiveFrom, Instant now, int noticeDays, int keptViolations) {
        Map<String, List<CurrentRate>> byPrefix = new HashMap<>(current.size() * 2);
        for (CurrentRate rate : current) {
            byPrefix.computeIfAbsent(rate.prefix(), k -> new ArrayList<>(1)).add(rate);
        }
        Instant importDate = effectiveFrom == null || effectiveFrom.isBefore(now) ? now : effectiveFrom;
        Instant noticeEnd = now.plus(Duration.ofDays(noticeDays));
        Map<DiffKind, Integer> counts = new EnumMap<>(DiffKind.class);
        Map<DiffKind, List<DiffLine>> samples = new EnumMap<>(DiffKind.class);
        for (DiffKind kind : DiffKind.values()) {
            counts.put(kind, 0);
            samples.put(kind, new ArrayList<>());
        }
        List<DiffLine> violations = new ArrayList<>();
        int violationCount = 0;
        List<DeckChangePlan.PlannedRate> inserts = new ArrayList<>(rows.size());
        Map<Instant, List<Long>> endAt = new TreeMap<>();
        List<Long> deletes = new ArrayList<>();
        List<String> noOps = new ArrayList<>();
        Set<String> listed = new HashSet<>(rows.size() * 2);

        for (DeckRow row : rows) {
            listed.add(row.prefix());
            Instant at = row.effectiveFrom() == null || row.effectiveFrom().isBefore(now) ? importDate : row.effectiveFrom();
            List<CurrentRate> periods = byPrefix.getOrDefault(row.prefix(), List.of());
            CurrentRate reference = null;
            for (CurrentRate period : periods) {
                if (period.inForceJustBefore(at) && !period.blocked()) {
                    reference = period;
                }
            }
            if (row.action() == RowAction.CLOSE) {
                if (close(periods, at, endAt, deletes)) {
                    add(counts, samples, new DiffLine(DiffKind.CLOSED, row.row(), row.prefix(), row.destination(),
                            reference == null ? null : reference.terms(), null, at));
                }
                continue;
            }
            PriceTerms newTerms = row.terms();
            PriceTerms oldTerms = reference == null ? null : reference.terms();
            DiffKind kind = oldTerms == null ? DiffKind.NEW : kindOf(newTerms.compareCostTo(oldTerms));
            DiffLine line = new DiffLine(kind, row.row(), row.prefix(), row.destination(), oldTerms, newTerms, at);
            add(counts, samples, line);
            if (kind == DiffKind.INCREASED && at.isBefore(noticeEnd)) {
                violationCount++;
                if (violations.size() < keptViolations) {
                    violations.add(line);
                }
            }
            boolean sameOpenEnded = reference != null && kind == DiffKind.UNCHANGED
                    && reference.effectiveUntil() == null && reference.destination().equals(row.destination());
            boolean scheduledLater = false;
            for (CurrentRate period : periods) {
                if (!period.effectiveFrom().isBefore(at)) {
                    scheduledLater = true;
                }
            }
            if (sameOpenEnded && !scheduledLater) {
                noOps.add(row.prefix());
                continue;
            }
            close(periods, at, endAt, deletes);
            inserts.add(new DeckChangePlan.PlannedRate(row, at));
        }
        if (mode == ImportMode.FULL) {
            // codes the full deck leaves out close at the import's date
            Map<String, List<CurrentRate>> missing = new LinkedHashMap<>();
            for (Map.Entry<String, List<CurrentRate>> entry : byPrefix.entrySet()) {
                if (!listed.contains(entry.getKey())) {
                    missing.put(entry.getKey(), entry.getValue());
                }
            }
            for (Map.Entry<String, List<CurrentRate>> entry : missing.entrySet()) {
                List<CurrentRate> periods = entry.getValue();
                CurrentRate reference = null;
                for (CurrentRate period : periods) {
                    if (period.inForceJustBefore(importDate) || !period.effectiveFrom().isBefore(importDate)) {
                        reference = reference == null ? period : reference;
                    }
                }
                if (close(periods, importDate, endAt, deletes)) {
                    add(counts, samples, new DiffLine(DiffKind.CLOSED, 0, entry.getKey(),
                            reference == null ? "" : reference.destination(),
                            reference == null ? null : reference.terms(), null, importDate));
                }
            }
        }
        Map<DiffKind, List<DiffLine>> frozenSamples = new EnumMap<>(DiffKind.class);
        samples.forEach((kind, list) -> frozenSamples.put(kind, List.copyOf(list)));
        Map<Instant, List<Long>> frozenEnds = new LinkedHashMap<>();
        endAt.forEach((instant, ids) -> frozenEnds.put(instant, List.copyOf(ids)));
        return new DeckDiff(Map.copyOf(counts), Map.copyOf(frozenSamples), violationCount, List.copyOf(violations),
                new DeckChangePlan(List.copyOf(inserts), frozenEnds, List.copyOf(deletes), List.copyOf(noOps)));
    }

    /** Ends what is in force at {@code at} and drops what is scheduled from then; true if anything was open. */
    private static boolean close(List<CurrentRate> periods, Instant at, Map<Instant, List<Long>> endAt, List<Long> deletes) {
        boolean changed = false;
        for (CurrentRate period : periods) {
            if (!period.effectiveFrom().isBefore(at)) {
                deletes.add(period.id());
                changed = true;
            } else if (period.effectiveUntil() == null || period.effectiveUntil().isAfter(at)) {
                endAt.computeIfAbsent(at, k -> new ArrayList<>()).add(period.id());
                changed = true;
            }
        }
        return changed;
    }

    private static DiffKind kindOf(int costComparison) {
        return costComparison > 0 ? DiffKind.INCREASED : costComparison < 0 ? DiffKind.DECREASED : DiffKind.UNCHANGED;
    }

    private static void add(Map<DiffKind, Integer> counts, Map<DiffKind, List<DiffLine>> samples, DiffLine line) {
        counts.merge(line.kind(), 1, Integer::sum);
        List<DiffLine> list = samples.get(line.kind());
        if (list.size() < SAMPLES) {
            list.add(line);
        }
    }
}
