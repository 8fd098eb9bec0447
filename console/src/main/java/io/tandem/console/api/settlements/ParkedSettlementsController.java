package io.tandem.console.api.settlements;

import io.tandem.billing.settlement.Settlement;
import io.tandem.billing.settlement.SettlementWriter;
import io.tandem.console.api.ApiCaller;
import io.tandem.console.audit.persistence.AuditLogRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Settlements this node parked for an operator: refused by the database, or settled with CDRs the
 * database refused. Listed with what they charge, and replayed once the cause is fixed (a call
 * already charged is not charged again; CDRs already stored are not stored twice).
 */
@RestController
public class ParkedSettlementsController {

    /**
     * One parked settlement.
     *
     * @param charge what the call costs the customer, a decimal string
     */
    public record ParkedSettlement(UUID callUuid, long customerAccountId, String nodeId, String charge, int attempts,
                                   Instant settledAt) {
    }

    private final SettlementWriter writer;
    private final AuditLogRepository audit;

    public ParkedSettlementsController(SettlementWriter writer, AuditLogRepository audit) {
        this.writer = writer;
        this.audit = audit;
    }

    @GetMapping("/api/v1/settlements/parked")
    public List<ParkedSettlement> parked() throws IOException {
        return writer.parked().stream().map(ParkedSettlementsController::view).toList();
    }

    @PostMapping("/api/v1/settlements/parked/replay")
    public SettlementWriter.ParkedReplay replay(HttpServletRequest http) throws IOException {
        SettlementWriter.ParkedReplay result = writer.replayParked();
        audit.record(ApiCaller.name(), "replay-parked-settlements", "settlement", "",
                "applied " + result.applied() + ", still parked " + result.stillParked(), http.getRemoteAddr());
        return result;
    }

    private static ParkedSettlement view(Settlement s) {
        return new ParkedSettlement(s.callUuid(), s.customerAccountId(), s.nodeId(), s.charge().toPlainString(), s.attempts().size(),
                s.settledAt());
    }
}
