package io.tandem.console.partners;

import io.tandem.billing.account.Account;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.partners.persistence.PartnerRepository;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.persistence.ApiKeyRepository;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.console.security.persistence.ConsoleUserRepository.UserSummary;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.users.ConsoleUsers;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The carrier's side of partner access, per account: partner API keys and console users bound to the account
 * (created, listed, revoked), and the account's partner terms (submission policy, notice addresses). Who may:
 * those who may edit accounts (ADMIN, OPERATOR, FINANCE in the console; admin and operator API keys). Every change
 * is audited.
 */
public class PartnerAccess {

    /** Notice addresses per account. */
    public static final int MAX_NOTICE_ADDRESSES = 10;
    public static final int MAX_NOTICE_EMAIL = 1000;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");

    private final AccountService accounts;
    private final ApiKeys apiKeys;
    private final ApiKeyRepository keys;
    private final ConsoleUserRepository users;
    private final PartnerRepository partners;
    private final PasswordEncoder passwords;
    private final AuditLogRepository audit;
    private final Clock clock;

    public PartnerAccess(AccountService accounts, ApiKeys apiKeys, ApiKeyRepository keys, ConsoleUserRepository users, PartnerRepository partners,
                         PasswordEncoder passwords, AuditLogRepository audit, Clock clock) {
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.keys = keys;
        this.users = users;
        this.partners = partners;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    /** Everything partner-related of one account. */
    public record AccountAccess(Account account, List<StoredApiKey> keys, List<UserSummary> users, PartnerTerms terms) {
    }

    public Outcome<AccountAccess> access(Caller caller, long accountId) {
        caller.require(AccountService.EDIT, "see partner access");
        Optional<Account> account = accounts.find(accountId);
        if (account.isEmpty()) {
            return Outcome.notFound("account", accountId);
        }
        return Outcome.done(new AccountAccess(account.get(), keys.listForAccount(accountId), users.listForAccount(accountId),
                partners.terms(accountId)));
    }

    /** A partner API key for the account; the secret is in the answer once and never stored. */
    public Outcome<ApiKeys.IssuedKey> issueKey(Caller caller, long accountId, String name) {
        caller.require(AccountService.EDIT, "create partner keys");
        if (accounts.find(accountId).isEmpty()) {
            return Outcome.notFound("account", accountId);
        }
        if (name == null || name.isBlank() || name.strip().length() > 128) {
            return Outcome.invalid(Map.of("name", "required, at most 128 characters"));
        }
        ApiKeys.IssuedKey issued = apiKeys.issuePartnerKey(name.strip(), accountId, caller.name());
        audit.record(caller.name(), "create partner key", "api_key", String.valueOf(issued.stored().id()),
                issued.stored().name() + "; account " + accountId, caller.sourceIp());
        return Outcome.done(issued);
    }

    /** Revokes one of the account's partner keys; a key of another account or of the carrier is "does not exist". */
    public Outcome<Long> revokeKey(Caller caller, long accountId, long keyId) {
        caller.require(AccountService.EDIT, "revoke partner keys");
        Optional<StoredApiKey> key = keys.find(keyId).filter(k -> k.accountId() != null && k.accountId() == accountId);
        if (key.isEmpty() || !apiKeys.revoke(keyId)) {
            return Outcome.notFound("active partner key", keyId);
        }
        audit.record(caller.name(), "revoke partner key", "api_key", String.valueOf(keyId), key.get().name() + "; account " + accountId,
                caller.sourceIp());
        return Outcome.done(keyId);
    }

    /** A console user of the partner role bound to the account. */
    public Outcome<UserSummary> createUser(Caller caller, long accountId, String username, String password) {
        caller.require(AccountService.EDIT, "create partner users");
        if (accounts.find(accountId).isEmpty()) {
            return Outcome.notFound("account", accountId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            errors.put("username", "3-64 letters, digits, . _ @ -");
        } else if (users.findByUsername(name).isPresent()) {
            errors.put("username", "a user with this name exists");
        }
        ConsoleUsers.passwordProblem(password).ifPresent(problem -> errors.put("password", problem));
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        long id = users.create(name, passwords.encode(password), Set.of("partner"), accountId, clock.instant());
        audit.record(caller.name(), "create partner user", "console_user", String.valueOf(id), name + "; account " + accountId,
                caller.sourceIp());
        return Outcome.done(users.listForAccount(accountId).stream().filter(u -> u.id() == id).findFirst().orElseThrow());
    }

    /** Disables one of the account's partner users (their next request is refused). */
    public Outcome<Long> disableUser(Caller caller, long accountId, long userId) {
        caller.require(AccountService.EDIT, "disable partner users");
        Optional<ConsoleUserRepository.StoredUser> user = users.find(userId)
                .filter(u -> u.accountId() != null && u.accountId() == accountId);
        if (user.isEmpty()) {
            return Outcome.notFound("partner user", userId);
        }
        users.setEnabled(userId, false);
        audit.record(caller.name(), "disable partner user", "console_user", String.valueOf(userId), user.get().username() + "; account "
                + accountId, caller.sourceIp());
        return Outcome.done(userId);
    }

    /**
     * Sets the submission policy ({@code auto} or {@code review}), the notice addresses and the invoice addresses; a null
     * field keeps its value.
     */
    public Outcome<PartnerTerms> setTerms(Caller caller, long accountId, String submissionPolicy, String noticeEmail, String invoiceEmail) {
        caller.require(AccountService.EDIT, "change partner terms");
        if (accounts.find(accountId).isEmpty()) {
            return Outcome.notFound("account", accountId);
        }
        PartnerTerms before = partners.terms(accountId);
        Map<String, String> errors = new LinkedHashMap<>();
        PartnerTerms.SubmissionPolicy policy = before.submissionPolicy();
        if (submissionPolicy != null) {
            switch (submissionPolicy.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> policy = PartnerTerms.SubmissionPolicy.AUTO;
                case "review" -> policy = PartnerTerms.SubmissionPolicy.REVIEW;
                default -> errors.put("submissionPolicy", "auto (committed at once when the notice rules hold) or review (an operator decides)");
            }
        }
        String email = before.noticeEmail();
        if (noticeEmail != null) {
            Optional<String> problem = emailProblem(noticeEmail);
            if (problem.isPresent()) {
                errors.put("noticeEmail", problem.get());
            } else {
                email = normalisedEmails(noticeEmail);
            }
        }
        String invoices = before.invoiceEmail();
        if (invoiceEmail != null) {
            Optional<String> problem = emailProblem(invoiceEmail);
            if (problem.isPresent()) {
                errors.put("invoiceEmail", problem.get());
            } else {
                invoices = normalisedEmails(invoiceEmail);
            }
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        PartnerTerms after = new PartnerTerms(accountId, policy, email, invoices);
        partners.saveTerms(after, clock.instant());
        audit.record(caller.name(), "update", "partner_terms", String.valueOf(accountId),
                "account " + accountId + io.tandem.console.change.FieldChanges.describe(before, after, Set.of()), caller.sourceIp());
        return Outcome.done(after);
    }

    /** Why a list of notice addresses is refused, or empty. Blank is fine (no mail). */
    static Optional<String> emailProblem(String text) {
        if (text.length() > MAX_NOTICE_EMAIL) {
            return Optional.of("at most " + MAX_NOTICE_EMAIL + " characters");
        }
        List<String> addresses = split(text);
        if (addresses.size() > MAX_NOTICE_ADDRESSES) {
            return Optional.of("at most " + MAX_NOTICE_ADDRESSES + " addresses");
        }
        for (String address : addresses) {
            try {
                InternetAddress parsed = new InternetAddress(address, true);
                parsed.validate();
                if (!address.equals(parsed.getAddress())) {
                    return Optional.of("'" + address + "': a plain address such as billing@example.com");
                }
            } catch (AddressException e) {
                return Optional.of("'" + address + "' is not an e-mail address");
            }
        }
        return Optional.empty();
    }

    private static String normalisedEmails(String text) {
        return String.join(",", split(text));
    }

    private static List<String> split(String text) {
        List<String> addresses = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                addresses.add(part.strip());
            }
        }
        return addresses;
    }
}
