package io.tandem.console.notices;

import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.PriceTerms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a customer must be told about a change of a sell deck: the deck's periods that were not over before the
 * change and after it, compared code by code. A period that appears is an increase or a decrease against the
 * period it follows (the one ended at its start, or in force just before it), or a new code when none precedes
 * it; a period that now ends earlier with nothing after it is a closed code. Periods that only moved their end
 * to make room for a successor are not lines of their own; a code with no period left is closed. Works for an import and for an edit alike, since it
 * looks only at the deck before and after.
 */
public final class RateChangeLines {

    private RateChangeLines() {
    }

    /**
     * The lines by prefix, then date. A code whose periods are all gone after the change (closed with a date that
     * has passed) is closed at {@code changedAt}.
     */
    public static List<NoticeLine> between(List<CurrentRate> before, List<CurrentRate> after, Instant changedAt) {
        Map<String, List<CurrentRate>> was = byPrefix(before);
        Map<String, List<CurrentRate>> now = byPrefix(after);
        TreeSet<String> prefixes = new TreeSet<>(was.keySet());
        prefixes.addAll(now.keySet());
        List<NoticeLine> lines = new ArrayList<>();
        for (String prefix : prefixes) {
            List<CurrentRate> old = was.getOrDefault(prefix, List.of());
            List<CurrentRate> current = now.getOrDefault(prefix, List.of());
            for (CurrentRate period : current) {
                if (period.blocked() || old.stream().anyMatch(o -> samePeriodStart(o, period))) {
                    continue;
                }
                CurrentRate predecessor = predecessor(period, current, old);
                if (predecessor == null) {
                    lines.add(line(NoticeLine.Change.NEW, period, null));
                    continue;
                }
                int cost = period.terms().compareCostTo(predecessor.terms());
                if (cost != 0) {
                    lines.add(line(cost > 0 ? NoticeLine.Change.INCREASE : NoticeLine.Change.DECREASE, period, predecessor.terms()));
                }
            }
            if (current.isEmpty()) {
                old.stream().filter(o -> !o.blocked() && !o.effectiveFrom().isAfter(changedAt)).reduce((a, b) -> b)
                        .ifPresent(gone -> lines.add(new NoticeLine(NoticeLine.Change.CLOSED, prefix, gone.destination(), gone.rateMicros(),
                                null, null, null, null, changedAt)));
                continue;
            }
            for (CurrentRate period : current) {
                if (period.blocked() || period.effectiveUntil() == null) {
                    continue;
                }
                boolean endedEarlier = old.stream().anyMatch(o -> samePeriodStart(o, period)
                        && (o.effectiveUntil() == null || o.effectiveUntil().isAfter(period.effectiveUntil())));
                boolean followed = current.stream().anyMatch(r -> r.effectiveFrom().equals(period.effectiveUntil()));
                if (endedEarlier && !followed) {
                    lines.add(new NoticeLine(NoticeLine.Change.CLOSED, prefix, period.destination(), period.rateMicros(), null, null, null,
                            null, period.effectiveUntil()));
                }
            }
        }
        lines.sort(java.util.Comparator.comparing(NoticeLine::prefix).thenComparing(NoticeLine::effectiveFrom));
        return lines;
    }

    private static boolean samePeriodStart(CurrentRate a, CurrentRate b) {
        return a.effectiveFrom().equals(b.effectiveFrom()) && a.terms().equals(b.terms()) && Objects.equals(a.destination(), b.destination());
    }

    /** The period a new one follows: ended at its start now, or in force just before its start before the change. */
    private static CurrentRate predecessor(CurrentRate period, List<CurrentRate> current, List<CurrentRate> old) {
        Instant start = period.effectiveFrom();
        for (CurrentRate candidate : current) {
            if (candidate != period && !candidate.blocked() && start.equals(candidate.effectiveUntil())) {
                return candidate;
            }
        }
        CurrentRate inForce = null;
        for (CurrentRate candidate : old) {
            if (!candidate.blocked() && candidate.effectiveFrom().isBefore(start)
                    && (candidate.effectiveUntil() == null || !candidate.effectiveUntil().isBefore(start))) {
                inForce = candidate;
            }
        }
        return inForce;
    }

    private static NoticeLine line(NoticeLine.Change change, CurrentRate period, PriceTerms before) {
        return new NoticeLine(change, period.prefix(), period.destination(), before == null ? null : before.rateMicros(), period.rateMicros(),
                period.connectFeeMicros(), period.initialIncrement(), period.nextIncrement(), period.effectiveFrom());
    }

    private static Map<String, List<CurrentRate>> byPrefix(List<CurrentRate> rates) {
        Map<String, List<CurrentRate>> grouped = new HashMap<>(rates.size() * 2);
        for (CurrentRate rate : rates) {
            grouped.computeIfAbsent(rate.prefix(), k -> new ArrayList<>(1)).add(rate);
        }
        return grouped;
    }
}
