package io.tandem.billing.invoicing;

import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrCsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * An invoice, credit note or vendor statement as CSV (RFC 4180, header row): one row per line, then the
 * totals as rows of kind {@code total}. Money is a plain decimal with 6 places, as on the API. Descriptions (which
 * carry operators' ledger references) are neutralised like the CDR export's cells, against spreadsheet formulas.
 */
public final class InvoiceCsvWriter {

    private static final String[] HEADER = {"document", "kind", "prefix", "description", "calls", "billed_seconds",
            "billed_minutes", "amount", "currency"};

    public void write(Invoice invoice, Writer out) {
        String doc = invoice.documentNumber();
        try {
            CSVPrinter csv = printer(out);
            for (InvoiceLine line : invoice.lines()) {
                line(csv, doc, line, invoice.currency());
            }
            total(csv, doc, "opening_balance", invoice.openingBalance(), invoice.currency());
            total(csv, doc, "usage", invoice.usage(), invoice.currency());
            total(csv, doc, "topups", invoice.topups(), invoice.currency());
            total(csv, doc, "adjustments", invoice.adjustments(), invoice.currency());
            total(csv, doc, "closing_balance", invoice.closingBalance(), invoice.currency());
            total(csv, doc, "tax " + invoice.taxLabel() + " " + invoice.taxRate().toPlainString(), invoice.tax(), invoice.currency());
            total(csv, doc, "total_due", invoice.totalDue(), invoice.currency());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(VendorStatement statement, Writer out) {
        String doc = "statement-" + statement.vendorAccountId() + "-" + statement.period().label();
        try {
            CSVPrinter csv = printer(out);
            for (InvoiceLine line : statement.lines()) {
                line(csv, doc, line, statement.currency());
            }
            total(csv, doc, "owed_to_vendor", statement.total(), statement.currency());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Not closed here: closing the printer would close the caller's writer (an HTTP response, for one). */
    private static CSVPrinter printer(Writer out) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader(HEADER).get().print(out);
    }

    private static void line(CSVPrinter csv, String doc, InvoiceLine line, String currency) throws IOException {
        csv.printRecord(doc, line.kind().code(), line.prefix(), CdrCsvWriter.neutralise(line.description()), line.calls(), line.billedSeconds(),
                line.billedMinutes().toPlainString(), Money.format(line.amount()), currency);
    }

    private static void total(CSVPrinter csv, String doc, String what, java.math.BigDecimal amount, String currency) throws IOException {
        csv.printRecord(doc, "total", "", what, "", "", "", Money.format(amount), currency);
    }
}
