package io.tandem.console.api.accounts;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.billing.account.Money;
import io.tandem.console.accounts.AccountRequest;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.accounts.AccountService.MoneyRequest;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.api.PutBodyMerge;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * Accounts and their money over HTTP, a thin adapter over {@link AccountService}. Balances change only
 * through the ledger: {@code top-ups} and {@code adjustments} (an {@code Idempotency-Key} header makes a
 * retried request safe).
 */
@RestController
@RequestMapping("/api/v1/accounts")
public class AccountsController {

    private final AccountService accounts;
    private final PutBodyMerge putBodies;

    public AccountsController(AccountService accounts, JsonMapper json) {
        this.accounts = accounts;
        this.putBodies = new PutBodyMerge(json);
    }

    /** Fields whose empty value means something, so that an explicit {@code null} in a {@code PUT} clears them. */
    private static final Set<String> CLEARABLE = Set.of("creditLimit", "maxCps", "maxConcurrentCalls", "dailySpendLimit", "lowBalanceThreshold");

    public record AccountView(long id, String name, String kind, String currency, String balance, String held, String creditLimit,
                              String available, String status, Integer maxCps, Integer maxConcurrentCalls, String dailySpendLimit,
                              String lowBalanceThreshold, boolean suspendAtZero, Integer noticeDays, Instant createdAt,
                              Instant updatedAt) {
        static AccountView of(Account a) {
            return new AccountView(a.id(), a.name(), a.kind().code(), a.currency(), Money.format(a.balance()), Money.format(a.held()),
                    Money.format(a.creditLimit()), Money.format(a.available()), a.status().code(), a.maxCps(), a.maxConcurrentCalls(),
                    Money.format(a.dailySpendLimit()), Money.format(a.lowBalanceThreshold()), a.suspendAtZero(), a.noticeDays(), a.createdAt(),
                    a.updatedAt());
        }
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
        return accounts.list(offset, limit).stream().map(AccountView::of).toList();
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return accounts.find(id).<ResponseEntity<Object>>map(a -> ResponseEntity.ok(AccountView.of(a)))
                .orElseGet(() -> ApiError.notFound("account", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody AccountRequest request, HttpServletRequest http) {
        return ApiOutcomes.created(accounts.create(Caller.current(http.getRemoteAddr()), request),
                account -> URI.create("/api/v1/accounts/" + account.id()), AccountView::of);
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
                    ApiOutcomes.ok(accounts.update(Caller.current(http.getRemoteAddr()), id, request), AccountView::of);
            case PutBodyMerge.Merged.Unreadable<AccountRequest>(String problem) -> ApiError.status(HttpStatus.BAD_REQUEST, problem);
        };
    }

    /** Disables an account (status {@code suspended}); nothing is deleted. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> disable(@PathVariable long id, HttpServletRequest http) {
        return ApiOutcomes.ok(accounts.setStatus(Caller.current(http.getRemoteAddr()), id, AccountStatus.SUSPENDED, "disable"),
                AccountView::of);
    }

    @GetMapping("/{id}/ledger")
    public ResponseEntity<Object> ledger(@PathVariable long id, @RequestParam(defaultValue = "0") int offset,
                                         @RequestParam(defaultValue = "100") int limit) {
        return accounts.ledger(id, offset, limit)
                .<ResponseEntity<Object>>map(entries -> ResponseEntity.ok(entries.stream().map(LedgerEntryView::of).toList()))
                .orElseGet(() -> ApiError.notFound("account", id));
    }

    /** Money paid in; amount must be positive. */
    @PostMapping("/{id}/top-ups")
    public ResponseEntity<Object> topUp(@PathVariable long id, @RequestBody MoneyRequest request,
                                        @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                        HttpServletRequest http) {
        return posted(accounts.topUp(Caller.current(http.getRemoteAddr()), id, request, idempotencyKey));
    }

    /** An operator's correction; amount may be negative. */
    @PostMapping("/{id}/adjustments")
    public ResponseEntity<Object> adjust(@PathVariable long id, @RequestBody MoneyRequest request,
                                         @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                         HttpServletRequest http) {
        return posted(accounts.adjust(Caller.current(http.getRemoteAddr()), id, request, idempotencyKey));
    }

    /** {@code 201} for new money, {@code 200} for a replayed key. */
    private static ResponseEntity<Object> posted(Outcome<LedgerEntry> outcome) {
        return ApiOutcomes.respond(outcome, entry -> ResponseEntity.status(
                outcome instanceof Outcome.Done<LedgerEntry> done && done.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(LedgerEntryView.of(entry)));
    }
}
