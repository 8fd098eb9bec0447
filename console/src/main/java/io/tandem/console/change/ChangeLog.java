package io.tandem.console.change;

import io.tandem.console.audit.persistence.AuditLogRepository;
import org.springframework.stereotype.Component;

/** Writes the audit entry of a change with the current actor's name and address. */
@Component
public class ChangeLog {

    private final AuditLogRepository audit;
    private final CurrentActor actor;

    public ChangeLog(AuditLogRepository audit, CurrentActor actor) {
        this.audit = audit;
        this.actor = actor;
    }

    public void record(String action, String entity, Object entityId, String detail) {
        audit.record(actor.name(), action, entity, entityId == null ? "" : String.valueOf(entityId), detail, actor.sourceAddress());
    }
}
