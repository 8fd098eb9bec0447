package io.tandem.billing.reconciliation;

import io.tandem.billing.account.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Matches a vendor's calls to ours in one pass: a sorted merge by connect time. Both inputs arrive in
 * connect-time order; our calls are read only up to {@code their time + window} and are kept in a pending
 * set keyed by called number until they fall behind {@code their time - window}, when an unmatched one is
 * reported as only-ours. So memory holds the calls of two windows, whatever the length of the files.
 *
 * <p>A record of theirs matches the earliest unmatched call of ours to the same called number whose connect
 * time is within the window. Matched calls are then compared: duration beyond the tolerance, amount beyond the
 * tolerance (when their file has amounts). Every discrepancy goes to the sink as it is found; the report holds
 * only totals.
 */
public final class ReconciliationMatcher {

    private final MatchTolerance tolerance;

    public ReconciliationMatcher(MatchTolerance tolerance) {
        this.tolerance = tolerance;
    }

    /** Their record arrived earlier than one before it by more than the window: the input is not sorted. */
    public static final class UnsortedInputException extends IllegalArgumentException {
        public UnsortedInputException(String message) {
            super(message);
        }
    }

    /**
     * @param theirs their calls in connect-time order; those outside {@code [from, until)} are counted and skipped
     * @param ours   our calls in connect-time order, all inside the period
     */
    public ReconciliationReport match(Iterator<CallLeg> theirs, Iterator<CallLeg> ours, Instant from, Instant until,
                                      Consumer<Discrepancy> sink) {
        Totals t = new Totals();
        Map<String, ArrayDeque<Pending>> byNumber = new HashMap<>();
        ArrayDeque<Pending> inOrder = new ArrayDeque<>();
        CallLeg nextOurs = ours.hasNext() ? ours.next() : null;
        Instant latestTheirs = from;
        while (theirs.hasNext()) {
            CallLeg their = theirs.next();
            t.theirRows++;
            if (their.connectedAt().isBefore(from) || !their.connectedAt().isBefore(until)) {
                t.outsidePeriod++;
                continue;
            }
            if (their.connectedAt().isBefore(latestTheirs.minus(tolerance.window()))) {
                throw new UnsortedInputException(their.reference() + " is earlier than a record before it: sort the file by connect time");
            }
            if (their.connectedAt().isAfter(latestTheirs)) {
                latestTheirs = their.connectedAt();
            }
            Instant horizon = their.connectedAt().plus(tolerance.window());
            Instant behind = latestTheirs.minus(tolerance.window());
            while (nextOurs != null && !nextOurs.connectedAt().isAfter(horizon)) {
                if (nextOurs.connectedAt().isBefore(behind)) {
                    // No record of theirs can match it any more (a gap in their file): report it without
                    // holding it, so a missing day of theirs costs no memory.
                    t.ourCalls++;
                    onlyOurs(nextOurs, t, sink);
                    nextOurs = ours.hasNext() ? ours.next() : null;
                    continue;
                }
                Pending pending = new Pending(nextOurs);
                inOrder.addLast(pending);
                byNumber.computeIfAbsent(nextOurs.called(), k -> new ArrayDeque<>()).addLast(pending);
                t.ourCalls++;
                nextOurs = ours.hasNext() ? ours.next() : null;
            }
            while (!inOrder.isEmpty() && inOrder.peekFirst().leg.connectedAt().isBefore(behind)) {
                Pending old = inOrder.pollFirst();
                if (!old.matched) {
                    ArrayDeque<Pending> same = byNumber.get(old.leg.called());
                    same.remove(old);
                    if (same.isEmpty()) {
                        byNumber.remove(old.leg.called());
                    }
                    onlyOurs(old.leg, t, sink);
                }
            }
            Pending match = null;
            ArrayDeque<Pending> candidates = byNumber.get(their.called());
            if (candidates != null) {
                for (Pending candidate : candidates) {
                    long apart = Math.abs(candidate.leg.connectedAt().toEpochMilli() - their.connectedAt().toEpochMilli());
                    if (apart <= tolerance.window().toMillis()) {
                        match = candidate;
                        break;
                    }
                }
            }
            if (match == null) {
                t.onlyTheirs++;
                t.onlyTheirsSeconds += their.seconds();
                t.onlyTheirsAmount = t.onlyTheirsAmount.add(amount(their));
                t.theirTotal = t.theirTotal.add(amount(their));
                sink.accept(new Discrepancy(Discrepancy.Kind.ONLY_THEIRS, their, null));
                continue;
            }
            match.matched = true;
            candidates.remove(match);
            if (candidates.isEmpty()) {
                byNumber.remove(their.called());
            }
            matched(their, match.leg, t, sink);
        }
        for (Pending pending : inOrder) {
            if (!pending.matched) {
                onlyOurs(pending.leg, t, sink);
            }
        }
        while (nextOurs != null) {
            if (!nextOurs.connectedAt().isBefore(from) && nextOurs.connectedAt().isBefore(until)) {
                t.ourCalls++;
                onlyOurs(nextOurs, t, sink);
            }
            nextOurs = ours.hasNext() ? ours.next() : null;
        }
        return new ReconciliationReport(t.theirRows, t.ourCalls, t.outsidePeriod,
                t.matched, t.matchedTheirSeconds, t.matchedOurSeconds, t.matchedTheirAmount, t.matchedOurAmount,
                t.onlyTheirs, t.onlyTheirsSeconds, t.onlyTheirsAmount, t.onlyOurs, t.onlyOursSeconds, t.onlyOursAmount,
                t.durationDifferences, t.durationDifferenceSeconds, t.amountDifferences, t.amountDifference,
                t.theirTotal, t.ourTotal);
    }

