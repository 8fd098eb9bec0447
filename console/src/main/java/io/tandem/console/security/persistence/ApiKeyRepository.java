package io.tandem.console.security.persistence;

import static io.tandem.db.jooq.Tables.API_KEY;

import io.tandem.console.security.ApiRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** Stored API keys: name, role, an 8-character lookup prefix and the SHA-256 of the secret. */
public class ApiKeyRepository {

    private final DSLContext dsl;

    public ApiKeyRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** {@code accountId}: the account a partner key is bound to; null for the carrier's own keys. */
    public record StoredApiKey(long id, String name, String prefix, String hash, ApiRole role, String createdBy,
                               Instant createdAt, Instant lastUsedAt, Instant revokedAt, Long accountId) {
    }

    public StoredApiKey insert(String name, String prefix, String hash, ApiRole role, Long accountId, String createdBy, Instant now) {
        long id = dsl.insertInto(API_KEY)
                .set(API_KEY.NAME, name)
                .set(API_KEY.KEY_PREFIX, prefix)
                .set(API_KEY.KEY_HASH, hash)
                .set(API_KEY.ROLE, role.code())
                .set(API_KEY.ACCOUNT_ID, accountId)
                .set(API_KEY.CREATED_BY, createdBy)
                .set(API_KEY.CREATED_AT, now)
                .returningResult(API_KEY.ID)
                .fetchSingle(API_KEY.ID);
        return find(id).orElseThrow();
    }

    public Optional<StoredApiKey> findActiveByPrefix(String prefix) {
        return dsl.selectFrom(API_KEY)
                .where(API_KEY.KEY_PREFIX.eq(prefix)).and(API_KEY.REVOKED_AT.isNull())
                .fetchOptional().map(ApiKeyRepository::toKey);
    }

    public Optional<StoredApiKey> find(long id) {
        return dsl.selectFrom(API_KEY).where(API_KEY.ID.eq(id)).fetchOptional().map(ApiKeyRepository::toKey);
    }

    public List<StoredApiKey> list() {
        return dsl.selectFrom(API_KEY).orderBy(API_KEY.ID).fetch(ApiKeyRepository::toKey);
    }

    /** The partner keys bound to one account, revoked ones included. */
    public List<StoredApiKey> listForAccount(long accountId) {
        return dsl.selectFrom(API_KEY).where(API_KEY.ACCOUNT_ID.eq(accountId)).orderBy(API_KEY.ID).fetch(ApiKeyRepository::toKey);
    }

    public boolean revoke(long id, Instant now) {
        return dsl.update(API_KEY).set(API_KEY.REVOKED_AT, now).where(API_KEY.ID.eq(id)).and(API_KEY.REVOKED_AT.isNull()).execute() == 1;
    }

    public void touch(long id, Instant now) {
        dsl.update(API_KEY).set(API_KEY.LAST_USED_AT, now).where(API_KEY.ID.eq(id)).execute();
    }

    public int count() {
        return dsl.fetchCount(API_KEY);
    }

    private static StoredApiKey toKey(io.tandem.db.jooq.tables.records.ApiKeyRecord r) {
        return new StoredApiKey(r.getId(), r.getName(), r.getKeyPrefix(), r.getKeyHash(), ApiRole.ofCode(r.getRole()),
                r.getCreatedBy(), r.getCreatedAt(), r.getLastUsedAt(), r.getRevokedAt(), r.getAccountId());
    }
}
