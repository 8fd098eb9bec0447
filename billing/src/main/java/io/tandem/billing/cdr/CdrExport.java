package io.tandem.billing.cdr;

import java.io.Writer;

/**
 * The CDR export behind {@code GET /api/v1/cdrs/export}: streams the CDRs matching a filter as
 * CSV straight from a database cursor to the writer, so memory use does not grow with the
 * period. Blocking; run it on a worker thread and hand it the response's writer.
 */
public final class CdrExport {

    private final CdrSource store;

    public CdrExport(CdrSource store) {
        this.store = store;
    }

    /** Writes the header and every matching CDR; returns the number of data rows. */
    public long writeCsv(CdrFilter filter, Writer out) {
        CdrCsvWriter csv = new CdrCsvWriter(out);
        long rows = store.stream(filter, csv);
        csv.flush();
        return rows;
    }
}
