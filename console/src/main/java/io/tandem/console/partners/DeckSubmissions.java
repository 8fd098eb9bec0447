package io.tandem.console.partners;

import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.decks.DeckCommit;
import io.tandem.console.decks.EarlyIncreases;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.decks.UploadOptions;
import io.tandem.console.partners.DeckSubmission.Status;
import io.tandem.console.partners.persistence.PartnerRepository;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.ImportStatus;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.deck.RowError;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vendor submits its own buy deck: it uploads a file (same presets, mapping, gz/zip and row-numbered errors as an
 * operator's upload) and sees the diff preview; then it submits. Under the account's {@code auto} policy the deck
 * is committed at once when no increase comes sooner than the deck's notice period; otherwise (policy
 * {@code review}, or early increases) it waits for an operator, who approves or rejects it with a reason the
 * vendor sees. Early increases cannot be approved without an override, which is recorded and audited.
 *
 * <p>States: uploaded → (submit) pending | applied; pending → (approve) applied | (reject) rejected; uploaded →
 * (reject) rejected; a submission whose upload a newer commit superseded is withdrawn.
 */
public class DeckSubmissions {

    public static final int MAX_REASON = 500;
    /** Row errors named in a refused upload's answer; the import keeps the first {@code DeckParser.MAX_REPORTED_ERRORS}. */
    static final int REPORTED_ROW_ERRORS = 20;

    private final RateDeckService deckService;
    private final PartnerRepository partners;
    private final AuditLogRepository audit;
    private final Clock clock;

    public DeckSubmissions(RateDeckService deckService, PartnerRepository partners, AuditLogRepository audit, Clock clock) {
        this.deckService = deckService;
        this.partners = partners;
        this.audit = audit;
        this.clock = clock;
    }

    /** An upload and its preview (the diff, the early increases). */
    public record Uploaded(DeckSubmission submission, ImportPreview preview) {
    }

    /** Reads the vendor's file into a preview of its own buy deck; a file with bad rows is refused with their row numbers. */
    public Outcome<Uploaded> upload(PartnerCaller partner, long deckId, String fileName, InputStream content, UploadOptions options) {
        Optional<RateDeck> deck = deckService.find(deckId).filter(d -> d.accountId() == partner.accountId());
        if (deck.isEmpty()) {
            return Outcome.notFound("rate deck", deckId);
        }
        if (deck.get().direction() != DeckDirection.BUY) {
            return new Outcome.Conflict<>("deck " + deckId + " is a sell deck: only a vendor's buy decks take submissions");
        }
        Outcome<ImportPreview> previewed = deckService.preview(delegated(partner), deckId, fileName, content, options);
        if (!(previewed instanceof Outcome.Done<ImportPreview> done)) {
            return switch (previewed) {
                case Outcome.Invalid<ImportPreview> invalid -> Outcome.invalid(invalid.fields());
                case Outcome.TooLarge<ImportPreview> tooLarge -> new Outcome.TooLarge<>(tooLarge.message(), tooLarge.fields());
                case Outcome.Conflict<ImportPreview> conflict -> new Outcome.Conflict<>(conflict.message(), conflict.fields());
                default -> Outcome.notFound("rate deck", deckId);
            };
        }
        ImportPreview preview = done.value();
        if (preview.deckImport().status() == ImportStatus.REJECTED) {
            Map<String, String> fields = new LinkedHashMap<>();
            List<RowError> errors = preview.deckImport().errors();
            for (RowError error : errors.subList(0, Math.min(errors.size(), REPORTED_ROW_ERRORS))) {
                fields.merge("row " + error.row(), (error.column() == null || error.column().isEmpty() ? "" : error.column() + ": ")
                        + error.message(), (a, b) -> a + "; " + b);
            }
            if (fields.isEmpty()) {
                fields.put("file", "no rate rows could be read");
            }
            audit.record(partner.name(), "partner upload refused", "rate_deck", String.valueOf(deckId), "account " + partner.accountId()
                    + "; " + preview.deckImport().errorCount() + " row error(s)", partner.caller().sourceIp());
            return Outcome.invalid(fields);
        }
        int early = preview.diff() == null ? 0 : preview.diff().noticeViolationCount();
        DeckSubmission submission = partners.insertSubmission(partner.accountId(), deckId, preview.deckImport().id(), early, partner.name(),
                clock.instant());
        audit.record(partner.name(), "partner upload", "deck_submission", String.valueOf(submission.id()), "account " + partner.accountId()
                + "; deck " + deckId + "; import " + preview.deckImport().id() + "; " + early + " early increase(s)", partner.caller().sourceIp());
        return Outcome.done(new Uploaded(submission, preview));
    }

