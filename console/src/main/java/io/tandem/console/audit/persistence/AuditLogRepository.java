package io.tandem.console.audit.persistence;

import static io.tandem.db.jooq.Tables.AUDIT_LOG;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** Who changed what, when and from where. */
public class AuditLogRepository {

    private final DSLContext dsl;
    private final Clock clock;

    public AuditLogRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public record AuditEntry(long id, Instant at, String actor, String action, String entity, String entityId, String detail, String sourceIp) {
    }

    public void record(String actor, String action, String entity, String entityId, String detail, String sourceIp) {
        dsl.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AT, clock.instant())
                .set(AUDIT_LOG.ACTOR, actor)
                .set(AUDIT_LOG.ACTION, action)
                .set(AUDIT_LOG.ENTITY, entity)
                .set(AUDIT_LOG.ENTITY_ID, entityId == null ? "" : entityId)
                .set(AUDIT_LOG.DETAIL, detail)
                .set(AUDIT_LOG.SOURCE_IP, sourceIp == null ? "" : sourceIp)
                .execute();
    }

    public List<AuditEntry> recent(int limit) {
        return dsl.selectFrom(AUDIT_LOG).orderBy(AUDIT_LOG.ID.desc()).limit(limit)
                .fetch(r -> new AuditEntry(r.getId(), r.getAt(), r.getActor(), r.getAction(), r.getEntity(), r.getEntityId(),
                        r.getDetail(), r.getSourceIp()));
    }
}
