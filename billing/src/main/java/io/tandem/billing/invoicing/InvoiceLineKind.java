package io.tandem.billing.invoicing;

import java.util.Locale;

/** What a line of an invoice or credit note stands for. */
public enum InvoiceLineKind {
    /** Calls to one destination (sell prefix): ledger entries of kind {@code call}. */
    USAGE,
    /** Money paid in ({@code topup}). */
    TOPUP,
    /** Operator corrections ({@code adjustment}), credit notes included. */
    ADJUSTMENT,
    /** Differences from re-rating ({@code rerate}). */
    RERATE,
    /** The account's opening balance, when it was created in the period ({@code opening}). */
    OPENING,
    /** The single line of a credit note. */
    CREDIT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InvoiceLineKind ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
