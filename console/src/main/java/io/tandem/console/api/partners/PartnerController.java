package io.tandem.console.api.partners;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.api.invoices.InvoicesController.InvoiceView;
import io.tandem.console.api.partners.PartnerViews.AccountView;
import io.tandem.console.api.partners.PartnerViews.DeckView;
import io.tandem.console.api.partners.PartnerViews.LedgerView;
import io.tandem.console.api.partners.PartnerViews.NoticeView;
import io.tandem.console.api.partners.PartnerViews.SubmissionView;
import io.tandem.console.api.routing.DeckImportsController;
import io.tandem.console.notices.RateNotices;
import io.tandem.console.partners.DeckSubmissions;
import io.tandem.console.partners.PartnerCaller;
import io.tandem.console.partners.PartnerPortal;
import io.tandem.console.partners.PartnerScope;
import io.tandem.console.service.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The partner API: what a customer's or vendor's own key ({@code partner} role, bound to one account) reads and
 * submits. Every path here is scoped to the key's account; another account's deck, submission or notice is a
 * {@code 404} exactly like an id that does not exist, so ids cannot be enumerated. The security chain lets a
 * partner key in here and nowhere else.
 */
@RestController
@RequestMapping("/api/v1/partner")
public class PartnerController {

    private final PartnerScope scope;
    private final PartnerPortal portal;
    private final DeckSubmissions submissions;
    private final RateNotices notices;

    public PartnerController(PartnerScope scope, PartnerPortal portal, DeckSubmissions submissions, RateNotices notices) {
        this.scope = scope;
        this.portal = portal;
        this.submissions = submissions;
        this.notices = notices;
    }

