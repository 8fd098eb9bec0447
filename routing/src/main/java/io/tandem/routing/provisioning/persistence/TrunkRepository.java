package io.tandem.routing.provisioning.persistence;

import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.TRUNK_DIGEST_USER;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.jooq.tables.records.IngressTrunkRecord;
import io.tandem.routing.provisioning.DigestHashes;
import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.routing.provisioning.IngressTrunkSpec;
import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.TranslationRuleSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Ingress trunks and their digest users. Every write bumps the config version stamp. */
public final class TrunkRepository {

    /** Realm of the digest challenge; part of every stored HA1. */
    /** The realm digest users are stored for unless configured otherwise ({@code tandem.sip.realm}). */
    public static final String DEFAULT_DIGEST_REALM = "tandem";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<TranslationRuleSpec>> RULES = new TypeReference<>() {
    };

    private final DSLContext dsl;
    private final Clock clock;
    private final String digestRealm;

    public TrunkRepository(DSLContext dsl, Clock clock) {
        this(dsl, clock, DEFAULT_DIGEST_REALM);
    }

    /**
     * @param digestRealm the realm HA1 hashes are computed for: the switch's {@code tandem.sip.realm}. Users
     *                    stored for another realm do not authenticate until their password is set again.
     */
    public TrunkRepository(DSLContext dsl, Clock clock, String digestRealm) {
        this.digestRealm = digestRealm;
        this.dsl = dsl;
        this.clock = clock;
    }

