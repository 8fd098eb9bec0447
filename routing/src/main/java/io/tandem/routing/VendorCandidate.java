package io.tandem.routing;

import java.math.BigDecimal;

/**
 * A vendor gateway to try, in order: its buy rate, and the margin per minute against the sell rate
 * (negative only when the profile allows a loss).
 */
public record VendorCandidate(
        long vendorAccountId,
        String vendorName,
        Gateway gateway,
        Rate buyRate,
        long marginMicros,
        long ruleId,
        int priority,
        int weight) {

    public BigDecimal margin() {
        return Micros.toDecimal(marginMicros);
    }
}
