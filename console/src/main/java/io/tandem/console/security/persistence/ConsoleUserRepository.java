package io.tandem.console.security.persistence;

import static io.tandem.db.jooq.Tables.CONSOLE_USER;
import static io.tandem.db.jooq.Tables.CONSOLE_USER_ROLE;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;

/** Console users (bcrypt password hashes) and their roles. */
public class ConsoleUserRepository {

    private final DSLContext dsl;

    public ConsoleUserRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** {@code accountId}: the account a partner user is bound to; null for the carrier's own users. */
    public record StoredUser(long id, String username, String passwordHash, boolean enabled, List<String> roles, Long accountId) {
    }

    /** A user as the users view lists it: no password hash; {@code accountId} only for a partner user. */
    public record UserSummary(long id, String username, boolean enabled, List<String> roles, Instant createdAt, Instant lastLoginAt,
                              Long accountId) {

        public boolean partner() {
            return accountId != null || roles.contains("partner");
        }
    }

    /** Every user by name, with their roles (two queries, however many users). */
    public List<UserSummary> list() {
        var roles = dsl.select(CONSOLE_USER_ROLE.USER_ID, CONSOLE_USER_ROLE.ROLE).from(CONSOLE_USER_ROLE)
                .orderBy(CONSOLE_USER_ROLE.ROLE)
                .fetchGroups(CONSOLE_USER_ROLE.USER_ID, CONSOLE_USER_ROLE.ROLE);
        return dsl.selectFrom(CONSOLE_USER).orderBy(CONSOLE_USER.USERNAME)
                .fetch(u -> new UserSummary(u.getId(), u.getUsername(), Boolean.TRUE.equals(u.getEnabled()),
                        List.copyOf(roles.getOrDefault(u.getId(), List.of())), u.getCreatedAt(), u.getLastLoginAt(),
                        u.getAccountId()));
    }

    public Optional<StoredUser> find(long id) {
        return dsl.select(CONSOLE_USER.USERNAME).from(CONSOLE_USER).where(CONSOLE_USER.ID.eq(id)).fetchOptional(CONSOLE_USER.USERNAME)
                .flatMap(this::findByUsername);
    }

    public boolean setEnabled(long id, boolean enabled) {
        return dsl.update(CONSOLE_USER).set(CONSOLE_USER.ENABLED, enabled).where(CONSOLE_USER.ID.eq(id)).execute() == 1;
    }

    public boolean setPasswordHash(long id, String passwordHash) {
        return dsl.update(CONSOLE_USER).set(CONSOLE_USER.PASSWORD_HASH, passwordHash).where(CONSOLE_USER.ID.eq(id)).execute() == 1;
    }

    /** Replaces the user's roles in one transaction. */
    public void setRoles(long id, Set<String> roles) {
        dsl.transaction(cfg -> {
            cfg.dsl().deleteFrom(CONSOLE_USER_ROLE).where(CONSOLE_USER_ROLE.USER_ID.eq(id)).execute();
            for (String role : roles) {
                cfg.dsl().insertInto(CONSOLE_USER_ROLE).set(CONSOLE_USER_ROLE.USER_ID, id).set(CONSOLE_USER_ROLE.ROLE, role).execute();
            }
        });
    }

    public Optional<StoredUser> findByUsername(String username) {
        return dsl.selectFrom(CONSOLE_USER).where(CONSOLE_USER.USERNAME.eq(username)).fetchOptional()
                .map(u -> new StoredUser(u.getId(), u.getUsername(), u.getPasswordHash(), Boolean.TRUE.equals(u.getEnabled()),
                        dsl.select(CONSOLE_USER_ROLE.ROLE).from(CONSOLE_USER_ROLE).where(CONSOLE_USER_ROLE.USER_ID.eq(u.getId()))
                                .fetch(CONSOLE_USER_ROLE.ROLE), u.getAccountId()));
    }

    public long create(String username, String passwordHash, Set<String> roles, Instant now) {
        return create(username, passwordHash, roles, null, now);
    }

    /** A user bound to an account ({@code accountId} non-null) is a partner user. */
    public long create(String username, String passwordHash, Set<String> roles, Long accountId, Instant now) {
        return dsl.transactionResult(cfg -> {
            long id = cfg.dsl().insertInto(CONSOLE_USER)
                    .set(CONSOLE_USER.USERNAME, username)
                    .set(CONSOLE_USER.ACCOUNT_ID, accountId)
                    .set(CONSOLE_USER.PASSWORD_HASH, passwordHash)
                    .set(CONSOLE_USER.ENABLED, true)
                    .set(CONSOLE_USER.CREATED_AT, now)
                    .returningResult(CONSOLE_USER.ID).fetchSingle(CONSOLE_USER.ID);
            for (String role : roles) {
                cfg.dsl().insertInto(CONSOLE_USER_ROLE).set(CONSOLE_USER_ROLE.USER_ID, id).set(CONSOLE_USER_ROLE.ROLE, role).execute();
            }
            return id;
        });
    }

    /** The partner users bound to one account. */
    public List<UserSummary> listForAccount(long accountId) {
        return dsl.selectFrom(CONSOLE_USER).where(CONSOLE_USER.ACCOUNT_ID.eq(accountId)).orderBy(CONSOLE_USER.USERNAME)
                .fetch(u -> new UserSummary(u.getId(), u.getUsername(), Boolean.TRUE.equals(u.getEnabled()), List.of("partner"),
                        u.getCreatedAt(), u.getLastLoginAt(), u.getAccountId()));
    }

    public void recordLogin(String username, Instant now) {
        dsl.update(CONSOLE_USER).set(CONSOLE_USER.LAST_LOGIN_AT, now).where(CONSOLE_USER.USERNAME.eq(username)).execute();
    }

    public int count() {
        return dsl.fetchCount(CONSOLE_USER);
    }
}
