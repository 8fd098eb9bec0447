package io.tandem.console.api.cdrs;

import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rerating.RerateReport;
import io.tandem.billing.rerating.RerateTotal;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.cdrs.CdrQuery;
import io.tandem.console.cdrs.CdrService;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * CDRs over HTTP, a thin adapter over {@link CdrService}: streaming CSV export for a period (millions of rows,
 * never all in memory; cells that a spreadsheet would run as a formula are neutralised), one call's attempts as
 * JSON, and re-rating (preview, then apply as ledger adjustments).
 */
@RestController
public class CdrsController {

    private final CdrService cdrs;

    public CdrsController(CdrService cdrs) {
        this.cdrs = cdrs;
    }

    /**
     * {@code GET /api/v1/cdrs.csv?from=2026-11-01T00:00:00Z&until=...&customer=&vendor=&answered=true}.
     * Rows are written to the response as the database cursor yields them.
     */
    @GetMapping("/api/v1/cdrs.csv")
    public ResponseEntity<Object> export(@RequestParam(required = false) String from, @RequestParam(required = false) String until,
                                         @RequestParam(required = false) Long customer, @RequestParam(required = false) Long vendor,
                                         @RequestParam(defaultValue = "false") boolean answered, HttpServletResponse response)
            throws IOException {
        Outcome<CdrFilter> filter = cdrs.filter(new CdrQuery(from, until, customer, vendor, null, answered ? "answered" : "any", null));
        if (!(filter instanceof Outcome.Done<CdrFilter> done)) {
            return ApiOutcomes.respond(filter, f -> null);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"cdrs-" + from.replace(':', '-') + ".csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        cdrs.writeCsv(done.value(), writer);
        writer.flush();
        return null;
    }

    @GetMapping("/api/v1/cdrs/{callUuid}")
    public ResponseEntity<Object> call(@PathVariable UUID callUuid) {
        List<CdrRecord> attempts = cdrs.call(callUuid);
        return attempts.isEmpty()
                ? ApiError.status(HttpStatus.NOT_FOUND, "no CDRs for call " + callUuid)
                : ResponseEntity.ok(attempts);
    }

    public record RerateRequest(String from, String until, Long customer, Long vendor) {
    }

    public record RerateView(UUID id, long examined, long unpriced, List<RerateTotal> totals, int changedAttempts) {
        static RerateView of(RerateReport report) {
            return new RerateView(report.id(), report.examined(), report.unpriced(), report.totals(), report.changes().size());
        }
    }

    /** Prices a period's answered CDRs again with the decks in force now; changes nothing yet. */
    @PostMapping("/api/v1/reratings")
    public ResponseEntity<Object> preview(@RequestBody RerateRequest request, HttpServletRequest http) {
        Outcome<CdrFilter> filter = cdrs.filter(new CdrQuery(request.from(), request.until(), request.customer(), request.vendor(), null,
                "answered", null));
        if (!(filter instanceof Outcome.Done<CdrFilter> done)) {
            return ApiOutcomes.respond(filter, f -> null);
        }
        return ApiOutcomes.respond(cdrs.previewRerating(Caller.current(http.getRemoteAddr()), done.value()),
                report -> ResponseEntity.status(HttpStatus.CREATED).body(RerateView.of(report)));
    }

    /** Applies a preview as ledger adjustments; applying the same preview again changes nothing. */
    @PostMapping("/api/v1/reratings/{id}/apply")
    public ResponseEntity<Object> apply(@PathVariable UUID id, HttpServletRequest http) {
        return ApiOutcomes.ok(cdrs.applyRerating(Caller.current(http.getRemoteAddr()), id), applied -> applied);
    }
}
