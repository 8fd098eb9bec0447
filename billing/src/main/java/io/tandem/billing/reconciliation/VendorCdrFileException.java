package io.tandem.billing.reconciliation;

/** A vendor CDR file that cannot be read; the message names the row (1 = header) and column. */
public final class VendorCdrFileException extends RuntimeException {

    private final long row;

    public VendorCdrFileException(long row, String message) {
        super(row > 0 ? "row " + row + ": " + message : message);
        this.row = row;
    }

    public long row() {
        return row;
    }
}