    public IngressTrunk create(IngressTrunkSpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            IngressTrunkRecord row = tx.newRecord(INGRESS_TRUNK);
            apply(spec, row);
            row.setCreatedAt(now);
            row.setUpdatedAt(now);
            row.store();
            replaceDigestUsers(tx, row.getId(), spec, now);
            ConfigVersionStamp.bump(tx, now);
            return toTrunk(tx, row);
        });
    }

    public Optional<IngressTrunk> update(long id, IngressTrunkSpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            IngressTrunkRecord row = tx.selectFrom(INGRESS_TRUNK).where(INGRESS_TRUNK.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            apply(spec, row);
            row.setUpdatedAt(now);
            row.update();
            replaceDigestUsers(tx, id, spec, now);
            ConfigVersionStamp.bump(tx, now);
            return Optional.of(toTrunk(tx, row));
        });
    }

    public Optional<IngressTrunk> setEnabled(long id, boolean enabled) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            if (tx.update(INGRESS_TRUNK).set(INGRESS_TRUNK.ENABLED, enabled).set(INGRESS_TRUNK.UPDATED_AT, now)
                    .where(INGRESS_TRUNK.ID.eq(id)).execute() == 0) {
                return Optional.empty();
            }
            ConfigVersionStamp.bump(tx, now);
            return Optional.of(toTrunk(tx, tx.selectFrom(INGRESS_TRUNK).where(INGRESS_TRUNK.ID.eq(id)).fetchSingle()));
        });
    }

    public Optional<IngressTrunk> find(long id) {
        return dsl.selectFrom(INGRESS_TRUNK).where(INGRESS_TRUNK.ID.eq(id)).fetchOptional().map(r -> toTrunk(dsl, r));
    }

    public List<IngressTrunk> list(Long accountId, int offset, int limit) {
        return search(accountId, "", offset, limit);
    }

    /** Trunks whose name contains {@code text} (any case; empty = all), in id order. */
    public List<IngressTrunk> search(Long accountId, String text, int offset, int limit) {
        Condition condition = accountId == null ? DSL.noCondition() : INGRESS_TRUNK.ACCOUNT_ID.eq(accountId);
        if (!text.isEmpty()) {
            condition = condition.and(INGRESS_TRUNK.NAME.containsIgnoreCase(text));
        }
        return dsl.selectFrom(INGRESS_TRUNK).where(condition).orderBy(INGRESS_TRUNK.ID).offset(offset).limit(limit)
                .fetch(r -> toTrunk(dsl, r));
    }

    public boolean nameTaken(String name, Long exceptId) {
        var condition = INGRESS_TRUNK.NAME.eq(name);
        return dsl.fetchExists(INGRESS_TRUNK, exceptId == null ? condition : condition.and(INGRESS_TRUNK.ID.ne(exceptId)));
    }

    /**
     * The names and source CIDRs of the enabled trunks other than {@code exceptId}, by trunk name: what a
     * new or changed trunk's addresses must not repeat.
     */
    public Map<String, List<String>> enabledSourceCidrs(Long exceptId) {
        Condition condition = INGRESS_TRUNK.ENABLED.isTrue().and(INGRESS_TRUNK.SOURCE_CIDRS.ne(""));
        if (exceptId != null) {
            condition = condition.and(INGRESS_TRUNK.ID.ne(exceptId));
        }
        Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
        dsl.select(INGRESS_TRUNK.NAME, INGRESS_TRUNK.SOURCE_CIDRS).from(INGRESS_TRUNK).where(condition).orderBy(INGRESS_TRUNK.ID)
                .forEach(r -> byName.put(r.value1(), splitCidrs(r.value2())));
        return byName;
    }

    /** True if a digest user name is used by another trunk than {@code exceptTrunkId}. */
    public boolean digestUserTaken(String username, Long exceptTrunkId) {
        var condition = TRUNK_DIGEST_USER.REALM.eq(digestRealm).and(TRUNK_DIGEST_USER.USERNAME.eq(username));
        return dsl.fetchExists(TRUNK_DIGEST_USER,
                exceptTrunkId == null ? condition : condition.and(TRUNK_DIGEST_USER.TRUNK_ID.ne(exceptTrunkId)));
    }

    private void replaceDigestUsers(DSLContext tx, long trunkId, IngressTrunkSpec spec, Instant now) {
        if (spec.digestCredentials() == null) {
            return;
        }
        tx.deleteFrom(TRUNK_DIGEST_USER).where(TRUNK_DIGEST_USER.TRUNK_ID.eq(trunkId)).execute();
        for (var credential : spec.digestCredentials()) {
            tx.insertInto(TRUNK_DIGEST_USER)
                    .set(TRUNK_DIGEST_USER.TRUNK_ID, trunkId)
                    .set(TRUNK_DIGEST_USER.USERNAME, credential.username())
                    .set(TRUNK_DIGEST_USER.REALM, digestRealm)
                    .set(TRUNK_DIGEST_USER.HA1_MD5, DigestHashes.ha1Md5(credential.username(), digestRealm, credential.password()))
                    .set(TRUNK_DIGEST_USER.HA1_SHA256, DigestHashes.ha1Sha256(credential.username(), digestRealm, credential.password()))
                    .set(TRUNK_DIGEST_USER.CREATED_AT, now)
                    .execute();
        }
    }

    private static void apply(IngressTrunkSpec spec, IngressTrunkRecord row) {
        row.setAccountId(spec.accountId());
        row.setName(spec.name());
        row.setSourceCidrs(spec.sourceCidrs() == null ? "" : String.join(",", spec.sourceCidrs().stream().map(String::trim).toList()));
        row.setTechPrefix(spec.techPrefix() == null ? "" : spec.techPrefix());
        row.setCalleeTranslations(JSON.writeValueAsString(spec.calleeTranslations() == null ? List.of() : spec.calleeTranslations()));
        row.setCallerTranslations(JSON.writeValueAsString(spec.callerTranslations() == null ? List.of() : spec.callerTranslations()));
        row.setRoutingProfileId(spec.routingProfileId());
        row.setSellDeckId(spec.sellDeckId());
        row.setMediaMode((spec.mediaMode() == null ? MediaMode.RELAY : spec.mediaMode()).code());
        row.setAssertedIdentity((spec.assertedIdentity() == null ? AssertedIdentity.PASS : spec.assertedIdentity()).code());
        row.setMaxCps(spec.maxCps());
        row.setMaxConcurrentCalls(spec.maxConcurrentCalls());
        row.setEnabled(spec.enabled());
        row.setDigestMd5(spec.digestMd5());
    }

    private static IngressTrunk toTrunk(DSLContext dsl, IngressTrunkRecord r) {
        List<String> users = dsl.select(TRUNK_DIGEST_USER.USERNAME).from(TRUNK_DIGEST_USER)
                .where(TRUNK_DIGEST_USER.TRUNK_ID.eq(r.getId())).orderBy(TRUNK_DIGEST_USER.USERNAME)
                .fetch(TRUNK_DIGEST_USER.USERNAME);
        return new IngressTrunk(r.getId(), r.getAccountId(), r.getName(), splitCidrs(r.getSourceCidrs()), r.getTechPrefix(),
                rules(r.getCalleeTranslations()), rules(r.getCallerTranslations()), r.getRoutingProfileId(), r.getSellDeckId(),
                MediaMode.ofCode(r.getMediaMode()), AssertedIdentity.ofCode(r.getAssertedIdentity()), r.getMaxCps(), r.getMaxConcurrentCalls(), Boolean.TRUE.equals(r.getEnabled()),
                users, !Boolean.FALSE.equals(r.getDigestMd5()), r.getCreatedAt(), r.getUpdatedAt());
    }

    static List<String> splitCidrs(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
    }

    static List<TranslationRuleSpec> rules(String json) {
        return json == null || json.isBlank() ? List.of() : JSON.readValue(json, RULES);
    }
}