    @GetMapping("/account")
    public ResponseEntity<Object> account(HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.ok(portal.account(partner), AccountView::of));
    }

    @GetMapping("/ledger")
    public ResponseEntity<Object> ledger(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                                         HttpServletRequest http) {
        return as(http, partner -> ResponseEntity.ok(portal.ledger(partner, Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream()
                .map(LedgerView::of).toList()));
    }

    /**
     * The account's side of its call attempts in {@code [from, until)} (ISO-8601 UTC, at most 366 days), newest
     * first, {@code limit} rows at most (1000).
     */
    @GetMapping("/cdrs")
    public ResponseEntity<Object> cdrs(@RequestParam(required = false) String from, @RequestParam(required = false) String until,
                                       @RequestParam(defaultValue = "100") int limit, HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.ok(portal.cdrs(partner, from, until, null, limit)));
    }

    @GetMapping("/rate-decks")
    public ResponseEntity<Object> decks(HttpServletRequest http) {
        return as(http, partner -> ResponseEntity.ok(portal.decks(partner).stream().map(DeckView::of).toList()));
    }

    /** The deck's rates in force now, A–Z by code, with their dates. */
    @GetMapping("/rate-decks/{deckId}/rates.csv")
    public ResponseEntity<Object> rates(@PathVariable long deckId, HttpServletRequest http, HttpServletResponse response) throws IOException {
        return deckCsv(deckId, PartnerPortal.DeckView.CURRENT, http, response);
    }

    /** What is scheduled: rates that start later and codes that close later. */
    @GetMapping("/rate-decks/{deckId}/pending.csv")
    public ResponseEntity<Object> pending(@PathVariable long deckId, HttpServletRequest http, HttpServletResponse response) throws IOException {
        return deckCsv(deckId, PartnerPortal.DeckView.PENDING, http, response);
    }

    private ResponseEntity<Object> deckCsv(long deckId, PartnerPortal.DeckView view, HttpServletRequest http, HttpServletResponse response)
            throws IOException {
        Optional<PartnerCaller> partner = scope.current(http.getRemoteAddr());
        if (partner.isEmpty()) {
            return notPartner();
        }
        if (!(portal.deck(partner.get(), deckId) instanceof Outcome.Done<?>)) {
            return ApiError.notFound("rate deck", deckId);
        }
        csvHeaders(response, "deck-" + deckId + "-" + view.name().toLowerCase(java.util.Locale.ROOT) + ".csv");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        portal.writeDeckCsv(partner.get(), deckId, view, writer);
        writer.flush();
        return null;
    }

    /**
     * A vendor uploads its own buy deck: the file as the raw body ({@code text/csv}, gzip, zip; name it with
     * {@code fileName}) or as multipart part {@code file}, with the same options as an operator's upload. 201 with the
     * submission and the diff preview; 400 with row-numbered errors when rows are bad; nothing applies until
     * {@code POST /api/v1/partner/submissions/{id}/submit}.
     */
    @PostMapping(path = "/rate-decks/{deckId}/submissions", consumes = {"text/csv", "text/plain", "application/gzip", "application/x-gzip",
            "application/zip", "application/octet-stream"})
    public ResponseEntity<Object> upload(@PathVariable long deckId, @RequestParam Map<String, String> options,
            @RequestParam(name = "datePattern", required = false) List<String> datePatterns, HttpServletRequest http) throws IOException {
        try (InputStream in = http.getInputStream()) {
            return upload(deckId, options.getOrDefault("fileName", "upload.csv"), in, options, datePatterns, http);
        }
    }

    @PostMapping(path = "/rate-decks/{deckId}/submissions", consumes = "multipart/form-data")
    public ResponseEntity<Object> uploadMultipart(@PathVariable long deckId, @RequestPart("file") MultipartFile file,
            @RequestParam Map<String, String> options, @RequestParam(name = "datePattern", required = false) List<String> datePatterns,
            HttpServletRequest http) throws IOException {
        try (InputStream in = file.getInputStream()) {
            return upload(deckId, file.getOriginalFilename(), in, options, datePatterns, http);
        }
    }

    private ResponseEntity<Object> upload(long deckId, String fileName, InputStream in, Map<String, String> options, List<String> datePatterns,
                                          HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.createdAt(
                submissions.upload(partner, deckId, fileName, in, DeckImportsController.uploadOptions(options, datePatterns)),
                uploaded -> "/api/v1/partner/submissions/" + uploaded.submission().id(), SubmissionView::of));
    }

    @GetMapping("/submissions")
    public ResponseEntity<Object> submissions(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                                              HttpServletRequest http) {
        return as(http, partner -> ResponseEntity.ok(submissions.mine(partner, offset, limit).stream().map(SubmissionView::of).toList()));
    }

    @GetMapping("/submissions/{id}")
    public ResponseEntity<Object> submission(@PathVariable long id, HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.ok(submissions.mine(partner, id), SubmissionView::of));
    }

    /** Applied at once under the account's {@code auto} policy when the notice rules hold; else waits for review. */
    @PostMapping("/submissions/{id}/submit")
    public ResponseEntity<Object> submit(@PathVariable long id, HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.ok(submissions.submit(partner, id), SubmissionView::of));
    }

    @GetMapping("/notices")
    public ResponseEntity<Object> notices(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                                          HttpServletRequest http) {
        return as(http, partner -> ResponseEntity.ok(portal.notices(partner, Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream()
                .map(n -> NoticeView.of(n, null)).toList()));
    }

    /** One notice with its first {@value #NOTICE_LINES} lines; the CSV has them all. */
    @GetMapping("/notices/{id}")
    public ResponseEntity<Object> notice(@PathVariable long id, HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.ok(portal.notice(partner, id), n -> {
            var lines = notices.lines(n.id());
            return NoticeView.of(n, lines.subList(0, Math.min(lines.size(), NOTICE_LINES)));
        }));
    }

    static final int NOTICE_LINES = 1000;

    @GetMapping("/notices/{id}/lines.csv")
    public ResponseEntity<Object> noticeCsv(@PathVariable long id, HttpServletRequest http, HttpServletResponse response) throws IOException {
        Optional<PartnerCaller> partner = scope.current(http.getRemoteAddr());
        if (partner.isEmpty()) {
            return notPartner();
        }
        if (!(portal.notice(partner.get(), id) instanceof Outcome.Done<?>)) {
            return ApiError.notFound("rate notice", id);
        }
        csvHeaders(response, "rate-notice-" + id + ".csv");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        portal.writeNoticeCsv(partner.get(), id, writer);
        writer.flush();
        return null;
    }

    /** The account's invoices and credit notes, newest first. */
    @GetMapping("/invoices")
    public ResponseEntity<Object> invoices(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                                           HttpServletRequest http) {
        return as(http, partner -> ResponseEntity.ok(portal.invoices(partner, Math.max(0, offset), Math.clamp(limit, 1, 500)).stream()
                .map(InvoiceView::of).toList()));
    }

    @GetMapping("/invoices/{id}")
    public ResponseEntity<Object> invoice(@PathVariable long id, HttpServletRequest http) {
        return as(http, partner -> ApiOutcomes.ok(portal.invoice(partner, id), InvoiceView::of));
    }

    @GetMapping("/invoices/{id}.pdf")
    public ResponseEntity<Object> invoicePdf(@PathVariable long id, HttpServletRequest http, HttpServletResponse response) throws IOException {
        Optional<PartnerCaller> partner = scope.current(http.getRemoteAddr());
        if (partner.isEmpty()) {
            return notPartner();
        }
        if (!(portal.invoice(partner.get(), id) instanceof Outcome.Done<io.tandem.billing.invoicing.Invoice> done)) {
            return ApiError.notFound("invoice", id);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/pdf");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + done.value().documentNumber() + ".pdf\"");
        portal.writeInvoicePdf(done.value(), response.getOutputStream());
        return null;
    }

    @GetMapping("/invoices/{id}.csv")
    public ResponseEntity<Object> invoiceCsv(@PathVariable long id, HttpServletRequest http, HttpServletResponse response) throws IOException {
        Optional<PartnerCaller> partner = scope.current(http.getRemoteAddr());
        if (partner.isEmpty()) {
            return notPartner();
        }
        if (!(portal.invoice(partner.get(), id) instanceof Outcome.Done<io.tandem.billing.invoicing.Invoice> done)) {
            return ApiError.notFound("invoice", id);
        }
        csvHeaders(response, done.value().documentNumber() + ".csv");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        portal.writeInvoiceCsv(done.value(), writer);
        writer.flush();
        return null;
    }

    private ResponseEntity<Object> as(HttpServletRequest http, Function<PartnerCaller, ResponseEntity<Object>> action) {
        return scope.current(http.getRemoteAddr()).map(action).orElseGet(PartnerController::notPartner);
    }

    private static ResponseEntity<Object> notPartner() {
        return ApiError.status(HttpStatus.FORBIDDEN, "this key is not bound to a partner account");
    }

    private static void csvHeaders(HttpServletResponse response, String fileName) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
    }
}
