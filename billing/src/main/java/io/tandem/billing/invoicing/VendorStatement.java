package io.tandem.billing.invoicing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the carrier owes a vendor for a period, from the buy side of our CDRs: per buy prefix, answered calls,
 * billed seconds and buy cost ({@code total} is their sum). Computed on demand, never stored: it is what a
 * vendor's invoice is checked against.
 */
public record VendorStatement(long vendorAccountId, String vendorName, String currency, InvoicePeriod period,
                              List<InvoiceLine> lines, BigDecimal total, Instant producedAt) {

    public VendorStatement {
        lines = List.copyOf(lines);
    }
}