    /** Submits an upload: applied at once under {@code auto} when the notice rules hold, else waiting for review. */
    public Outcome<DeckSubmission> submit(PartnerCaller partner, long submissionId) {
        Optional<DeckSubmission> found = own(partner, submissionId);
        if (found.isEmpty()) {
            return Outcome.notFound("deck submission", submissionId);
        }
        DeckSubmission submission = found.get();
        if (submission.status() != Status.UPLOADED) {
            return new Outcome.Conflict<>("submission " + submissionId + " is " + submission.status().code() + "; only an upload can be submitted");
        }
        PartnerTerms terms = partners.terms(partner.accountId());
        if (terms.submissionPolicy() == PartnerTerms.SubmissionPolicy.AUTO && submission.earlyIncreases() == 0) {
            Outcome<DeckCommit> committed = deckService.commit(delegated(partner), submission.deckId(), submission.importId(),
                    EarlyIncreases.REFUSE);
            if (committed instanceof Outcome.Done<DeckCommit>) {
                partners.move(submissionId, Status.UPLOADED, Status.APPLIED, "auto", clock.instant(),
                        "applied automatically: no increase inside the notice period", false);
                audit.record(partner.name(), "partner submit", "deck_submission", String.valueOf(submissionId), "account "
                        + partner.accountId() + "; applied automatically", partner.caller().sourceIp());
                return Outcome.done(partners.find(submissionId).orElseThrow());
            }
            if (deckService.findImport(submission.deckId(), submission.importId()).map(i -> i.status() != ImportStatus.PREVIEWED)
                    .orElse(true)) {
                partners.move(submissionId, Status.UPLOADED, Status.WITHDRAWN, "auto", clock.instant(), committed.message(), false);
                return new Outcome.Conflict<>(committed.message());
            }
        }
        String why = submission.earlyIncreases() > 0
                ? submission.earlyIncreases() + " increase(s) take effect sooner than the deck's notice period: waiting for review"
                : "waiting for review";
        if (!partners.move(submissionId, Status.UPLOADED, Status.PENDING, null, null, why, false)) {
            return new Outcome.Conflict<>("submission " + submissionId + " changed meanwhile; read it again");
        }
        audit.record(partner.name(), "partner submit", "deck_submission", String.valueOf(submissionId), "account " + partner.accountId()
                + "; " + why, partner.caller().sourceIp());
        return Outcome.done(partners.find(submissionId).orElseThrow());
    }

