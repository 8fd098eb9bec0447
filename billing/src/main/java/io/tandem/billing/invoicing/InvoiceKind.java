package io.tandem.billing.invoicing;

import java.util.Locale;

public enum InvoiceKind {
    INVOICE,
    /** A correction of an issued invoice: issued invoices are never changed. */
    CREDIT_NOTE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InvoiceKind ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
