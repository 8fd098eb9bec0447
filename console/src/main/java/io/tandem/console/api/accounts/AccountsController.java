package io.tandem.console.api.accounts;

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
import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.api.PutBodyMerge;
import io.tandem.console.audit.persistence.AuditLogRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accounts and their money. Balances change only through the ledger: {@code top-ups} and
 * {@code adjustments} (an {@code Idempotency-Key} header makes a retried request safe).
 */
@RestController
@RequestMapping("/api/v1/accounts")
public class AccountsController {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final AccountRepository accounts;
    private final AccountLedger ledger;
    private final AuditLogRepository audit;
    private final PutBodyMerge putBodies;

    public AccountsController(AccountRepository accounts, AccountLedger ledger, AuditLogRepository audit, JsonMapper json) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.audit = audit;
        this.putBodies = new PutBodyMerge(json);
    }

    /** Create/update body. Money fields are decimal strings. */
    public record AccountRequest(String name, String kind, String currency, String creditLimit, String status, Integer maxCps,
                                 Integer maxConcurrentCalls, String dailySpendLimit, String lowBalanceThreshold,
                                 Boolean suspendAtZero, String openingBalance) {

        /** The account as a request would state it: what a {@code PUT} body is merged onto. */
        static AccountRequest of(Account a) {
            return new AccountRequest(a.name(), a.kind().code(), a.currency(), Money.format(a.creditLimit()), a.status().code(), a.maxCps(),
                    a.maxConcurrentCalls(), Money.format(a.dailySpendLimit()), Money.format(a.lowBalanceThreshold()), a.suspendAtZero(), null);
        }
    }

    /**
     * What an update changed, field by field with the value before and after ("; creditLimit 0.000000 -> 5.000000"),
     * for the audit log: money-relevant settings (limits, status, currency) are read back from it.
     */
    static String changes(AccountRequest before, AccountRequest after) {
        StringBuilder changed = new StringBuilder();
        for (java.lang.reflect.RecordComponent component : AccountRequest.class.getRecordComponents()) {
            try {
                Object was = component.getAccessor().invoke(before);
                Object now = component.getAccessor().invoke(after);
                if (!java.util.Objects.equals(was, now)) {
                    changed.append("; ").append(component.getName()).append(' ').append(was).append(" -> ").append(now);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of an account request", e);
            }
        }
        return changed.toString();
    }

    /** Fields whose empty value means something, so that an explicit {@code null} in a {@code PUT} clears them. */
    private static final Set<String> CLEARABLE = Set.of("creditLimit", "maxCps", "maxConcurrentCalls", "dailySpendLimit", "lowBalanceThreshold");

    public record AccountView(long id, String name, String kind, String currency, String balance, String held, String creditLimit,
                              String available, String status, Integer maxCps, Integer maxConcurrentCalls, String dailySpendLimit,
                              String lowBalanceThreshold, boolean suspendAtZero, Instant createdAt, Instant updatedAt) {
        static AccountView of(Account a) {
            return new AccountView(a.id(), a.name(), a.kind().code(), a.currency(), Money.format(a.balance()), Money.format(a.held()),
                    Money.format(a.creditLimit()), Money.format(a.available()), a.status().code(), a.maxCps(), a.maxConcurrentCalls(),
                    Money.format(a.dailySpendLimit()), Money.format(a.lowBalanceThreshold()), a.suspendAtZero(), a.createdAt(), a.updatedAt());
        }
    }

    public record MoneyRequest(String amount, String reference) {
    }

    public record LedgerEntryView(long id, long accountId, String kind, String amount, String balanceAfter, String callUuid,
                                  String reference, String createdBy, Instant createdAt) {
        static LedgerEntryView of(LedgerEntry e) {
            return new LedgerEntryView(e.id(), e.accountId(), e.kind().code(), Money.format(e.amount()), Money.format(e.balanceAfter()),
                    e.callUuid(), e.reference(), e.createdBy(), e.createdAt());
        }
    }

    @GetMapping
    public List<AccountView> list(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return accounts.list(Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream().map(AccountView::of).toList();
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return accounts.find(id).<ResponseEntity<Object>>map(a -> ResponseEntity.ok(AccountView.of(a)))
                .orElseGet(() -> ApiError.notFound("account", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody AccountRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        AccountSpec spec = spec(request, errors);
        BigDecimal opening = new FieldParsing(errors).money("openingBalance", request.openingBalance());
        if (spec != null && accounts.nameTaken(spec.name(), null)) {
            errors.put("name", "an account with this name exists");
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        Account account = accounts.create(spec, opening, ApiCaller.name());
        audit.record(ApiCaller.name(), "create", "account", String.valueOf(account.id()), account.name(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + account.id())).body(AccountView.of(account));
    }

    /**
     * Replaces the fields the body names; the others keep their value (see {@link PutBodyMerge}).
     * {@code null} clears {@link #CLEARABLE} fields only: a limit becomes "no limit", a credit limit zero.
     */
    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody JsonNode body, HttpServletRequest http) {
        Optional<Account> current = accounts.find(id);
        if (current.isEmpty()) {
            return ApiError.notFound("account", id);
        }
        return switch (putBodies.merge(AccountRequest.of(current.get()), body, AccountRequest.class, CLEARABLE)) {
            case PutBodyMerge.Merged.Request<AccountRequest>(AccountRequest request) ->
                    replace(id, AccountRequest.of(current.get()), request, http);
            case PutBodyMerge.Merged.Unreadable<AccountRequest>(String problem) -> ApiError.status(HttpStatus.BAD_REQUEST, problem);
        };
    }

    private ResponseEntity<Object> replace(long id, AccountRequest before, AccountRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        AccountSpec spec = spec(request, errors);
        if (request.openingBalance() != null) {
            errors.put("openingBalance", "only when creating; use top-ups or adjustments to change a balance");
        }
        if (spec != null && accounts.nameTaken(spec.name(), id)) {
            errors.put("name", "an account with this name exists");
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        return switch (accounts.update(id, spec)) {
            case AccountUpdate.Updated updated -> {
                audit.record(ApiCaller.name(), "update", "account", String.valueOf(id),
                        spec.name() + changes(before, AccountRequest.of(updated.account())), http.getRemoteAddr());
                yield ResponseEntity.ok(AccountView.of(updated.account()));
            }
            case AccountUpdate.UnknownAccount unknown -> ApiError.notFound("account", id);
            case AccountUpdate.CurrencyLocked locked -> ApiError.invalid(Map.of("currency", locked.reason()));
        };
    }

    /** Disables an account (status {@code suspended}); nothing is deleted. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> disable(@PathVariable long id, HttpServletRequest http) {
        return accounts.setStatus(id, AccountStatus.SUSPENDED).<ResponseEntity<Object>>map(a -> {
            audit.record(ApiCaller.name(), "disable", "account", String.valueOf(id), a.name(), http.getRemoteAddr());
            return ResponseEntity.ok(AccountView.of(a));
        }).orElseGet(() -> ApiError.notFound("account", id));
    }

    @GetMapping("/{id}/ledger")
    public ResponseEntity<Object> ledger(@PathVariable long id, @RequestParam(defaultValue = "0") int offset,
                                         @RequestParam(defaultValue = "100") int limit) {
        if (accounts.find(id).isEmpty()) {
            return ApiError.notFound("account", id);
        }
        return ResponseEntity.ok(ledger.entries(id, Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream().map(LedgerEntryView::of).toList());
    }

    /** Money paid in; amount must be positive. */
    @PostMapping("/{id}/top-ups")
    public ResponseEntity<Object> topUp(@PathVariable long id, @RequestBody MoneyRequest request,
                                        @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                        HttpServletRequest http) {
        return post(id, request, LedgerEntryKind.TOPUP, idempotencyKey, http);
    }

    /** An operator's correction; amount may be negative. */
    @PostMapping("/{id}/adjustments")
    public ResponseEntity<Object> adjust(@PathVariable long id, @RequestBody MoneyRequest request,
                                         @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                         HttpServletRequest http) {
        return post(id, request, LedgerEntryKind.ADJUSTMENT, idempotencyKey, http);
    }

    private ResponseEntity<Object> post(long id, MoneyRequest request, LedgerEntryKind kind, String idempotencyKey, HttpServletRequest http) {
        if (accounts.find(id).isEmpty()) {
            return ApiError.notFound("account", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        BigDecimal amount = new FieldParsing(errors).requiredMoney("amount", request.amount());
        if (amount != null && amount.signum() == 0) {
            errors.put("amount", "must not be zero");
        } else if (amount != null && kind == LedgerEntryKind.TOPUP && amount.signum() < 0) {
            errors.put("amount", "a top-up is positive; use an adjustment to take money off");
        }
        if (request.reference() != null && request.reference().length() > 255) {
            errors.put("reference", "at most 255 characters");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 100)) {
            errors.put("Idempotency-Key", "1-100 characters");
        }
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        LedgerPosting posting = LedgerPosting.of(id, kind, amount, request.reference(), ApiCaller.name());
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
                audit.record(ApiCaller.name(), kind.code(), "account", String.valueOf(id), Money.format(amount), http.getRemoteAddr());
                yield ResponseEntity.status(HttpStatus.CREATED).body(LedgerEntryView.of(posted.entry()));
            }
            case PostingResult.Replayed replayed -> sameRequest(replayed.entry(), kind, amount, request.reference())
                    ? ResponseEntity.ok(LedgerEntryView.of(replayed.entry()))
                    : ApiError.conflict("Idempotency-Key " + idempotencyKey + " was used on this account for another request ("
                            + replayed.entry().kind().code() + " of " + Money.format(replayed.entry().amount())
                            + "); nothing changed: use a new key for a new request");
            case PostingResult.UnknownAccount unknown -> ApiError.notFound("account", id);
            case PostingResult.InsufficientFunds insufficient ->
                    ApiError.status(HttpStatus.PAYMENT_REQUIRED, "not enough money: available " + Money.format(insufficient.available()));
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

    private static AccountSpec spec(AccountRequest request, Map<String, String> errors) {
        FieldParsing fields = new FieldParsing(errors);
        if (request.name() == null || request.name().isBlank()) {
            errors.put("name", "required");
        } else if (request.name().length() > 128) {
            errors.put("name", "at most 128 characters");
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
        if (!errors.isEmpty()) {
            return null;
        }
        return new AccountSpec(request.name().trim(), kind, request.currency(), creditLimit, status, request.maxCps(),
                request.maxConcurrentCalls(), daily, lowBalance, Boolean.TRUE.equals(request.suspendAtZero()));
    }
}
