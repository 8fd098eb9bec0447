package io.tandem.console.api.invoices;

import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoiceLine;
import io.tandem.billing.invoicing.InvoiceProfile;
import io.tandem.billing.invoicing.VendorStatement;
import io.tandem.billing.reconciliation.MatchTolerance;
import io.tandem.billing.reconciliation.ReconciliationReport;
import io.tandem.billing.reconciliation.VendorCdrMapping;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.invoices.InvoiceService;
import io.tandem.console.invoices.ReconciliationService;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.YearMonth;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Invoices, credit notes, invoicing profiles, vendor statements and vendor reconciliations over HTTP: a thin
 * adapter over {@link InvoiceService} and {@link ReconciliationService}. Money is a decimal string.
 */
@RestController
public class InvoicesController {

    private final InvoiceService invoices;
    private final ReconciliationService reconciliations;

    public InvoicesController(InvoiceService invoices, ReconciliationService reconciliations) {
        this.invoices = invoices;
        this.reconciliations = reconciliations;
    }

    public record LineView(String kind, String prefix, String description, long calls, long billedSeconds, String billedMinutes,
                           String amount) {
        static LineView of(InvoiceLine l) {
            return new LineView(l.kind().code(), l.prefix(), l.description(), l.calls(), l.billedSeconds(),
                    l.billedMinutes().toPlainString(), Money.format(l.amount()));
        }
    }

    public record InvoiceView(long id, String number, String kind, long accountId, String accountName, String currency,
                              Instant periodStart, Instant periodEnd, String openingBalance, String closingBalance, String usage,
                              String topups, String adjustments, String taxLabel, String taxRate, String tax, String totalDue,
                              Long correctsId, String reason, String issuedBy, Instant issuedAt, List<LineView> lines) {
        public static InvoiceView of(Invoice i) {
            return new InvoiceView(i.id(), i.documentNumber(), i.kind().code(), i.accountId(), i.accountName(), i.currency(),
                    i.period().start(), i.period().end(), Money.format(i.openingBalance()), Money.format(i.closingBalance()),
                    Money.format(i.usage()), Money.format(i.topups()), Money.format(i.adjustments()), i.taxLabel(),
                    i.taxRate().toPlainString(), Money.format(i.tax()), Money.format(i.totalDue()), i.correctsId(), i.reason(),
                    i.issuedBy(), i.issuedAt(), i.lines().stream().map(LineView::of).toList());
        }
    }

    public record IssueRequest(Long account, String month) {
    }

    public record CreditRequest(String amount, String reason) {
    }

    public record ProfileRequest(String series, Integer cycleMonths, String taxLabel, String taxRate) {
    }

    @GetMapping("/api/v1/invoices")
    public List<InvoiceView> list(@RequestParam(required = false) Long account, @RequestParam(defaultValue = "0") int offset,
                                  @RequestParam(defaultValue = "100") int limit, HttpServletRequest http) {
        return invoices.list(caller(http), account, offset, limit).stream().map(InvoiceView::of).toList();
    }

    @GetMapping("/api/v1/invoices/{id}")
    public ResponseEntity<Object> get(@PathVariable long id, HttpServletRequest http) {
        return invoices.find(caller(http), id).<ResponseEntity<Object>>map(i -> ResponseEntity.ok(InvoiceView.of(i)))
                .orElseGet(() -> ApiError.status(HttpStatus.NOT_FOUND, "invoice " + id + " does not exist"));
    }

