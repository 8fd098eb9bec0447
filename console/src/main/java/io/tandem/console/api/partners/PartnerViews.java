package io.tandem.console.api.partners;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.billing.account.Money;
import io.tandem.console.api.routing.ImportView;
import io.tandem.console.notices.NoticeLine;
import io.tandem.console.notices.RateNotice;
import io.tandem.console.partners.DeckSubmission;
import io.tandem.console.partners.DeckSubmissions;
import io.tandem.console.partners.PartnerTerms;
import io.tandem.routing.Micros;
import io.tandem.routing.deck.RateDeck;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the partner endpoints and of the carrier's partner-access endpoints. Money as decimal strings. */
public final class PartnerViews {

    private PartnerViews() {
    }

    /** A partner's own account: no held money, no limits the carrier set for its own protection. */
    public record AccountView(long id, String name, String kind, String currency, String balance, String creditLimit, String available,
                              String status) {
        static AccountView of(Account a) {
            return new AccountView(a.id(), a.name(), a.kind().code(), a.currency(), Money.format(a.balance()), Money.format(a.creditLimit()),
                    Money.format(a.available()), a.status().code());
        }
    }

    public record LedgerView(long id, String kind, String amount, String balanceAfter, String callUuid, String reference, Instant createdAt) {
        static LedgerView of(LedgerEntry e) {
            return new LedgerView(e.id(), e.kind().code(), Money.format(e.amount()), Money.format(e.balanceAfter()), e.callUuid(),
                    e.reference(), e.createdAt());
        }
    }

    public record DeckView(long id, String name, String direction, String currency, int noticeDays, long deckVersion, Instant updatedAt) {
        static DeckView of(RateDeck d) {
            return new DeckView(d.id(), d.name(), d.direction().name().toLowerCase(java.util.Locale.ROOT), d.currency(), d.noticeDays(),
                    d.deckVersion(), d.updatedAt());
        }
    }

    public record SubmissionView(long id, long accountId, long deckId, long importId, String status, int earlyIncreases, String submittedBy,
                                 Instant submittedAt, String decidedBy, Instant decidedAt, String reason, boolean overridden,
                                 ImportView preview) {
        static SubmissionView of(DeckSubmission s) {
            return of(s, null);
        }

        static SubmissionView of(DeckSubmission s, ImportView preview) {
            return new SubmissionView(s.id(), s.accountId(), s.deckId(), s.importId(), s.status().code(), s.earlyIncreases(), s.submittedBy(),
                    s.submittedAt(), s.decidedBy(), s.decidedAt(), s.reason(), s.overridden(), preview);
        }

        static SubmissionView of(DeckSubmissions.Uploaded uploaded) {
            return of(uploaded.submission(), ImportView.of(uploaded.preview().deckImport(), uploaded.preview().diff(),
                    uploaded.preview().keptValidRows()));
        }
    }

    public record NoticeView(long id, long accountId, long deckId, Long importId, Instant createdAt, Instant firstEffective, int increased,
                             int decreased, int added, int closed, String recipients, Instant mailedAt, String mailError,
                             List<LineView> lines) {
        static NoticeView of(RateNotice n, List<NoticeLine> lines) {
            return new NoticeView(n.id(), n.accountId(), n.deckId(), n.importId(), n.createdAt(), n.firstEffective(), n.increased(),
                    n.decreased(), n.added(), n.closed(), n.recipients(), n.mailedAt(), n.mailError(),
                    lines == null ? null : lines.stream().map(LineView::of).toList());
        }
    }

    public record LineView(String change, String prefix, String destination, String oldRate, String newRate, Instant effectiveFrom) {
        static LineView of(NoticeLine l) {
            return new LineView(l.change().code(), l.prefix(), l.destination(), money(l.oldRateMicros()), money(l.newRateMicros()),
                    l.effectiveFrom());
        }
    }

    public record TermsView(long accountId, String submissionPolicy, String noticeEmail, String invoiceEmail) {
        static TermsView of(PartnerTerms t) {
            return new TermsView(t.accountId(), t.submissionPolicy().code(), t.noticeEmail(), t.invoiceEmail());
        }
    }

    private static String money(Long micros) {
        return micros == null ? null : Micros.format(micros);
    }
}
