package io.tandem.billing.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.testing.BillingFixtures;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SettlementCodecTest {

    @Test
    void aSettlementReadsBackExactlyAsItWasWritten() {
        UUID call = UUID.randomUUID();
        Instant start = Instant.parse("2026-11-22T10:15:30.123Z");
        Settlement settlement = new Settlement(call, 42, "node-a", HoldSource.LEASE, List.of(
                BillingFixtures.failedAttempt(call, 1, 42, "node-a", start),
                BillingFixtures.answeredCall(call, 2, 42, "node-a", start, 61_001, BillingFixtures.SELL, BillingFixtures.BUY)
                        .withCosts(67, new java.math.BigDecimal("0.077000"), new java.math.BigDecimal("0.044667"))
                        .withMedia(new io.tandem.billing.cdr.CdrMediaStats(new io.tandem.billing.cdr.CdrMediaStats.Direction(3050, 524_600, 2, 3),
                                new io.tandem.billing.cdr.CdrMediaStats.Direction(3048, 524_256, 0, 41)))),
                Instant.parse("2026-11-22T10:17:00.456Z"));

        Settlement decoded = SettlementCodec.decode(SettlementCodec.encode(settlement));

        assertThat(decoded).isEqualTo(settlement);
        assertThat(decoded.charge()).isEqualByComparingTo("0.077000");
    }
}
