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

    /**
     * Entries newest first, filtered by whatever is given (null = any), before entry {@code beforeId}
     * (keyset paging: pass the last id of the previous page), at most {@code limit}.
     */
    public List<AuditEntry> find(String actor, String action, String entity, String entityId, Instant from, Instant until,
                                 Long beforeId, int limit) {
        List<org.jooq.Condition> where = new java.util.ArrayList<>();
        if (actor != null) {
            where.add(AUDIT_LOG.ACTOR.eq(actor));
        }
        if (action != null) {
            where.add(AUDIT_LOG.ACTION.eq(action));
        }
        if (entity != null) {
            where.add(AUDIT_LOG.ENTITY.eq(entity));
        }
        if (entityId != null) {
            where.add(AUDIT_LOG.ENTITY_ID.eq(entityId));
        }
        if (from != null) {
            where.add(AUDIT_LOG.AT.ge(from));
        }
        if (until != null) {
            where.add(AUDIT_LOG.AT.lt(until));
        }
        if (beforeId != null) {
            where.add(AUDIT_LOG.ID.lt(beforeId));
        }
        return dsl.selectFrom(AUDIT_LOG).where(where).orderBy(AUDIT_LOG.ID.desc()).limit(limit)
                .fetch(r -> new AuditEntry(r.getId(), r.getAt(), r.getActor(), r.getAction(), r.getEntity(), r.getEntityId(),
                        r.getDetail(), r.getSourceIp()));
    }

    /** Entries newest first, filtered by whatever is given (null = any), one page by offset (for the console's lazy grid). */
    public List<AuditEntry> page(String actor, String entity, Instant from, Instant until, int offset, int limit) {
        List<org.jooq.Condition> where = new java.util.ArrayList<>();
        if (actor != null) {
            where.add(AUDIT_LOG.ACTOR.eq(actor));
        }
        if (entity != null) {
            where.add(AUDIT_LOG.ENTITY.eq(entity));
        }
        if (from != null) {
            where.add(AUDIT_LOG.AT.ge(from));
        }
        if (until != null) {
            where.add(AUDIT_LOG.AT.lt(until));
        }
        return dsl.selectFrom(AUDIT_LOG).where(where).orderBy(AUDIT_LOG.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> new AuditEntry(r.getId(), r.getAt(), r.getActor(), r.getAction(), r.getEntity(), r.getEntityId(),
                        r.getDetail(), r.getSourceIp()));
    }

    /** The kinds of entity the log holds, for the filter (read from the entity index). */
    public List<String> entities() {
        return dsl.selectDistinct(AUDIT_LOG.ENTITY).from(AUDIT_LOG).orderBy(AUDIT_LOG.ENTITY).fetch(AUDIT_LOG.ENTITY);
    }

    public List<AuditEntry> recent(int limit) {
        return dsl.selectFrom(AUDIT_LOG).orderBy(AUDIT_LOG.ID.desc()).limit(limit)
                .fetch(r -> new AuditEntry(r.getId(), r.getAt(), r.getActor(), r.getAction(), r.getEntity(), r.getEntityId(),
                        r.getDetail(), r.getSourceIp()));
    }
}
