package io.tandem.console.reports;

import io.tandem.console.change.CurrentActor;
import io.tandem.console.change.Permission;
import io.tandem.console.reports.persistence.TrafficReportQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Traffic and money per customer, vendor or destination for a period, for the REST API, the
 * console's reports view and their CSV downloads. The sums are the database's (see
 * {@link TrafficReportQueries}); this service checks the role and writes the CSV.
 */
@Service
public class TrafficReports {

    /** Most lines one page (or one API answer) holds. */
    public static final int MAX_PAGE = 10_000;

    static final String CSV_HEADER = "key,name,currency,attempts,answered,asr_percent,acd_seconds,minutes,revenue,cost,margin\n";

    private final TrafficReportQueries queries;
    private final CurrentActor actor;

    public TrafficReports(TrafficReportQueries queries, CurrentActor actor) {
        this.queries = queries;
        this.actor = actor;
    }

    public List<ReportRow> page(ReportKind kind, ReportPeriod period, int offset, int limit) {
        actor.require(Permission.READ_REPORTS);
        return queries.page(kind, period, Math.max(0, offset), Math.clamp(limit, 1, MAX_PAGE));
    }

    /** Writes every line as CSV while the database cursor yields them; the caller flushes and closes. */
    public void writeCsv(ReportKind kind, ReportPeriod period, Writer out) throws IOException {
        actor.require(Permission.READ_REPORTS);
        out.write(CSV_HEADER);
        try {
            queries.forEach(kind, period, row -> {
                try {
                    out.write(csvLine(row));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** e.g. {@code report-customers-2026-12-01-2026-12-02.csv}. */
    public static String fileName(ReportKind kind, ReportPeriod period) {
        return "report-" + kind.code() + "-" + period.from().toString().substring(0, 10) + "-" + period.to().toString().substring(0, 10)
                + ".csv";
    }

    static String csvLine(ReportRow row) {
        return String.join(",", cell(row.key()), cell(row.name()), cell(row.currency()), Long.toString(row.attempts()),
                Long.toString(row.answered()), row.asrPercent().toPlainString(), row.acdSeconds().toPlainString(),
                row.minutes().toPlainString(), row.revenue().toPlainString(), row.cost().toPlainString(), row.margin().toPlainString()) + "\n";
    }

    /**
     * Quotes a text cell; a leading {@code = + - @} gets a {@code '} so that a spreadsheet shows an
     * account name instead of running it as a formula.
     */
    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
