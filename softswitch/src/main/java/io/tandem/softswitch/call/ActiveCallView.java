package io.tandem.softswitch.call;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A live call as the API and console list it.
 *
 * @param state         routing, trying, ringing, answered or ending
 * @param currentCost   what the customer owes so far (answered calls), in the sell deck's currency
 */
public record ActiveCallView(
        UUID id,
        String nodeId,
        long customerAccountId,
        String trunk,
        Long vendorAccountId,
        String vendor,
        String caller,
        String callee,
        String state,
        Instant startedAt,
        Instant answeredAt,
        long durationSeconds,
        BigDecimal currentCost,
        String currency) {
}