    public List<DeckSubmission> mine(PartnerCaller partner, int offset, int limit) {
        audit.record(partner.name(), "partner read submissions", "account", String.valueOf(partner.accountId()), "",
                partner.caller().sourceIp());
        return partners.list(partner.accountId(), null, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    public Outcome<DeckSubmission> mine(PartnerCaller partner, long submissionId) {
        Optional<DeckSubmission> found = own(partner, submissionId);
        if (found.isEmpty()) {
            return Outcome.notFound("deck submission", submissionId);
        }
        audit.record(partner.name(), "partner read submission", "deck_submission", String.valueOf(submissionId), "account "
                + partner.accountId(), partner.caller().sourceIp());
        return Outcome.done(found.get());
    }

    // ---- the carrier's side

    public List<DeckSubmission> list(Caller caller, Long accountId, Status status, int offset, int limit) {
        caller.require(RateDeckService.CHANGE, "review deck submissions");
        return partners.list(accountId, status, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    public Optional<DeckSubmission> find(long id) {
        return partners.find(id);
    }

    /**
     * Commits a pending submission. Early increases need {@code overrideEarlyIncreases}: the override is stored on
     * the submission and audited by name.
     */
    public Outcome<DeckSubmission> approve(Caller caller, long submissionId, boolean overrideEarlyIncreases, String reason) {
        caller.require(RateDeckService.CHANGE, "approve deck submissions");
        Optional<DeckSubmission> found = partners.find(submissionId);
        if (found.isEmpty()) {
            return Outcome.notFound("deck submission", submissionId);
        }
        DeckSubmission submission = found.get();
        if (reason != null && reason.length() > MAX_REASON) {
            return Outcome.invalid(Map.of("reason", "at most " + MAX_REASON + " characters"));
        }
        if (submission.status() != Status.PENDING) {
            return new Outcome.Conflict<>("submission " + submissionId + " is " + submission.status().code() + "; only a pending one can be approved");
        }
        if (submission.earlyIncreases() > 0 && !overrideEarlyIncreases) {
            return new Outcome.Conflict<>(submission.earlyIncreases() + " increase(s) take effect sooner than the deck's notice period; "
                    + "approve with overrideEarlyIncreases=true (recorded and audited) or reject", Map.of("overrideEarlyIncreases",
                    "required for increases inside the notice period"));
        }
        Outcome<DeckCommit> committed = deckService.commit(caller, submission.deckId(), submission.importId(),
                overrideEarlyIncreases ? EarlyIncreases.ACCEPT : EarlyIncreases.REFUSE);
        if (!(committed instanceof Outcome.Done<DeckCommit>)) {
            return new Outcome.Conflict<>(committed.message(), committed instanceof Outcome.Conflict<DeckCommit> c ? c.fields() : Map.of());
        }
        boolean overridden = overrideEarlyIncreases && submission.earlyIncreases() > 0;
        partners.move(submissionId, Status.PENDING, Status.APPLIED, caller.name(), clock.instant(), reason == null ? "" : reason.strip(),
                overridden);
        audit.record(caller.name(), overridden ? "approve submission with early-increase override" : "approve submission",
                "deck_submission", String.valueOf(submissionId), "account " + submission.accountId() + "; deck " + submission.deckId()
                        + (overridden ? "; " + submission.earlyIncreases() + " increase(s) inside the notice period let through" : ""),
                caller.sourceIp());
        return Outcome.done(partners.find(submissionId).orElseThrow());
    }

    /** Refuses an upload or a pending submission; the vendor sees the reason. The deck stays as it was. */
    public Outcome<DeckSubmission> reject(Caller caller, long submissionId, String reason) {
        caller.require(RateDeckService.CHANGE, "reject deck submissions");
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_REASON) {
            return Outcome.invalid(Map.of("reason", "required (the vendor sees it), at most " + MAX_REASON + " characters"));
        }
        Optional<DeckSubmission> found = partners.find(submissionId);
        if (found.isEmpty()) {
            return Outcome.notFound("deck submission", submissionId);
        }
        DeckSubmission submission = found.get();
        if (submission.status() != Status.PENDING && submission.status() != Status.UPLOADED) {
            return new Outcome.Conflict<>("submission " + submissionId + " is " + submission.status().code() + "; it can no longer be rejected");
        }
        if (!partners.move(submissionId, submission.status(), Status.REJECTED, caller.name(), clock.instant(), reason.strip(), false)) {
            return new Outcome.Conflict<>("submission " + submissionId + " changed meanwhile; read it again");
        }
        deckService.discard(caller, submission.deckId(), submission.importId());
        audit.record(caller.name(), "reject submission", "deck_submission", String.valueOf(submissionId), "account " + submission.accountId()
                + "; " + reason.strip(), caller.sourceIp());
        return Outcome.done(partners.find(submissionId).orElseThrow());
    }

    private Optional<DeckSubmission> own(PartnerCaller partner, long submissionId) {
        return partners.find(submissionId).filter(s -> s.accountId() == partner.accountId());
    }

    /**
     * The partner acting through the deck service, whose role check is for the carrier's staff: the scope (its own
     * buy deck) was checked here, and the audit entries carry the partner's own name.
     */
    private static Caller delegated(PartnerCaller partner) {
        return new Caller(partner.name(), partner.caller().sourceIp(), RateDeckService.CHANGE);
    }
}
