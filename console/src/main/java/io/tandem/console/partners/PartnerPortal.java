package io.tandem.console.partners;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.persistence.CdrStore.PagePosition;
import io.tandem.billing.persistence.CdrStore.PagedCdr;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.cdrs.CdrQuery;
import io.tandem.console.cdrs.CdrService;
import io.tandem.console.invoices.InvoiceService;
import io.tandem.console.notices.RateNotice;
import io.tandem.console.notices.RateNotices;
import io.tandem.console.service.Outcome;
import io.tandem.routing.Micros;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.persistence.RateDeckRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a partner reads about its own account: the account and its balance, the ledger, its side of the CDRs, its
 * rate decks as CSV (in force now, or the scheduled changes), its rate-change notices and its invoices and credit notes (PDF,
 * CSV). Everything is scoped to
 * the partner's account: another account's deck or notice is "does not exist". Every read is audited, so the
 * carrier can see what a partner looked at.
 */
public class PartnerPortal {

    private final AccountService accounts;
    private final CdrService cdrs;
    private final RateDeckRepository decks;
    private final RateNotices notices;
    private final InvoiceService invoices;
    private final AuditLogRepository audit;
    private final Clock clock;

    public PartnerPortal(AccountService accounts, CdrService cdrs, RateDeckRepository decks, RateNotices notices, InvoiceService invoices,
                         AuditLogRepository audit, Clock clock) {
        this.accounts = accounts;
        this.cdrs = cdrs;
        this.decks = decks;
        this.notices = notices;
        this.invoices = invoices;
        this.audit = audit;
        this.clock = clock;
    }

    public Outcome<Account> account(PartnerCaller partner) {
        audited(partner, "read account", "account", partner.accountId(), "");
        return accounts.find(partner.accountId()).<Outcome<Account>>map(Outcome::done)
                .orElseGet(() -> Outcome.notFound("account", partner.accountId()));
    }

    public List<LedgerEntry> ledger(PartnerCaller partner, int offset, int limit) {
        audited(partner, "read ledger", "account", partner.accountId(), "offset " + offset);
        return accounts.ledger(partner.accountId(), offset, limit).orElse(List.of());
    }

    /**
     * The partner's side of its call attempts in a period, newest first, a page at a time: a vendor's as vendor, a
     * customer's (or an account that is both) as customer.
     */
    public Outcome<List<PartnerCdr>> cdrs(PartnerCaller partner, String from, String until, PagePosition after, int limit) {
        Optional<Account> account = accounts.find(partner.accountId());
        if (account.isEmpty()) {
            return Outcome.notFound("account", partner.accountId());
        }
        boolean vendor = account.get().kind() == AccountKind.VENDOR;
        Outcome<CdrFilter> filter = cdrs.filter(new CdrQuery(from, until, vendor ? null : partner.accountId(),
                vendor ? partner.accountId() : null, null, null, null));
        if (!(filter instanceof Outcome.Done<CdrFilter> done)) {
            return switch (filter) {
                case Outcome.Invalid<CdrFilter> invalid -> Outcome.invalid(invalid.fields());
                default -> Outcome.invalid(java.util.Map.of("from", filter.message()));
            };
        }
        audited(partner, "read cdrs", "account", partner.accountId(), from + " .. " + until);
        return switch (cdrs.search(done.value(), after, limit)) {
            case Outcome.Done<List<PagedCdr>> page -> Outcome.done(page.value().stream()
                    .map(p -> vendor ? PartnerCdr.vendorSide(p.cdr()) : PartnerCdr.customerSide(p.cdr())).toList());
            case Outcome.Invalid<List<PagedCdr>> invalid -> Outcome.invalid(invalid.fields());
            default -> Outcome.invalid(java.util.Map.of("from", "cannot search this period"));
        };
    }

    public List<RateDeck> decks(PartnerCaller partner) {
        audited(partner, "read decks", "account", partner.accountId(), "");
        return decks.list(partner.accountId(), 0, 1000);
    }

    /** One of the partner's own decks; another account's is "does not exist". */
    public Outcome<RateDeck> deck(PartnerCaller partner, long deckId) {
        return decks.find(deckId).filter(d -> d.accountId() == partner.accountId()).<Outcome<RateDeck>>map(Outcome::done)
                .orElseGet(() -> Outcome.notFound("rate deck", deckId));
    }

