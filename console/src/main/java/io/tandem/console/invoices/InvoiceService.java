package io.tandem.console.invoices;

import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoiceCsvWriter;
import io.tandem.billing.invoicing.InvoicePdfRenderer;
import io.tandem.billing.invoicing.InvoicePeriod;
import io.tandem.billing.invoicing.InvoiceProfile;
import io.tandem.billing.invoicing.VendorStatement;
import io.tandem.billing.persistence.InvoiceStore;
import io.tandem.billing.persistence.InvoiceStore.CreditResult;
import io.tandem.billing.persistence.InvoiceStore.IssueResult;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.security.ApiRole;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Invoices, credit notes, invoicing profiles and vendor statements for the REST API and the console. Finance
 * and admins in the console, admin and operator API keys; every issue, credit note and profile change is
 * audited. Partner views (issue #20, first half) read through {@link #invoicesOf}, which is scoped to one
 * account by construction. An issued document is mailed with its PDF when the account has invoice addresses
 * ({@link InvoiceMailer}).
 */
@Service
public class InvoiceService {

    public static final Set<String> FINANCE = Caller.authorities(Set.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE),
            Set.of(ApiRole.ADMIN, ApiRole.OPERATOR));
    public static final int MAX_REASON = 200;
    public static final int MAX_PAGE = 500;

    private final InvoiceStore store;
    private final AuditLogRepository audit;
    private final InvoiceMailer mailer;
    private final InvoicePdfRenderer pdf = new InvoicePdfRenderer();
    private final InvoiceCsvWriter csv = new InvoiceCsvWriter();

    public InvoiceService(InvoiceStore store, AuditLogRepository audit, InvoiceMailer mailer) {
        this.store = store;
        this.audit = audit;
        this.mailer = mailer;
    }

    /** A period such as {@code 2026-11} for the account's cycle (the cycle that contains that month). */
    public static Outcome<YearMonth> month(String text) {
        try {
            return Outcome.done(YearMonth.parse(text == null ? "" : text.trim()));
        } catch (DateTimeParseException e) {
            return Outcome.invalid(Map.of("month", "a month as YYYY-MM, e.g. 2026-11"));
        }
    }

    /** Issues one account's invoice for the cycle containing {@code month}; idempotent per account and period. */
    public Outcome<Invoice> issue(Caller caller, long accountId, YearMonth month) {
        caller.require(FINANCE, "issue invoices");
        InvoicePeriod period = InvoicePeriod.containing(month, store.profile(accountId).cycleMonths());
        return switch (store.issue(accountId, period, caller.name())) {
            case IssueResult.Issued issued -> {
                audit.record(caller.name(), "issue", "invoice", String.valueOf(issued.invoice().id()),
                        issued.invoice().documentNumber() + " account " + accountId + " " + period.label(), caller.sourceIp());
                mailer.send(issued.invoice());
                yield Outcome.done(issued.invoice());
            }
            case IssueResult.AlreadyIssued already -> new Outcome.Done<>(already.invoice(), true);
            case IssueResult.UnknownAccount unknown -> Outcome.notFound("account", unknown.accountId());
            case IssueResult.PeriodNotOver notOver -> Outcome.invalid(Map.of("month",
                    "the period " + period.label() + " ends at " + notOver.end() + "; invoice it once it is over"));
        };
    }

    /** What an invoicing run did. */
    public record RunSummary(String month, int issued, int alreadyIssued, int notDue, List<String> failures) {
    }

    /**
     * Issues the invoices of every customer whose cycle ends with {@code month} (monthly accounts every month,
     * quarterly ones in March, June, ...). One account's failure does not stop the others; it is listed.
     */
    public Outcome<RunSummary> issueAll(Caller caller, YearMonth month) {
        return issueAll(caller, month, (done, total) -> { });
    }

    /** How far a run is: {@code done} of {@code total} customer accounts looked at. */
    @FunctionalInterface
    public interface RunProgress {
        void advanced(int done, int total);
    }

    /** {@link #issueAll(Caller, YearMonth)}, telling {@code progress} after each account. */
    public Outcome<RunSummary> issueAll(Caller caller, YearMonth month, RunProgress progress) {
        caller.require(FINANCE, "issue invoices");
        int issued = 0;
        int already = 0;
        int notDue = 0;
        List<String> failures = new ArrayList<>();
        List<Long> customers = store.invoicedAccounts();
        int looked = 0;
        for (long accountId : customers) {
            progress.advanced(looked++, customers.size());
            InvoicePeriod period = InvoicePeriod.containing(month, store.profile(accountId).cycleMonths());
            if (!period.end().equals(InvoicePeriod.month(month).end())) {
                notDue++;
                continue;
            }
            switch (issue(caller, accountId, month)) {
                case Outcome.Done<Invoice> done when done.replayed() -> already++;
                case Outcome.Done<Invoice> done -> issued++;
                case Outcome<Invoice> other -> failures.add("account " + accountId + ": " + other.message());
            }
        }
        progress.advanced(customers.size(), customers.size());
        audit.record(caller.name(), "invoice-run", "invoice", month.toString(),
                issued + " issued, " + already + " already, " + failures.size() + " failed", caller.sourceIp());
        return Outcome.done(new RunSummary(month.toString(), issued, already, notDue, List.copyOf(failures)));
    }

    public Outcome<Invoice> creditNote(Caller caller, long invoiceId, String amountText, String reason) {
        caller.require(FINANCE, "issue credit notes");
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        BigDecimal amount = null;
        try {
            amount = Money.parse(amountText == null ? "" : amountText);
            if (amount.signum() <= 0) {
                errors.put("amount", "a positive amount, e.g. \"12.500000\"");
            }
        } catch (NumberFormatException e) {
            errors.put("amount", "a decimal amount with at most 6 decimals, e.g. \"12.500000\"");
        }
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            errors.put("reason", "1 to " + MAX_REASON + " characters, no control characters: the customer reads it");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        return switch (store.creditNote(invoiceId, amount, reason.strip(), caller.name())) {
            case CreditResult.Issued issued -> {
                audit.record(caller.name(), "credit-note", "invoice", String.valueOf(invoiceId),
                        issued.creditNote().documentNumber() + " " + Money.format(issued.creditNote().adjustments()) + ": " + reason.strip(),
                        caller.sourceIp());
                mailer.send(issued.creditNote());
                yield Outcome.done(issued.creditNote());
            }
            case CreditResult.UnknownInvoice unknown -> Outcome.notFound("invoice", unknown.invoiceId());
            case CreditResult.ExceedsInvoice exceeds -> Outcome.invalid(Map.of("amount",
                    "at most " + Money.format(exceeds.creditable()) + ": what the invoice charged less earlier credit notes"));
        };
    }

    public List<Invoice> list(Caller caller, Long accountId, int offset, int limit) {
        caller.require(FINANCE, "read invoices");
        return store.list(accountId, Math.max(offset, 0), Math.clamp(limit, 1, MAX_PAGE));
    }

    public Optional<Invoice> find(Caller caller, long invoiceId) {
        caller.require(FINANCE, "read invoices");
        return store.find(invoiceId);
    }

    /**
     * One account's documents, for a partner view scoped to that account: there is no parameter that could
     * reach another account's invoices. The caller (the partner feature) has checked the scope.
     */
    public List<Invoice> invoicesOf(long accountId, int offset, int limit) {
        return store.list(accountId, Math.max(offset, 0), Math.clamp(limit, 1, MAX_PAGE));
    }

    /** One of the account's documents, or empty when it is not the account's (a partner sees 404, not 403). */
    public Optional<Invoice> invoiceOf(long accountId, long invoiceId) {
        return store.find(invoiceId).filter(invoice -> invoice.accountId() == accountId);
    }

    public void writePdf(Invoice invoice, OutputStream out) {
        pdf.render(invoice, out);
    }

    public void writeCsv(Invoice invoice, Writer out) {
        csv.write(invoice, out);
    }

    public void writePdf(VendorStatement statement, OutputStream out) {
        pdf.render(statement, out);
    }

    public void writeCsv(VendorStatement statement, Writer out) {
        csv.write(statement, out);
    }

    public InvoiceProfile profile(Caller caller, long accountId) {
        caller.require(FINANCE, "read invoicing profiles");
        return store.profile(accountId);
    }

    public Outcome<InvoiceProfile> saveProfile(Caller caller, InvoiceProfile profile) {
        caller.require(FINANCE, "change invoicing profiles");
        Map<String, String> errors = profile.problems();
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        if (store.invoicedAccounts().stream().noneMatch(id -> id == profile.accountId())) {
            return new Outcome.NotFound<>("customer account " + profile.accountId() + " does not exist");
        }
        InvoiceProfile normalized = new InvoiceProfile(profile.accountId(), profile.series(), profile.cycleMonths(),
                profile.taxLabel().strip(), Money.round(profile.taxRate()));
        store.saveProfile(normalized, caller.name());
        audit.record(caller.name(), "update", "invoice-profile", String.valueOf(profile.accountId()),
                "series " + normalized.series() + ", every " + normalized.cycleMonths() + " month(s), tax "
                        + normalized.taxLabel() + " " + normalized.taxRate().toPlainString(), caller.sourceIp());
        return Outcome.done(normalized);
    }

    /** What the carrier owes a vendor for the month's period (calls that started in it). */
    public Outcome<VendorStatement> vendorStatement(Caller caller, long vendorAccountId, YearMonth month) {
        caller.require(FINANCE, "read vendor statements");
        return store.vendorStatement(vendorAccountId, InvoicePeriod.month(month))
                .<Outcome<VendorStatement>>map(Outcome::done)
                .orElseGet(() -> Outcome.notFound("account", vendorAccountId));
    }
}
