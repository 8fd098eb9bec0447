package io.tandem.billing.reconciliation;

import io.tandem.billing.account.Money;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes discrepancies as CSV as the matcher finds them: the evidence a dispute is built on. */
public final class DiscrepancyCsvWriter implements Consumer<Discrepancy>, Closeable, Flushable {

    private final CSVPrinter csv;

    public DiscrepancyCsvWriter(Writer out) {
        try {
            csv = CSVFormat.RFC4180.builder().setHeader("kind", "their_row", "our_call", "connected_at", "called",
                    "their_seconds", "our_seconds", "their_amount", "our_amount").get().print(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(Discrepancy d) {
        CallLeg any = d.theirs() != null ? d.theirs() : d.ours();
        try {
            csv.printRecord(d.kind().name().toLowerCase(Locale.ROOT),
                    d.theirs() == null ? "" : d.theirs().reference(),
                    d.ours() == null ? "" : d.ours().reference(),
                    any.connectedAt(), any.called(),
                    d.theirs() == null ? "" : d.theirs().seconds(),
                    d.ours() == null ? "" : d.ours().seconds(),
                    d.theirs() == null || d.theirs().amount() == null ? "" : Money.format(d.theirs().amount()),
                    d.ours() == null || d.ours().amount() == null ? "" : Money.format(d.ours().amount()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() throws IOException {
        csv.flush();
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
