package io.tandem.billing.reconciliation;

/**
 * A call the two sides do not agree on. {@code theirs} is null for {@link Kind#ONLY_OURS}, {@code ours} for
 * {@link Kind#ONLY_THEIRS}. A matched call whose duration and amount both differ is reported once per kind.
 */
public record Discrepancy(Kind kind, CallLeg theirs, CallLeg ours) {

    public enum Kind {
        /** They bill a call we have no record of: the first thing to dispute. */
        ONLY_THEIRS,
        /** We carried a call they do not bill. */
        ONLY_OURS,
        DURATION,
        AMOUNT
    }
}
