package io.tandem.console.api.partners;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.api.partners.PartnerViews.NoticeView;
import io.tandem.console.api.partners.PartnerViews.SubmissionView;
import io.tandem.console.api.partners.PartnerViews.TermsView;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.notices.RateNotices;
import io.tandem.console.partners.DeckSubmission;
import io.tandem.console.partners.DeckSubmissions;
import io.tandem.console.partners.PartnerAccess;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import io.tandem.console.security.persistence.ConsoleUserRepository.UserSummary;
import io.tandem.console.service.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The carrier's side of partner access: per account, the partner keys and users (create, list, revoke) and the
 * partner terms (submission policy, notice addresses); the vendors' deck submissions to approve or reject; the
 * rate-change notices sent. Thin over {@link PartnerAccess}, {@link DeckSubmissions} and {@link RateNotices}.
 */
@RestController
public class PartnerAccessController {

    private final PartnerAccess access;
    private final DeckSubmissions submissions;
    private final RateNotices notices;

    public PartnerAccessController(PartnerAccess access, DeckSubmissions submissions, RateNotices notices) {
        this.access = access;
        this.submissions = submissions;
        this.notices = notices;
    }

    public record KeyView(long id, String name, String prefix, long accountId, String createdBy, Instant createdAt, Instant lastUsedAt,
                          Instant revokedAt, String key) {
        static KeyView of(StoredApiKey k, String secret) {
            return new KeyView(k.id(), k.name(), k.prefix(), k.accountId(), k.createdBy(), k.createdAt(), k.lastUsedAt(), k.revokedAt(), secret);
        }
    }

    public record UserView(long id, String username, boolean enabled, Instant createdAt, Instant lastLoginAt) {
        static UserView of(UserSummary u) {
            return new UserView(u.id(), u.username(), u.enabled(), u.createdAt(), u.lastLoginAt());
        }
    }

    public record AccessView(long accountId, String accountName, TermsView terms, List<KeyView> keys, List<UserView> users) {
    }

    public record KeyRequest(String name) {
    }

    public record UserRequest(String username, String password) {
    }

    public record TermsRequest(String submissionPolicy, String noticeEmail, String invoiceEmail) {
    }

    public record DecisionRequest(Boolean overrideEarlyIncreases, String reason) {
    }

    @GetMapping("/api/v1/accounts/{id}/partner-access")
    public ResponseEntity<Object> access(@PathVariable long id, HttpServletRequest http) {
        return ApiOutcomes.ok(access.access(Caller.current(http.getRemoteAddr()), id), a -> new AccessView(a.account().id(), a.account().name(),
                TermsView.of(a.terms()), a.keys().stream().map(k -> KeyView.of(k, null)).toList(), a.users().stream().map(UserView::of).toList()));
    }

    /** A partner key bound to the account; the secret is in this answer only. */
    @PostMapping("/api/v1/accounts/{id}/partner-keys")
    public ResponseEntity<Object> issueKey(@PathVariable long id, @RequestBody KeyRequest request, HttpServletRequest http) {
        return ApiOutcomes.createdAt(access.issueKey(Caller.current(http.getRemoteAddr()), id, request.name()),
                issued -> "/api/v1/accounts/" + id + "/partner-keys/" + issued.stored().id(), issued -> KeyView.of(issued.stored(), issued.secret()));
    }

    @DeleteMapping("/api/v1/accounts/{id}/partner-keys/{keyId}")
    public ResponseEntity<Object> revokeKey(@PathVariable long id, @PathVariable long keyId, HttpServletRequest http) {
        return ApiOutcomes.noContent(access.revokeKey(Caller.current(http.getRemoteAddr()), id, keyId));
    }

    @PostMapping("/api/v1/accounts/{id}/partner-users")
    public ResponseEntity<Object> createUser(@PathVariable long id, @RequestBody UserRequest request, HttpServletRequest http) {
        return ApiOutcomes.createdAt(access.createUser(Caller.current(http.getRemoteAddr()), id, request.username(), request.password()),
                user -> "/api/v1/accounts/" + id + "/partner-users/" + user.id(), UserView::of);
    }

