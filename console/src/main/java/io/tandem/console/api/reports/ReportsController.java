package io.tandem.console.api.reports;

import io.tandem.console.api.ApiError;
import io.tandem.console.reports.ReportKind;
import io.tandem.console.reports.ReportPeriod;
import io.tandem.console.reports.ReportRow;
import io.tandem.console.reports.TrafficReports;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Traffic reports: {@code GET /api/v1/reports/{customers|vendors|destinations}?from=&to=} as JSON
 * (biggest revenue first, {@code offset}/{@code limit} up to 10,000 lines), the same lines as a
 * streamed CSV at {@code .../{kind}.csv}. The console's reports view shows the same rows.
 */
@RestController
public class ReportsController {

    private final TrafficReports reports;

    public ReportsController(TrafficReports reports) {
        this.reports = reports;
    }

    /** A report line on the wire: money and ratios as decimal strings. */
    public record ReportLine(String key, String name, String currency, long attempts, long answered, String asrPercent,
                             String acdSeconds, String minutes, String revenue, String cost, String margin) {
        static ReportLine of(ReportRow r) {
            return new ReportLine(r.key(), r.name(), r.currency(), r.attempts(), r.answered(), r.asrPercent().toPlainString(),
                    r.acdSeconds().toPlainString(), r.minutes().toPlainString(), r.revenue().toPlainString(), r.cost().toPlainString(),
                    r.margin().toPlainString());
        }
    }

    @GetMapping("/api/v1/reports/{kind}")
    public ResponseEntity<Object> report(@PathVariable String kind, @RequestParam(required = false) String from,
                                         @RequestParam(required = false) String to, @RequestParam(defaultValue = "0") int offset,
                                         @RequestParam(defaultValue = "1000") int limit) {
        Optional<ReportKind> reportKind = ReportKind.ofCode(kind);
        Map<String, String> errors = new LinkedHashMap<>();
        if (reportKind.isEmpty()) {
            return ApiError.status(org.springframework.http.HttpStatus.NOT_FOUND, "no report " + kind + ": customers, vendors or destinations");
        }
        ReportPeriod period = ReportPeriod.parse(from, to, errors);
        if (offset < 0) {
            errors.put("offset", "0 or more");
        }
        if (limit < 1 || limit > TrafficReports.MAX_PAGE) {
            errors.put("limit", "1-" + TrafficReports.MAX_PAGE);
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        return ResponseEntity.ok(reports.page(reportKind.get(), period, offset, limit).stream().map(ReportLine::of).toList());
    }

    @GetMapping("/api/v1/reports/{kind}.csv")
    public ResponseEntity<Object> csv(@PathVariable String kind, @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to, HttpServletResponse response) throws IOException {
        Optional<ReportKind> reportKind = ReportKind.ofCode(kind);
        if (reportKind.isEmpty()) {
            return ApiError.status(org.springframework.http.HttpStatus.NOT_FOUND, "no report " + kind + ": customers, vendors or destinations");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        ReportPeriod period = ReportPeriod.parse(from, to, errors);
        if (period == null) {
            return ApiError.invalid(errors);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + TrafficReports.fileName(reportKind.get(), period) + "\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        reports.writeCsv(reportKind.get(), period, writer);
        writer.flush();
        return null;
    }
}
