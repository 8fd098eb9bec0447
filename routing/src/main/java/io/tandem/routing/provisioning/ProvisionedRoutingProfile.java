package io.tandem.routing.provisioning;

import java.math.BigDecimal;
import java.time.Instant;

/** A routing profile as stored (its vendor rules are managed with the routing rules API). */
public record ProvisionedRoutingProfile(
        long id,
        String name,
        String strategy,
        BigDecimal minMargin,
        BigDecimal minMarginPercent,
        boolean allowLoss,
        int maxAttempts,
        Instant createdAt,
        Instant updatedAt) {
}