    /** Which rates a deck download holds. */
    public enum DeckView {
        /** The rates in force now, A–Z by code. */
        CURRENT,
        /** What is scheduled: periods that start later, and codes that close later, A–Z by code then date. */
        PENDING
    }

    public static final String DECK_CSV_HEADER = "prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from,"
            + "effective_until\n";

    /**
     * Writes the deck as CSV from a database cursor.
     *
     * @return the rows written, or not found when the deck is not the partner's
     */
    public Outcome<Long> writeDeckCsv(PartnerCaller partner, long deckId, DeckView view, Writer out) {
        Outcome<RateDeck> deck = deck(partner, deckId);
        if (!(deck instanceof Outcome.Done<RateDeck>)) {
            return Outcome.notFound("rate deck", deckId);
        }
        audited(partner, "download deck", "rate_deck", deckId, view.name().toLowerCase(java.util.Locale.ROOT));
        Instant now = clock.instant();
        long[] rows = {0};
        try {
            out.write(DECK_CSV_HEADER);
            decks.streamRates(deckId, rate -> {
                boolean inForce = !rate.effectiveFrom().isAfter(now);
                boolean pending = !inForce || rate.effectiveUntil() != null;
                if (rate.blocked() || (view == DeckView.CURRENT ? !inForce : !pending)) {
                    return;
                }
                try {
                    out.write(row(rate));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                rows[0]++;
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Outcome.done(rows[0]);
    }

    private static String row(CurrentRate rate) {
        return rate.prefix() + "," + cell(rate.destination()) + "," + Micros.format(rate.rateMicros()) + ","
                + Micros.format(rate.connectFeeMicros()) + "," + rate.initialIncrement() + "," + rate.nextIncrement() + ","
                + rate.effectiveFrom() + "," + (rate.effectiveUntil() == null ? "" : rate.effectiveUntil()) + "\n";
    }

    private static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    public List<RateNotice> notices(PartnerCaller partner, int offset, int limit) {
        audited(partner, "read notices", "account", partner.accountId(), "");
        return notices.list(partner.accountId(), offset, limit);
    }

    /** One of the partner's notices; another account's is "does not exist". */
    public Outcome<RateNotice> notice(PartnerCaller partner, long noticeId) {
        Optional<RateNotice> notice = notices.find(noticeId).filter(n -> n.accountId() == partner.accountId());
        if (notice.isEmpty()) {
            return Outcome.notFound("rate notice", noticeId);
        }
        audited(partner, "read notice", "rate_notice", noticeId, "");
        return Outcome.done(notice.get());
    }

    public Outcome<Long> writeNoticeCsv(PartnerCaller partner, long noticeId, Writer out) {
        Outcome<RateNotice> notice = notice(partner, noticeId);
        if (!(notice instanceof Outcome.Done<RateNotice>)) {
            return Outcome.notFound("rate notice", noticeId);
        }
        notices.writeCsv(noticeId, out);
        return Outcome.done(noticeId);
    }

    /** The partner's invoices and credit notes, newest first. */
    public List<Invoice> invoices(PartnerCaller partner, int offset, int limit) {
        audited(partner, "read invoices", "account", partner.accountId(), "offset " + offset);
        return invoices.invoicesOf(partner.accountId(), offset, limit);
    }

    /** One of the partner's invoices or credit notes; another account's is "does not exist", exactly like an unused id. */
    public Outcome<Invoice> invoice(PartnerCaller partner, long invoiceId) {
        Optional<Invoice> invoice = invoices.invoiceOf(partner.accountId(), invoiceId);
        if (invoice.isEmpty()) {
            return Outcome.notFound("invoice", invoiceId);
        }
        audited(partner, "read invoice", "invoice", invoiceId, invoice.get().documentNumber());
        return Outcome.done(invoice.get());
    }

    /** Writes an invoice {@link #invoice} gave the partner as PDF. */
    public void writeInvoicePdf(Invoice invoice, java.io.OutputStream out) {
        invoices.writePdf(invoice, out);
    }

    /** Writes an invoice {@link #invoice} gave the partner as CSV. */
    public void writeInvoiceCsv(Invoice invoice, Writer out) {
        invoices.writeCsv(invoice, out);
    }

    private void audited(PartnerCaller partner, String action, String entity, long id, String detail) {
        audit.record(partner.name(), "partner " + action, entity, String.valueOf(id), "account " + partner.accountId()
                + (detail.isEmpty() ? "" : "; " + detail), partner.caller().sourceIp());
    }
}
