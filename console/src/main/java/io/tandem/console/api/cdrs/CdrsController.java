package io.tandem.console.api.cdrs;

import io.tandem.billing.cdr.CdrExport;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.rerating.RerateReport;
import io.tandem.billing.rerating.RerateTotal;
import io.tandem.billing.rerating.Rerater;
import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.audit.persistence.AuditLogRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * CDRs: streaming CSV export for a period (millions of rows, never all in memory; cells that a
 * spreadsheet would run as a formula are neutralised), one call's attempts as JSON, and
 * re-rating (preview, then apply as ledger adjustments).
 */
@RestController
public class CdrsController {

    private final CdrStore cdrs;
    private final Rerater rerater;
    private final AuditLogRepository audit;
    private final ReratingPreviews previews = new ReratingPreviews();

    public CdrsController(CdrStore cdrs, Rerater rerater, AuditLogRepository audit) {
        this.cdrs = cdrs;
        this.rerater = rerater;
        this.audit = audit;
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
        Map<String, String> errors = new LinkedHashMap<>();
        CdrFilter filter = filter(from, until, customer, vendor, answered, errors);
        if (filter == null) {
            return ApiError.invalid(errors);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"cdrs-" + from.replace(':', '-') + ".csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        new CdrExport(cdrs).writeCsv(filter, writer);
        writer.flush();
        return null;
    }

    @GetMapping("/api/v1/cdrs/{callUuid}")
    public ResponseEntity<Object> call(@PathVariable UUID callUuid) {
        List<CdrRecord> attempts = cdrs.findByCall(callUuid);
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
    public ResponseEntity<Object> preview(@RequestBody RerateRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        CdrFilter filter = filter(request.from(), request.until(), request.customer(), request.vendor(), true, errors);
        if (filter == null) {
            return ApiError.invalid(errors);
        }
        RerateReport report = rerater.preview(filter);
        previews.keep(report);
        return ResponseEntity.status(HttpStatus.CREATED).body(RerateView.of(report));
    }

    /** Applies a preview as ledger adjustments; applying the same preview again changes nothing. */
    @PostMapping("/api/v1/reratings/{id}/apply")
    public ResponseEntity<Object> apply(@PathVariable UUID id, HttpServletRequest http) {
        RerateReport report = previews.find(id).orElse(null);
        if (report == null) {
            return ApiError.status(HttpStatus.NOT_FOUND, "no re-rating preview " + id + " on this node: previews live in memory"
                    + " for " + ReratingPreviews.TIME_TO_LIVE.toMinutes() + " minutes, at most " + ReratingPreviews.MAXIMUM_PREVIEWS
                    + " of them; preview the period again");
        }
        List<RerateTotal> applied = rerater.apply(report, ApiCaller.name());
        audit.record(ApiCaller.name(), "rerate", "cdr", id.toString(), applied.size() + " accounts", http.getRemoteAddr());
        return ResponseEntity.ok(applied);
    }

    private static CdrFilter filter(String from, String until, Long customer, Long vendor, boolean answered, Map<String, String> errors) {
        Instant start = instant("from", from, errors);
        Instant end = instant("until", until, errors);
        if (start != null && end != null && !end.isAfter(start)) {
            errors.put("until", "must be after from");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        CdrFilter filter = CdrFilter.period(start, end);
        if (customer != null) {
            filter = filter.customer(customer);
        }
        if (vendor != null) {
            filter = filter.vendor(vendor);
        }
        return answered ? filter.answered() : filter;
    }

    private static Instant instant(String field, String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            errors.put(field, "required, ISO-8601 UTC, e.g. 2026-11-01T00:00:00Z");
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.put(field, "not an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
            return null;
        }
    }
}
