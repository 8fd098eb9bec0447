package io.tandem.console.users;

import io.tandem.console.change.ChangeLog;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.service.Outcome;
import io.tandem.console.change.Permission;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.ApiRole;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.console.security.persistence.ConsoleUserRepository.StoredUser;
import io.tandem.console.security.persistence.ConsoleUserRepository.UserSummary;
import io.tandem.console.ui.ConsoleRole;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Console users and API keys: admins create and disable users, set their roles and reset their
 * passwords, issue and revoke keys; every user changes their own password. Passwords are hashed
 * with the node's {@link PasswordEncoder} (bcrypt) and never logged, audited or shown; an API key's
 * secret is returned once, at creation.
 */
@Service
public class ConsoleUsers {

    public static final int MIN_PASSWORD = 10;
    /** bcrypt reads at most 72 bytes; a longer password would be cut without notice. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final List<String> ROLES = List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE, ConsoleRole.VIEWER);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");

    private final ConsoleUserRepository users;
    private final ApiKeys apiKeys;
    private final PasswordEncoder passwords;
    private final CurrentActor actor;
    private final ChangeLog changeLog;
    private final Clock clock;

    public ConsoleUsers(ConsoleUserRepository users, ApiKeys apiKeys, PasswordEncoder passwords, CurrentActor actor, ChangeLog changeLog,
                        Clock clock) {
        this.users = users;
        this.apiKeys = apiKeys;
        this.passwords = passwords;
        this.actor = actor;
        this.changeLog = changeLog;
        this.clock = clock;
    }

    public List<UserSummary> list() {
        actor.require(Permission.MANAGE_ACCESS);
        return users.list();
    }

    public Outcome<UserSummary> create(NewUser user) {
        actor.require(Permission.MANAGE_ACCESS);
        Map<String, String> errors = new LinkedHashMap<>();
        String username = user.username() == null ? "" : user.username().strip();
        if (!USERNAME.matcher(username).matches()) {
            errors.put("username", "3-64 letters, digits, . _ @ -");
        } else if (users.findByUsername(username).isPresent()) {
            errors.put("username", "a user with this name exists");
        }
        passwordProblem(user.password()).ifPresent(problem -> errors.put("password", problem));
        Set<String> roles = roles(user.roles(), errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        long id = users.create(username, passwords.encode(user.password()), roles, clock.instant());
        changeLog.record("create", "console_user", id, username + "; roles " + String.join(",", roles));
        return Outcome.done(summary(id));
    }

    /** Enables or disables a user; an admin cannot disable themself (no locking the last door). */
    public Outcome<UserSummary> setEnabled(long id, boolean enabled) {
        actor.require(Permission.MANAGE_ACCESS);
        Optional<StoredUser> user = users.find(id);
        if (user.isEmpty()) {
            return Outcome.notFound("console user", id);
        }
        if (!enabled && user.get().username().equals(actor.name())) {
            return Outcome.invalid(Map.of("enabled", "you cannot disable your own user"));
        }
        users.setEnabled(id, enabled);
        changeLog.record(enabled ? "enable" : "disable", "console_user", id,
                user.get().username() + "; enabled " + user.get().enabled() + " -> " + enabled);
        return Outcome.done(summary(id));
    }

