package io.tandem.billing.reconciliation;

import java.math.BigDecimal;

/**
 * The totals of a reconciliation. Differences are theirs minus ours: a positive amount difference is money
 * the vendor bills beyond what our CDRs say we owe.
 */
public record ReconciliationReport(
        long theirRows, long ourCalls, long outsidePeriod,
        long matched, long matchedTheirSeconds, long matchedOurSeconds, BigDecimal matchedTheirAmount, BigDecimal matchedOurAmount,
        long onlyTheirs, long onlyTheirsSeconds, BigDecimal onlyTheirsAmount,
        long onlyOurs, long onlyOursSeconds, BigDecimal onlyOursAmount,
        long durationDifferences, long durationDifferenceSeconds,
        long amountDifferences, BigDecimal amountDifference,
        BigDecimal theirTotal, BigDecimal ourTotal) {

    /** What the vendor bills beyond our own figures, over the whole file. */
    public BigDecimal disputedAmount() {
        return theirTotal.subtract(ourTotal);
    }
}