    private void matched(CallLeg their, CallLeg our, Totals t, Consumer<Discrepancy> sink) {
        t.matched++;
        t.matchedTheirSeconds += their.seconds();
        t.matchedOurSeconds += our.seconds();
        t.matchedTheirAmount = t.matchedTheirAmount.add(amount(their));
        t.matchedOurAmount = t.matchedOurAmount.add(amount(our));
        t.theirTotal = t.theirTotal.add(amount(their));
        t.ourTotal = t.ourTotal.add(amount(our));
        long secondsApart = their.seconds() - our.seconds();
        if (Math.abs(secondsApart) > tolerance.durationSeconds()) {
            t.durationDifferences++;
            t.durationDifferenceSeconds += secondsApart;
            sink.accept(new Discrepancy(Discrepancy.Kind.DURATION, their, our));
        }
        if (their.amount() != null) {
            BigDecimal apart = their.amount().subtract(amount(our));
            if (apart.abs().compareTo(tolerance.amount()) > 0) {
                t.amountDifferences++;
                t.amountDifference = t.amountDifference.add(apart);
                sink.accept(new Discrepancy(Discrepancy.Kind.AMOUNT, their, our));
            }
        }
    }

    private static void onlyOurs(CallLeg our, Totals t, Consumer<Discrepancy> sink) {
        t.onlyOurs++;
        t.onlyOursSeconds += our.seconds();
        t.onlyOursAmount = t.onlyOursAmount.add(amount(our));
        t.ourTotal = t.ourTotal.add(amount(our));
        sink.accept(new Discrepancy(Discrepancy.Kind.ONLY_OURS, null, our));
    }

    private static BigDecimal amount(CallLeg leg) {
        return leg.amount() == null ? Money.ZERO : leg.amount();
    }

    private static final class Pending {
        final CallLeg leg;
        boolean matched;

        Pending(CallLeg leg) {
            this.leg = leg;
        }
    }

    private static final class Totals {
        long theirRows;
        long ourCalls;
        long outsidePeriod;
        long matched;
        long matchedTheirSeconds;
        long matchedOurSeconds;
        BigDecimal matchedTheirAmount = Money.ZERO;
        BigDecimal matchedOurAmount = Money.ZERO;
        long onlyTheirs;
        long onlyTheirsSeconds;
        BigDecimal onlyTheirsAmount = Money.ZERO;
        long onlyOurs;
        long onlyOursSeconds;
        BigDecimal onlyOursAmount = Money.ZERO;
        long durationDifferences;
        long durationDifferenceSeconds;
        long amountDifferences;
        BigDecimal amountDifference = Money.ZERO;
        BigDecimal theirTotal = Money.ZERO;
        BigDecimal ourTotal = Money.ZERO;
    }
}
