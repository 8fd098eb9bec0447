package io.tandem.billing.invoicing;

import java.math.BigDecimal;

/**
 * One line: for usage, the calls to one destination (sell prefix), their billed seconds (rounded up to the
 * rate's increments, as charged) and their amount. Amounts carry the ledger's sign: charges are negative,
 * money paid in is positive.
 */
public record InvoiceLine(InvoiceLineKind kind, String prefix, String description, long calls, long billedSeconds,
                          BigDecimal amount) {

    /** Billed minutes with two decimals, e.g. {@code 12.50}. */
    public BigDecimal billedMinutes() {
        return BigDecimal.valueOf(billedSeconds).divide(BigDecimal.valueOf(60), 2, java.math.RoundingMode.HALF_UP);
    }
}
