package io.tandem.routing.provisioning.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.TRUNK_DIGEST_USER;

import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.TrunkAccess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** Loads every trunk's access data (CIDRs, digest users, limits) in two queries, for the call engine. */
public final class TrunkAccessRepository {

    private final DSLContext dsl;

    public TrunkAccessRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public List<TrunkAccess> loadAll() {
        Map<Long, List<TrunkAccess.DigestUser>> users = new HashMap<>();
        dsl.selectFrom(TRUNK_DIGEST_USER).fetch().forEach(u -> users.computeIfAbsent(u.getTrunkId(), id -> new ArrayList<>())
                .add(new TrunkAccess.DigestUser(u.getUsername(), u.getRealm(), u.getHa1Md5(), u.getHa1Sha256())));
        return dsl.select(INGRESS_TRUNK.ID, INGRESS_TRUNK.ACCOUNT_ID, INGRESS_TRUNK.NAME, INGRESS_TRUNK.ENABLED,
                        INGRESS_TRUNK.SOURCE_CIDRS, INGRESS_TRUNK.MAX_CPS, INGRESS_TRUNK.MAX_CONCURRENT_CALLS,
                        ACCOUNT.STATUS, ACCOUNT.MAX_CPS, ACCOUNT.MAX_CONCURRENT_CALLS, INGRESS_TRUNK.ASSERTED_IDENTITY,
                        INGRESS_TRUNK.DIGEST_MD5, INGRESS_TRUNK.MEDIA_MODE)
                .from(INGRESS_TRUNK).join(ACCOUNT).on(ACCOUNT.ID.eq(INGRESS_TRUNK.ACCOUNT_ID))
                .orderBy(INGRESS_TRUNK.ID)
                .fetch(r -> new TrunkAccess(r.value1(), r.value2(), r.value3(), Boolean.TRUE.equals(r.value4()),
                        TrunkRepository.splitCidrs(r.value5()), List.copyOf(users.getOrDefault(r.value1(), List.of())),
                        r.value8(), "active".equals(r.value8()), r.value9(), r.value10(), r.value6(), r.value7(),
                        AssertedIdentity.ofCode(r.value11()), !Boolean.FALSE.equals(r.value12()), MediaMode.ofCode(r.value13())));
    }
}