    /** Disables the partner user; it can no longer sign in. */
    @DeleteMapping("/api/v1/accounts/{id}/partner-users/{userId}")
    public ResponseEntity<Object> disableUser(@PathVariable long id, @PathVariable long userId, HttpServletRequest http) {
        return ApiOutcomes.noContent(access.disableUser(Caller.current(http.getRemoteAddr()), id, userId));
    }

    /** {@code submissionPolicy} auto or review; {@code noticeEmail} comma-separated addresses ("" = none); a missing field is kept. */
    @PutMapping("/api/v1/accounts/{id}/partner-terms")
    public ResponseEntity<Object> terms(@PathVariable long id, @RequestBody TermsRequest request, HttpServletRequest http) {
        return ApiOutcomes.ok(access.setTerms(Caller.current(http.getRemoteAddr()), id, request.submissionPolicy(), request.noticeEmail(),
                request.invoiceEmail()),
                TermsView::of);
    }

    /** Submissions, newest first; {@code status} uploaded, pending, applied, rejected or withdrawn. */
    @GetMapping("/api/v1/deck-submissions")
    public ResponseEntity<Object> submissions(@RequestParam(required = false) Long account, @RequestParam(required = false) String status,
                                              @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                                              HttpServletRequest http) {
        DeckSubmission.Status wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = DeckSubmission.Status.ofCode(status.trim());
            } catch (IllegalArgumentException e) {
                return ApiError.invalid(Map.of("status", "uploaded, pending, applied, rejected or withdrawn"));
            }
        }
        return ResponseEntity.ok(submissions.list(Caller.current(http.getRemoteAddr()), account, wanted, offset, limit).stream()
                .map(SubmissionView::of).toList());
    }

    @GetMapping("/api/v1/deck-submissions/{id}")
    public ResponseEntity<Object> submission(@PathVariable long id, HttpServletRequest http) {
        Caller.current(http.getRemoteAddr()).require(RateDeckService.CHANGE, "review deck submissions");
        return submissions.find(id).<ResponseEntity<Object>>map(s -> ResponseEntity.ok(SubmissionView.of(s)))
                .orElseGet(() -> ApiError.notFound("deck submission", id));
    }

    /** Commits a pending submission; increases inside the notice period need {@code overrideEarlyIncreases: true} (audited). */
    @PostMapping("/api/v1/deck-submissions/{id}/approve")
    public ResponseEntity<Object> approve(@PathVariable long id, @RequestBody(required = false) DecisionRequest request, HttpServletRequest http) {
        DecisionRequest decision = request == null ? new DecisionRequest(false, null) : request;
        return ApiOutcomes.ok(submissions.approve(Caller.current(http.getRemoteAddr()), id, Boolean.TRUE.equals(decision.overrideEarlyIncreases()),
                decision.reason()), SubmissionView::of);
    }

    /** Refuses it with a {@code reason} the vendor sees; the deck stays as it was. */
    @PostMapping("/api/v1/deck-submissions/{id}/reject")
    public ResponseEntity<Object> reject(@PathVariable long id, @RequestBody(required = false) DecisionRequest request, HttpServletRequest http) {
        return ApiOutcomes.ok(submissions.reject(Caller.current(http.getRemoteAddr()), id, request == null ? null : request.reason()),
                SubmissionView::of);
    }

    /** Notices sent, newest first; {@code account} narrows to one customer. */
    @GetMapping("/api/v1/rate-notices")
    public ResponseEntity<Object> notices(@RequestParam(required = false) Long account, @RequestParam(defaultValue = "0") int offset,
                                          @RequestParam(defaultValue = "100") int limit) {
        return ResponseEntity.ok(notices.list(account, offset, limit).stream().map(n -> NoticeView.of(n, null)).toList());
    }

    @GetMapping("/api/v1/rate-notices/{id}/lines.csv")
    public ResponseEntity<Object> noticeCsv(@PathVariable long id, HttpServletResponse response) throws IOException {
        if (notices.find(id).isEmpty()) {
            return ApiError.notFound("rate notice", id);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"rate-notice-" + id + ".csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        notices.writeCsv(id, writer);
        writer.flush();
        return null;
    }
}
