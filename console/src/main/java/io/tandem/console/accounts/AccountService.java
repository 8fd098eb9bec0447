package io.tandem.console.accounts;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.AccountSpec;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.AccountUpdate;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.Money;
import io.tandem.billing.account.PostingResult;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.security.ApiRole;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.routing.persistence.BlockedDestinationRepository;
import io.tandem.routing.persistence.BlockedDestinationRepository.BlockedDestination;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts and their money, for the REST API and the console alike: validation, the role check and the audit
 * entry. Balances change only through the ledger: top-ups and adjustments, idempotent on a key the caller chooses.
 *
 * <p>Who may do what: everyone reads; {@link #EDIT} (settings, limits, status) is
 * ADMIN, OPERATOR and FINANCE in the console, admin and operator API keys; {@link #MONEY} (top-ups,
 * adjustments) is ADMIN and FINANCE in the console, admin and operator API keys.
 */
@Service
public class AccountService {

    public static final Set<String> EDIT = Caller.authorities(Set.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE),
            Set.of(ApiRole.ADMIN, ApiRole.OPERATOR));
    public static final Set<String> MONEY = Caller.authorities(Set.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE),
            Set.of(ApiRole.ADMIN, ApiRole.OPERATOR));

    /** Bounds of what a user may send. */
    public static final int MAX_NAME = 128;
    public static final int MAX_REFERENCE = 255;
    public static final int MAX_IDEMPOTENCY_KEY = 100;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final AccountRepository accounts;
    private final AccountLedger ledger;
    private final BlockedDestinationRepository blocked;
    private final AuditLogRepository audit;

    public AccountService(AccountRepository accounts, AccountLedger ledger, BlockedDestinationRepository blocked, AuditLogRepository audit) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.blocked = blocked;
        this.audit = audit;
    }

    /** A money request: a decimal string and a reason (the ledger's reference). */
    public record MoneyRequest(String amount, String reference) {
    }

    public List<Account> list(int offset, int limit) {
        return accounts.list(Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    public List<Account> search(AccountSearch search, int offset, int limit) {
        return accounts.search(search.text(), search.kind(), Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    public int count(AccountSearch search) {
        return accounts.count(search.text(), search.kind());
    }

    public Optional<Account> find(long id) {
        return accounts.find(id);
    }

    /** Names of these accounts: the labels of one page of a grid. */
    public Map<Long, String> names(Collection<Long> ids) {
        return accounts.names(ids);
    }

    /** Newest first; empty when the account does not exist. */
    public Optional<List<LedgerEntry>> ledger(long id, int offset, int limit) {
        if (accounts.find(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ledger.entries(id, Math.max(0, offset), Math.clamp(limit, 1, 1000)));
    }

    @Transactional
    public Outcome<Account> create(Caller caller, AccountRequest request) {
        caller.require(EDIT, "create accounts");
        Map<String, String> errors = new LinkedHashMap<>();
        AccountSpec spec = spec(request, errors);
        BigDecimal opening = new FieldParsing(errors).money("openingBalance", request.openingBalance());
        if (opening != null && opening.signum() != 0 && !caller.holdsAny(MONEY)) {
            errors.put("openingBalance", "only finance or an administrator may give an account money");
        }
        if (spec != null && accounts.nameTaken(spec.name(), null)) {
            errors.put("name", "an account with this name exists");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        Account account = accounts.create(spec, opening, caller.name());
        audit.record(caller.name(), "create", "account", String.valueOf(account.id()), account.name(), caller.sourceIp());
        return new Outcome.Done<>(account);
    }

    /** Replaces every editable field with the request's (an edit form sends them all). */
    @Transactional
    public Outcome<Account> update(Caller caller, long id, AccountRequest request) {
        caller.require(EDIT, "change accounts");
        Optional<Account> current = accounts.find(id);
        if (current.isEmpty()) {
            return Outcome.notFound("account", id);
        }
        AccountRequest before = AccountRequest.of(current.get());
        Map<String, String> errors = new LinkedHashMap<>();
        AccountSpec spec = spec(request, errors);
        if (request.openingBalance() != null) {
            errors.put("openingBalance", "only when creating; use top-ups or adjustments to change a balance");
        }
        if (spec != null && accounts.nameTaken(spec.name(), id)) {
            errors.put("name", "an account with this name exists");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        return switch (accounts.update(id, spec)) {
            case AccountUpdate.Updated updated -> {
                audit.record(caller.name(), "update", "account", String.valueOf(id),
                        spec.name() + AccountRequest.changes(before, AccountRequest.of(updated.account())), caller.sourceIp());
                yield new Outcome.Done<>(updated.account());
            }
            case AccountUpdate.UnknownAccount unknown -> Outcome.notFound("account", id);
            case AccountUpdate.CurrencyLocked locked -> Outcome.invalid(Map.of("currency", locked.reason()));
        };
    }

    /**
     * Suspends or resumes an account; nothing is deleted. {@code action} names it in the audit log
     * ("suspend", "resume"; the API's DELETE says "disable").
     */
    @Transactional
    public Outcome<Account> setStatus(Caller caller, long id, AccountStatus status, String action) {
        caller.require(EDIT, action + " accounts");
        return accounts.setStatus(id, status).<Outcome<Account>>map(a -> {
            audit.record(caller.name(), action, "account", String.valueOf(id), a.name(), caller.sourceIp());
            return new Outcome.Done<>(a);
        }).orElseGet(() -> Outcome.notFound("account", id));
    }

    /** Money paid in; the amount must be positive. */
    public Outcome<LedgerEntry> topUp(Caller caller, long id, MoneyRequest request, String idempotencyKey) {
        return post(caller, id, request, LedgerEntryKind.TOPUP, idempotencyKey);
    }

    /** A correction; the amount may be negative, but never spends money held by live calls or past the credit limit. */
    public Outcome<LedgerEntry> adjust(Caller caller, long id, MoneyRequest request, String idempotencyKey) {
        return post(caller, id, request, LedgerEntryKind.ADJUSTMENT, idempotencyKey);
    }

    private Outcome<LedgerEntry> post(Caller caller, long id, MoneyRequest request, LedgerEntryKind kind, String idempotencyKey) {
        caller.require(MONEY, "move money");
        if (accounts.find(id).isEmpty()) {
            return Outcome.notFound("account", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        BigDecimal amount = new FieldParsing(errors).requiredMoney("amount", request.amount());
        if (amount != null && amount.signum() == 0) {
            errors.put("amount", "must not be zero");
        } else if (amount != null && kind == LedgerEntryKind.TOPUP && amount.signum() < 0) {
            errors.put("amount", "a top-up is positive; use an adjustment to take money off");
        }
        if (request.reference() != null && request.reference().length() > MAX_REFERENCE) {
            errors.put("reference", "at most " + MAX_REFERENCE + " characters");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            errors.put("Idempotency-Key", "1-" + MAX_IDEMPOTENCY_KEY + " characters");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        LedgerPosting posting = LedgerPosting.of(id, kind, amount, request.reference(), caller.name());
        if (idempotencyKey != null) {
            // Scoped to the account: two customers' scripts that both use "invoice-77" are two
            // requests. At most 4 + 19 + 1 + 100 characters, within the column's 128.
            posting = posting.withIdempotencyKey("api:" + id + ":" + idempotencyKey);
        }
        // Taking money off is guarded like a call's debit: it may not spend money that live
        // calls hold (leases, reservations) or go below the credit limit.
        PostingResult result = amount.signum() < 0
                ? ledger.debit(new LedgerPosting(id, kind, amount.negate(), posting.reference(), posting.actor(),
                        posting.idempotencyKey(), null))
                : ledger.post(posting);
        return switch (result) {
            case PostingResult.Posted posted -> {
                audit.record(caller.name(), kind.code(), "account", String.valueOf(id), Money.format(amount), caller.sourceIp());
                yield new Outcome.Done<>(posted.entry());
            }
            case PostingResult.Replayed replayed -> sameRequest(replayed.entry(), kind, amount, request.reference())
                    ? new Outcome.Done<>(replayed.entry(), true)
                    : new Outcome.Conflict<>("Idempotency-Key " + idempotencyKey + " was used on this account for another request ("
                            + replayed.entry().kind().code() + " of " + Money.format(replayed.entry().amount())
                            + "); nothing changed: use a new key for a new request");
            case PostingResult.UnknownAccount unknown -> Outcome.notFound("account", id);
            case PostingResult.InsufficientFunds insufficient ->
                    new Outcome.InsufficientFunds<>("not enough money: available " + Money.format(insufficient.available()));
        };
    }

    /**
     * Whether a replayed key carried the same request. Answering a different amount with the first
     * entry would tell the caller that money moved which never did, so that is refused instead.
     */
    private static boolean sameRequest(LedgerEntry earlier, LedgerEntryKind kind, BigDecimal amount, String reference) {
        return earlier.kind() == kind
                && earlier.amount().compareTo(Money.round(amount)) == 0
                && Objects.equals(earlier.reference(), reference == null ? "" : reference);
    }

    /**
     * The account's blocked destinations, for everyone who reads accounts; empty when the account does not exist.
     * Blocking and unblocking belong to routing ({@code RoutingService}).
     */
    public Optional<List<BlockedDestination>> blockedDestinations(long accountId) {
        return blocked.list(accountId);
    }

    private static AccountSpec spec(AccountRequest request, Map<String, String> errors) {
        FieldParsing fields = new FieldParsing(errors);
        if (request.name() == null || request.name().isBlank()) {
            errors.put("name", "required");
        } else if (request.name().length() > MAX_NAME) {
            errors.put("name", "at most " + MAX_NAME + " characters");
        }
        AccountKind kind = fields.choice("kind", request.kind(), AccountKind::ofCode, "customer, vendor, both", null);
        if (request.currency() == null || !CURRENCY.matcher(request.currency()).matches()) {
            errors.put("currency", "an ISO 4217 code in capitals, e.g. EUR or USD");
        }
        BigDecimal creditLimit = fields.money("creditLimit", request.creditLimit());
        if (creditLimit != null && creditLimit.signum() < 0) {
            errors.put("creditLimit", "zero or more (the amount a balance may go below zero)");
        }
        AccountStatus status = fields.choice("status", request.status(), AccountStatus::ofCode, "active, suspended, closed", AccountStatus.ACTIVE);
        if (request.maxCps() != null && request.maxCps() < 0) {
            errors.put("maxCps", "zero or more, or leave empty for no limit");
        }
        if (request.maxConcurrentCalls() != null && request.maxConcurrentCalls() < 0) {
            errors.put("maxConcurrentCalls", "zero or more, or leave empty for no limit");
        }
        BigDecimal daily = fields.money("dailySpendLimit", request.dailySpendLimit());
        if (daily != null && daily.signum() < 0) {
            errors.put("dailySpendLimit", "zero or more, or leave empty for no limit");
        }
        BigDecimal lowBalance = fields.money("lowBalanceThreshold", request.lowBalanceThreshold());
        if (request.noticeDays() != null && (request.noticeDays() < 0 || request.noticeDays() > 365)) {
            errors.put("noticeDays", "0 to 365 days, or leave empty for the deck's notice period");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new AccountSpec(request.name().trim(), kind, request.currency(), creditLimit, status, request.maxCps(),
                request.maxConcurrentCalls(), daily, lowBalance, Boolean.TRUE.equals(request.suspendAtZero()), request.noticeDays());
    }
}