    public Outcome<UserSummary> setRoles(long id, Set<String> requested) {
        actor.require(Permission.MANAGE_ACCESS);
        Optional<StoredUser> user = users.find(id);
        if (user.isEmpty()) {
            return Outcome.notFound("console user", id);
        }
        if (user.get().accountId() != null || user.get().roles().contains("partner")) {
            // a partner user given a carrier role would keep its account binding and see every account
            return Outcome.invalid(Map.of("roles", "a partner user keeps the partner role and its account; manage it under "
                    + "Partner access (or disable it and create a carrier user)"));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Set<String> roles = roles(requested, errors);
        if (user.get().username().equals(actor.name()) && !roles.contains("admin")) {
            errors.put("roles", "you cannot take the admin role from yourself");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        users.setRoles(id, roles);
        changeLog.record("update", "console_user", id, user.get().username() + "; roles " + String.join(",", new TreeSet<>(user.get().roles()))
                + " -> " + String.join(",", roles));
        return Outcome.done(summary(id));
    }

    /** An admin sets a new password for a user (who forgot theirs). */
    public Outcome<UserSummary> resetPassword(long id, String newPassword) {
        actor.require(Permission.MANAGE_ACCESS);
        Optional<StoredUser> user = users.find(id);
        if (user.isEmpty()) {
            return Outcome.notFound("console user", id);
        }
        Optional<String> problem = passwordProblem(newPassword);
        if (problem.isPresent()) {
            return Outcome.invalid(Map.of("password", problem.get()));
        }
        users.setPasswordHash(id, passwords.encode(newPassword));
        changeLog.record("reset-password", "console_user", id, user.get().username());
        return Outcome.done(summary(id));
    }

    /** The signed-in console user changes their own password, proving the current one. */
    public Outcome<String> changeOwnPassword(String currentPassword, String newPassword) {
        if (!actor.isConsoleUser()) {
            throw new org.springframework.security.access.AccessDeniedException("only a signed-in console user has a password to change");
        }
        Optional<StoredUser> user = users.findByUsername(actor.name());
        if (user.isEmpty()) {
            return Outcome.invalid(Map.of("currentPassword", "your user no longer exists"));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (currentPassword == null || currentPassword.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES
                || !passwords.matches(currentPassword, user.get().passwordHash())) {
            errors.put("currentPassword", "not your current password");
        }
        passwordProblem(newPassword).ifPresent(problem -> errors.put("newPassword", problem));
        if (errors.isEmpty() && newPassword.equals(currentPassword)) {
            errors.put("newPassword", "choose a password different from the current one");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        users.setPasswordHash(user.get().id(), passwords.encode(newPassword));
        changeLog.record("change-password", "console_user", user.get().id(), user.get().username());
        return Outcome.done(user.get().username());
    }

    // ---- API keys

    public List<StoredApiKey> keys() {
        actor.require(Permission.MANAGE_ACCESS);
        return apiKeys.list();
    }

    /** Issues a key; the returned secret is shown once and never stored. */
    public Outcome<ApiKeys.IssuedKey> issueKey(String name, String role) {
        actor.require(Permission.MANAGE_ACCESS);
        Map<String, String> errors = new LinkedHashMap<>();
        if (name == null || name.isBlank() || name.strip().length() > 128) {
            errors.put("name", "required, at most 128 characters");
        }
        ApiRole apiRole = ApiRole.OPERATOR;
        if (role != null) {
            try {
                apiRole = ApiRole.ofCode(role);
            } catch (IllegalArgumentException e) {
                errors.put("role", "one of admin, operator, viewer, peer");
            }
        }
        if (apiRole == ApiRole.PARTNER) {
            errors.put("role", "a partner key is bound to an account: POST /api/v1/accounts/{id}/partner-keys");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        ApiKeys.IssuedKey issued = apiKeys.issue(name.strip(), apiRole, actor.name());
        changeLog.record("create", "api_key", issued.stored().id(), issued.stored().name() + "; role " + apiRole.code());
        return Outcome.done(issued);
    }

    public Outcome<Long> revokeKey(long id) {
        actor.require(Permission.MANAGE_ACCESS);
        if (!apiKeys.revoke(id)) {
            return Outcome.notFound("active API key", id);
        }
        changeLog.record("revoke", "api_key", id, "");
        return Outcome.done(id);
    }

    /** Why a password is refused, or empty. */
    public static Optional<String> passwordProblem(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            return Optional.of("at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return Optional.of("at most " + MAX_PASSWORD_BYTES + " bytes (bcrypt ignores the rest)");
        }
        return Optional.empty();
    }

    private static Set<String> roles(Set<String> requested, Map<String, String> errors) {
        Set<String> roles = new TreeSet<>();
        if (requested == null || requested.isEmpty()) {
            errors.put("roles", "at least one of " + String.join(", ", ROLES));
            return roles;
        }
        for (String role : requested) {
            if (role == null || !ROLES.contains(role.toUpperCase(Locale.ROOT))) {
                errors.put("roles", "only " + String.join(", ", ROLES));
                return roles;
            }
            roles.add(role.toLowerCase(Locale.ROOT));
        }
        return roles;
    }

    private UserSummary summary(long id) {
        return users.list().stream().filter(u -> u.id() == id).findFirst().orElseThrow();
    }
}