    @GetMapping("/api/v1/invoices/{id}.pdf")
    public ResponseEntity<Object> pdf(@PathVariable long id, HttpServletRequest http, HttpServletResponse response) throws IOException {
        Invoice invoice = invoices.find(caller(http), id).orElse(null);
        if (invoice == null) {
            return ApiError.status(HttpStatus.NOT_FOUND, "invoice " + id + " does not exist");
        }
        response.setContentType("application/pdf");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + invoice.documentNumber() + ".pdf\"");
        invoices.writePdf(invoice, response.getOutputStream());
        return null;
    }

    @GetMapping("/api/v1/invoices/{id}.csv")
    public ResponseEntity<Object> csv(@PathVariable long id, HttpServletRequest http, HttpServletResponse response) throws IOException {
        Invoice invoice = invoices.find(caller(http), id).orElse(null);
        if (invoice == null) {
            return ApiError.status(HttpStatus.NOT_FOUND, "invoice " + id + " does not exist");
        }
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + invoice.documentNumber() + ".csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        invoices.writeCsv(invoice, writer);
        writer.flush();
        return null;
    }

    /** {@code {"account": 12, "month": "2026-11"}} issues one invoice; without {@code account}, the month's run. */
    @PostMapping("/api/v1/invoices")
    public ResponseEntity<Object> issue(@RequestBody IssueRequest request, HttpServletRequest http) {
        Outcome<YearMonth> month = InvoiceService.month(request.month());
        if (!(month instanceof Outcome.Done<YearMonth> m)) {
            return ApiOutcomes.respond(month, x -> null);
        }
        if (request.account() == null) {
            return ApiOutcomes.ok(invoices.issueAll(caller(http), m.value()), summary -> summary);
        }
        Outcome<Invoice> outcome = invoices.issue(caller(http), request.account(), m.value());
        if (outcome instanceof Outcome.Done<Invoice> done && done.replayed()) {
            return ResponseEntity.ok(InvoiceView.of(done.value()));
        }
        return ApiOutcomes.createdAt(outcome, i -> "/api/v1/invoices/" + i.id(), InvoiceView::of);
    }

    @PostMapping("/api/v1/invoices/{id}/credit-notes")
    public ResponseEntity<Object> credit(@PathVariable long id, @RequestBody CreditRequest request, HttpServletRequest http) {
        return ApiOutcomes.createdAt(invoices.creditNote(caller(http), id, request.amount(), request.reason()),
                i -> "/api/v1/invoices/" + i.id(), InvoiceView::of);
    }

    @GetMapping("/api/v1/accounts/{id}/invoice-profile")
    public InvoiceProfile profile(@PathVariable long id, HttpServletRequest http) {
        return invoices.profile(caller(http), id);
    }

    @PutMapping("/api/v1/accounts/{id}/invoice-profile")
    public ResponseEntity<Object> saveProfile(@PathVariable long id, @RequestBody ProfileRequest request, HttpServletRequest http) {
        BigDecimal rate;
        try {
            rate = request.taxRate() == null ? BigDecimal.ZERO : new BigDecimal(request.taxRate().trim());
        } catch (NumberFormatException e) {
            return ApiError.invalid(Map.of("taxRate", "a decimal fraction, e.g. \"0.2\" for 20 %"));
        }
        InvoiceProfile profile = new InvoiceProfile(id, request.series() == null ? InvoiceProfile.DEFAULT_SERIES : request.series(),
                request.cycleMonths() == null ? 1 : request.cycleMonths(), request.taxLabel() == null ? "" : request.taxLabel(), rate);
        return ApiOutcomes.ok(invoices.saveProfile(caller(http), profile), p -> p);
    }

    /** {@code GET /api/v1/vendor-statements/7?month=2026-11&format=json|csv|pdf}. */
    @GetMapping("/api/v1/vendor-statements/{vendor}")
    public ResponseEntity<Object> statement(@PathVariable long vendor, @RequestParam(required = false) String month,
                                            @RequestParam(defaultValue = "json") String format, HttpServletRequest http,
                                            HttpServletResponse response) throws IOException {
        Outcome<YearMonth> m = InvoiceService.month(month);
        if (!(m instanceof Outcome.Done<YearMonth> done)) {
            return ApiOutcomes.respond(m, x -> null);
        }
        Outcome<VendorStatement> outcome = invoices.vendorStatement(caller(http), vendor, done.value());
        if (!(outcome instanceof Outcome.Done<VendorStatement> statement)) {
            return ApiOutcomes.respond(outcome, x -> null);
        }
        String name = "statement-" + vendor + "-" + done.value();
        switch (format) {
            case "pdf" -> {
                response.setContentType("application/pdf");
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".pdf\"");
                invoices.writePdf(statement.value(), response.getOutputStream());
                return null;
            }
            case "csv" -> {
                response.setContentType("text/csv; charset=UTF-8");
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"");
                Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
                invoices.writeCsv(statement.value(), writer);
                writer.flush();
                return null;
            }
            case "json" -> {
                VendorStatement s = statement.value();
                return ResponseEntity.ok(Map.of("vendorAccountId", s.vendorAccountId(), "vendorName", s.vendorName(),
                        "currency", s.currency(), "periodStart", s.period().start(), "periodEnd", s.period().end(),
                        "total", Money.format(s.total()), "lines", s.lines().stream().map(LineView::of).toList()));
            }
            default -> {
                return ApiError.invalid(Map.of("format", "json, csv or pdf"));
            }
        }
    }

    public record ReportView(UUID id, long vendorAccountId, String month, long theirRows, long ourCalls, long outsidePeriod,
                             long matched, long onlyTheirs, String onlyTheirsAmount, long onlyOurs, String onlyOursAmount,
                             long durationDifferences, long durationDifferenceSeconds, long amountDifferences,
                             String amountDifference, String theirTotal, String ourTotal, String disputedAmount,
                             String discrepancies) {
        static ReportView of(ReconciliationService.Reconciliation r) {
            ReconciliationReport t = r.report();
            return new ReportView(r.id(), r.vendorAccountId(), r.month(), t.theirRows(), t.ourCalls(), t.outsidePeriod(), t.matched(),
                    t.onlyTheirs(), Money.format(t.onlyTheirsAmount()), t.onlyOurs(), Money.format(t.onlyOursAmount()),
                    t.durationDifferences(), t.durationDifferenceSeconds(), t.amountDifferences(), Money.format(t.amountDifference()),
                    Money.format(t.theirTotal()), Money.format(t.ourTotal()), Money.format(t.disputedAmount()),
                    "/api/v1/vendor-reconciliations/" + r.id() + "/discrepancies.csv");
        }
    }

    /**
     * Multipart upload: {@code file} (CSV or .csv.gz), {@code vendor}, {@code month}, the column headers
     * {@code connectTime}, {@code called}, {@code duration}, optional {@code caller}, {@code amount}, and
     * {@code timeFormat} (default {@code iso}), {@code zone} (UTC), {@code delimiter} (,), {@code windowSeconds} (5),
     * {@code durationToleranceSeconds} (1), {@code amountTolerance} (0.0001).
     */
    @PostMapping("/api/v1/vendor-reconciliations")
    public ResponseEntity<Object> reconcile(@RequestParam("file") MultipartFile file, @RequestParam long vendor,
                                            @RequestParam String month, @RequestParam String connectTime,
                                            @RequestParam String called, @RequestParam String duration,
                                            @RequestParam(required = false) String caller, @RequestParam(required = false) String amount,
                                            @RequestParam(defaultValue = "iso") String timeFormat, @RequestParam(defaultValue = "UTC") String zone,
                                            @RequestParam(defaultValue = ",") String delimiter,
                                            @RequestParam(defaultValue = "5") long windowSeconds,
                                            @RequestParam(defaultValue = "1") long durationToleranceSeconds,
                                            @RequestParam(defaultValue = "0.0001") String amountTolerance,
                                            HttpServletRequest http) throws IOException {
        Map<String, String> errors = new LinkedHashMap<>();
        Outcome<YearMonth> m = InvoiceService.month(month);
        if (!(m instanceof Outcome.Done<YearMonth>)) {
            errors.put("month", "a month as YYYY-MM, e.g. 2026-11");
        }
        char separator = ReconciliationService.delimiter(delimiter);
        MatchTolerance tolerance = null;
        switch (ReconciliationService.tolerance(windowSeconds, durationToleranceSeconds, amountTolerance)) {
            case Outcome.Done<MatchTolerance> done -> tolerance = done.value();
            case Outcome.Invalid<MatchTolerance> invalid -> errors.putAll(invalid.fields());
            case Outcome<MatchTolerance> other -> errors.put("windowSeconds", other.message());
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        VendorCdrMapping mapping = new VendorCdrMapping(connectTime, caller, called, duration, amount, timeFormat, zone, separator);
        var outcome = reconciliations.reconcile(caller(http), vendor, ((Outcome.Done<YearMonth>) m).value(), mapping, tolerance,
                file.getOriginalFilename(), file.getInputStream());
        return ApiOutcomes.createdAt(outcome, r -> "/api/v1/vendor-reconciliations/" + r.id() + "/discrepancies.csv", ReportView::of);
    }

    @GetMapping("/api/v1/vendor-reconciliations/{id}/discrepancies.csv")
    public ResponseEntity<Object> discrepancies(@PathVariable UUID id, HttpServletRequest http, HttpServletResponse response)
            throws IOException {
        var file = reconciliations.discrepancies(caller(http), id).orElse(null);
        if (file == null) {
            return ApiError.status(HttpStatus.NOT_FOUND, "no reconciliation " + id + " on this node (the newest "
                    + ReconciliationService.KEPT_REPORTS + " are kept)");
        }
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"discrepancies-" + id + ".csv\"");
        Files.copy(file, response.getOutputStream());
        return null;
    }

    private static Caller caller(HttpServletRequest http) {
        return Caller.current(http.getRemoteAddr());
    }
}
