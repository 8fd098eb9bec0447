package io.tandem.billing.invoicing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An issued invoice or credit note. Immutable once issued; its figures are the ledger's, to the micro-unit:
 * {@code opening + usage + topups + adjustments == closing}, where usage, top-ups and adjustments are the
 * sums of the account's ledger entries of the period by kind (re-rating and opening entries count as
 * adjustments). Charges are negative. {@code tax} is {@code round(-usage * taxRate)} (one half-up rounding,
 * on the period's total); {@code totalDue} is the charges plus tax, as a positive amount.
 */
public record Invoice(long id, String series, long number, InvoiceKind kind, long accountId, String accountName,
                      String currency, InvoicePeriod period, BigDecimal openingBalance, BigDecimal closingBalance,
                      BigDecimal usage, BigDecimal topups, BigDecimal adjustments, String taxLabel, BigDecimal taxRate,
                      BigDecimal tax, BigDecimal totalDue, Long correctsId, String reason, String issuedBy,
                      Instant issuedAt, List<InvoiceLine> lines) {

    public Invoice {
        lines = List.copyOf(lines);
    }

    /** The number printed on the document, e.g. {@code INV-000042}. */
    public String documentNumber() {
        return documentNumber(series, number);
    }

    public static String documentNumber(String series, long number) {
        return series + "-" + String.format("%06d", number);
    }
}
