package io.tandem.console.audit;

import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.audit.persistence.AuditLogRepository.AuditEntry;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.change.FieldChanges;
import io.tandem.console.change.Permission;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;

/** The audit log for the console's audit view: filtered pages newest first, and an entry's changes before and after. */
@Service
public class AuditLogReader {

    public static final int MAX_PAGE = 500;

    private final AuditLogRepository audit;
    private final CurrentActor actor;

    public AuditLogReader(AuditLogRepository audit, CurrentActor actor) {
        this.audit = audit;
        this.actor = actor;
    }

    /** @param actorName exact actor ({@code alice}, {@code api:billing}) or null; {@code until} exclusive */
    public List<AuditEntry> page(String actorName, String entity, Instant from, Instant until, int offset, int limit) {
        actor.require(Permission.READ_AUDIT);
        return audit.page(blankToNull(actorName), blankToNull(entity), from, until, Math.max(0, offset), Math.clamp(limit, 1, MAX_PAGE));
    }

    public List<String> entities() {
        actor.require(Permission.READ_AUDIT);
        return audit.entities();
    }

    /** The fields an entry changed, with their values before and after (updates record them; creations do not). */
    public List<FieldChanges.Change> changes(AuditEntry entry) {
        return FieldChanges.parse(entry.detail());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
